#include "compiler/plan/state.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>

#include "compiler/gen/yaml_read.hpp"
#include "compiler/gen/yaml_text.hpp"
#include "compiler/plan/ddl.hpp"

namespace packdb::plan {

namespace {

std::string qi(const std::string& s) { return model::quote_ident(s); }

StateObject constraint_object(const std::string& kind, const std::string& table_sql, const std::string& name,
                              std::vector<std::string> columns, const std::string& clause) {
  return {kind, name, std::move(columns),
          fmt::format("alter table {} add constraint {} {};", table_sql, qi(name), clause),
          fmt::format("alter table {} drop constraint {};", table_sql, qi(name))};
}

StateTable table_state(const model::Model& m, const model::Table& t) {
  StateTable st;
  st.name = table_bare_name(t);
  st.qualified = table_sql(m, t);
  st.existing = t.existing;
  st.rls = t.rls;
  st.comment = t.purpose;
  for (const auto& c : t.columns)
    st.columns.push_back({c.name, type_sql(m, c.type), c.nullable, c.default_sql, column_def(m, c)});
  const std::string& q = st.qualified;
  if (!t.primary_key.empty() && !t.existing)
    st.objects.push_back(constraint_object("primary_key", q, st.name + "_pkey", t.primary_key,
                                           "primary key (" + ident_list(t.primary_key) + ")"));
  for (const auto& u : t.uniques)
    st.objects.push_back(constraint_object("unique", q, u.name, u.columns, "unique (" + ident_list(u.columns) + ")"));
  for (const auto& c : t.checks) st.objects.push_back(constraint_object("check", q, c.name, {}, "check (" + c.sql + ")"));
  for (const auto& fk : t.foreign_keys)
    st.objects.push_back(constraint_object("foreign_key", q, fk.name, fk.columns, fk_clause(m, fk)));
  for (const auto& ix : t.indexes) {
    if (made_by_constraint(t, ix)) continue;
    std::vector<std::string> cols;
    for (const auto& c : ix.columns) cols.push_back(c.name);
    st.objects.push_back({"index", ix.name, cols, create_index_sql(m, t, ix), drop_index_sql(m, t, ix)});
  }
  for (const auto& p : t.policies)
    st.objects.push_back({"policy", p.name, {}, create_policy_sql(m, t, p), drop_policy_sql(m, t, p)});
  if (t.has_updated_at)
    st.objects.push_back({"trigger", updated_at_trigger_name(t), {}, create_trigger_sql(m, t),
                          fmt::format("drop trigger {} on {};", qi(updated_at_trigger_name(t)), q)});
  return st;
}

}  // namespace

const StateColumn* StateTable::column(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}
const StateObject* StateTable::object(const std::string& kind, const std::string& n) const {
  for (const auto& o : objects)
    if (o.kind == kind && o.name == n) return &o;
  return nullptr;
}
const StateTable* Schema::table(const std::string& name) const {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}
const StateEnum* Schema::find_enum(const std::string& name) const {
  for (const auto& e : enums)
    if (e.name == name) return &e;
  return nullptr;
}
const StateRoutine* Schema::routine(const std::string& kind, const std::string& name) const {
  for (const auto& r : routines)
    if (r.kind == kind && r.name == name) return &r;
  return nullptr;
}

void schema_tables(const model::Model& m, const std::function<void(StateTable)>& table) {
  // Creation order as the planner has it: phase 1 tables, then the rest, each in model order.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& t : m.tables)
      if ((table_phase(t) == PhaseKind::foundation) == (pass == 0)) table(table_state(m, t));
}

Schema schema_of(const model::Model& m) {
  Schema s = schema_without_tables(m);
  schema_tables(m, [&](StateTable t) { s.tables.push_back(std::move(t)); });
  return s;
}

Schema schema_without_tables(const model::Model& m) {
  Schema s;
  s.extensions = required_extensions(m);
  for (const auto& e : m.enums) s.enums.push_back({e.name, qualify(m.profile.schema, e.name), e.values});
  if (std::any_of(m.tables.begin(), m.tables.end(), [](const model::Table& t) { return t.has_updated_at; })) {
    const std::string fn = updated_at_function_sql(m);
    s.routines.push_back({"function", fn, create_trigger_function_sql(m), fmt::format("drop function {}();", fn)});
  }
  for (const auto& x : m.searches)
    s.routines.push_back({"function", qualify(m.profile.schema, x.name), create_search_sql(m, x),
                          fmt::format("drop function {};", search_signature_sql(m, x))});
  for (const auto& v : m.views) {
    const std::string name = qualify(m.profile.schema, v.name);
    s.routines.push_back({"view", name, create_view_sql(m, v), fmt::format("drop view {};", name)});
  }
  return s;
}

std::string state_path(const model::Model& m) { return "supabase/state/" + pack_ident(m.pack) + ".state.yaml"; }

// ---- writing ----------------------------------------------------------------------------------
// Straight into one string (the state of a 5,000-table spec is tens of megabytes: building a
// tree first, as yaml::Emitter does, cost a quarter of compile's time). Scalars are quoted by
// the same rule as every other YAML packdbc writes (yaml_text.hpp).

namespace {

class Writer {
 public:
  std::string out;
  const StateSink* sink = nullptr;  // set: `out` is handed over and emptied between tables
  // Called between tables: with a sink, what is written so far goes once it passes a megabyte.
  void pass_on(bool force = false) {
    if (sink && (force || out.size() >= (1u << 20))) {
      (*sink)(out);
      out.clear();  // keeps its capacity: the same pages are written again
    }
  }
  // `key: value` at `indent`; `dash`: the first key of a map in a sequence (`- key: value`).
  void kv(int indent, const char* key, std::string_view v, bool dash = false) {
    prefix(indent, dash);
    out += key;
    out += ": ";
    yaml::append_scalar(out, v, false);
    out += '\n';
  }
  void flag(int indent, const char* key, bool v) {
    prefix(indent, false);
    out += key;
    out += v ? ": true\n" : ": false\n";
  }
  void flow(int indent, const char* key, const std::vector<std::string>& v) {
    prefix(indent, false);
    out += key;
    out += ": [";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      out += yaml::scalar(v[i], true);
    }
    out += "]\n";
  }
  // `key:` opening a block collection; an empty one is written `key: []`.
  bool open(int indent, const char* key, bool empty = false) {
    prefix(indent, false);
    out += key;
    out += empty ? ": []\n" : ":\n";
    return !empty;
  }
  void item(int indent, std::string_view v) {
    prefix(indent, true);
    yaml::append_scalar(out, v, false);
    out += '\n';
  }

 private:
  void prefix(int indent, bool dash) {
    out.append(static_cast<std::size_t>(dash ? indent - 2 : indent), ' ');
    if (dash) out += "- ";
  }
};

void write_table(Writer& w, int in, const StateTable& t) {
  const int ti = in + 4;
  w.kv(ti, "name", t.name, true);
  w.kv(ti, "qualified", t.qualified);
  w.flag(ti, "existing", t.existing);
  w.flag(ti, "rls", t.rls);
  w.kv(ti, "comment", t.comment);
  if (w.open(ti, "columns", t.columns.empty()))
    for (const auto& c : t.columns) {
      w.kv(ti + 4, "name", c.name, true);
      w.kv(ti + 4, "type", c.type);
      w.flag(ti + 4, "nullable", c.nullable);
      w.kv(ti + 4, "default", c.default_sql);
      w.kv(ti + 4, "definition", c.definition);
    }
  if (w.open(ti, "objects", t.objects.empty()))
    for (const auto& o : t.objects) {
      w.kv(ti + 4, "kind", o.kind, true);
      w.kv(ti + 4, "name", o.name);
      w.flow(ti + 4, "columns", o.columns);
      w.kv(ti + 4, "create", o.create);
      w.kv(ti + 4, "drop", o.drop);
    }
}

// `model`, if given, supplies the tables one at a time instead of `s.tables`.
void write_schema(Writer& w, int in, const Schema& s, const model::Model* model = nullptr) {
  w.flow(in, "extensions", s.extensions);
  if (w.open(in, "enums", s.enums.empty()))
    for (const auto& en : s.enums) {
      w.kv(in + 4, "name", en.name, true);
      w.kv(in + 4, "qualified", en.qualified);
      w.flow(in + 4, "values", en.values);
    }
  if (model) {
    if (w.open(in, "tables", model->tables.empty())) schema_tables(*model, [&](StateTable t) {
      write_table(w, in, t);
      w.pass_on();
    });
  } else if (w.open(in, "tables", s.tables.empty())) {
    for (const auto& t : s.tables) write_table(w, in, t);
  }
  if (w.open(in, "routines", s.routines.empty()))
    for (const auto& r : s.routines) {
      w.kv(in + 4, "kind", r.kind, true);
      w.kv(in + 4, "name", r.name);
      w.kv(in + 4, "create", r.create);
      w.kv(in + 4, "drop", r.drop);
    }
}

}  // namespace

namespace {

void write_state_to(Writer& w, const State& s, const model::Model* schema_from) {
  w.out += "# packdbc state: what the migrations listed below produce (`schema`), and what those before\n"
          "# the last generation produce (`base`). Written by `packdbc compile` and read back by the next\n"
          "# compile, which generates only the difference. Do not edit; see docs/migrate.md.\n";
  w.kv(0, "format", "packdbc-state 1");
  w.kv(0, "pack", s.pack);
  w.kv(0, "target", s.target);
  w.kv(0, "version", s.version);
  if (w.open(0, "generations", s.generations.empty()))
    for (const auto& g : s.generations) {
      w.kv(4, "pack_version", g.pack_version, true);
      if (w.open(4, "migrations", g.migrations.empty()))
        for (const auto& f : g.migrations) w.item(8, f);
    }
  w.open(0, "schema");
  if (schema_from) write_schema(w, 2, schema_without_tables(*schema_from), schema_from);
  else write_schema(w, 2, s.schema);
  if (s.base) {
    w.kv(0, "base_version", s.base_version);
    w.open(0, "base");
    write_schema(w, 2, *s.base);
  }
}

}  // namespace

std::string write_state(const State& s, const model::Model* schema_from) {
  Writer w;
  // Room for the whole file up front (a bench table takes under 6 kB): see Tap's constructor
  // in gen/pgtap.cpp for why; untouched pages cost no memory.
  const std::size_t tables = (schema_from ? schema_from->tables.size() : s.schema.tables.size()) +
                             (s.base ? s.base->tables.size() : 0);
  w.out.reserve(64 * 1024 + 16 * 1024 * tables);
  write_state_to(w, s, schema_from);
  return std::move(w.out);
}

void write_state(const State& s, const model::Model* schema_from, const StateSink& sink) {
  Writer w;
  w.sink = &sink;
  w.out.reserve((1u << 20) + 256 * 1024);  // a megabyte and the table that passes it
  write_state_to(w, s, schema_from);
  w.pass_on(true);
}

// ---- reading ----------------------------------------------------------------------------------

namespace {

struct Bad {
  std::string message;
};

using yaml::Tree;

// yaml-cpp's tree in the reader's form: for files the fast reader does not take.
Tree from_yaml_cpp(const YAML::Node& n) {
  Tree t;
  t.line = n.Mark().line + 1;
  if (n.IsScalar()) {
    t.kind = Tree::Kind::scalar;
    t.text = n.Scalar();
  } else if (n.IsSequence()) {
    t.kind = Tree::Kind::seq;
    for (const auto& x : n) t.items.push_back(from_yaml_cpp(x));
  } else if (n.IsMap()) {
    t.kind = Tree::Kind::map;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) throw Bad{fmt::format("line {}: a key must be text", kv.first.Mark().line + 1)};
      t.keys.push_back(kv.first.Scalar());
      t.items.push_back(from_yaml_cpp(kv.second));
    }
  }
  return t;
}

std::string str(const Tree& n, const char* key) {
  const Tree* v = n.find(key);
  if (!v) throw Bad{fmt::format("line {}: `{}` is missing", n.line, key)};
  if (v->kind != Tree::Kind::scalar) throw Bad{fmt::format("line {}: `{}` must be text", v->line, key)};
  return v->text;
}

// As yaml-cpp reads a boolean.
bool flag(const Tree& n, const char* key) {
  const Tree* v = n.find(key);
  if (v && v->kind == Tree::Kind::scalar) {
    for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"})
      if (v->text == t) return true;
    for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"})
      if (v->text == f) return false;
  }
  throw Bad{fmt::format("line {}: `{}` must be true or false", (v ? v : &n)->line, key)};
}

const std::vector<Tree>& seq(const Tree& n, const char* key) {
  const Tree* v = n.find(key);
  if (!v || v->kind != Tree::Kind::seq) throw Bad{fmt::format("line {}: `{}` must be a list", n.line, key)};
  return v->items;
}

std::vector<std::string> strs(const Tree& n, const char* key) {
  std::vector<std::string> out;
  for (const auto& x : seq(n, key)) {
    if (x.kind != Tree::Kind::scalar) throw Bad{fmt::format("line {}: `{}` must be a list of text", x.line, key)};
    out.push_back(x.text);
  }
  return out;
}

Schema read_schema(const Tree& root) {
  if (root.kind != Tree::Kind::map) throw Bad{fmt::format("line {}: a schema must be a map", root.line)};
  Schema s;
  s.extensions = strs(root, "extensions");
  for (const auto& en : seq(root, "enums")) s.enums.push_back({str(en, "name"), str(en, "qualified"), strs(en, "values")});
  for (const auto& t : seq(root, "tables")) {
    StateTable st;
    st.name = str(t, "name");
    st.qualified = str(t, "qualified");
    st.existing = flag(t, "existing");
    st.rls = flag(t, "rls");
    st.comment = str(t, "comment");
    for (const auto& c : seq(t, "columns"))
      st.columns.push_back({str(c, "name"), str(c, "type"), flag(c, "nullable"), str(c, "default"), str(c, "definition")});
    for (const auto& o : seq(t, "objects"))
      st.objects.push_back({str(o, "kind"), str(o, "name"), strs(o, "columns"), str(o, "create"), str(o, "drop")});
    s.tables.push_back(std::move(st));
  }
  for (const auto& r : seq(root, "routines"))
    s.routines.push_back({str(r, "kind"), str(r, "name"), str(r, "create"), str(r, "drop")});
  return s;
}

State read_root(const Tree& root) {
  if (root.kind != Tree::Kind::map) throw Bad{"it is not a packdbc state file"};
  if (str(root, "format") != "packdbc-state 1")
    throw Bad{fmt::format("format `{}` is not one this packdbc reads (packdbc-state 1)", str(root, "format"))};
  State s;
  s.pack = str(root, "pack");
  s.target = str(root, "target");
  s.version = str(root, "version");
  for (const auto& g : seq(root, "generations")) s.generations.push_back({str(g, "pack_version"), strs(g, "migrations")});
  if (s.generations.empty()) throw Bad{"`generations` is empty"};
  const Tree* schema = root.find("schema");
  if (!schema) throw Bad{"`schema` is missing"};
  s.schema = read_schema(*schema);
  if (const Tree* base = root.find("base")) {
    s.base = read_schema(*base);
    s.base_version = str(root, "base_version");
  }
  return s;
}

}  // namespace

std::optional<State> read_state(const std::string& text, std::string& error, bool fast) {
  try {
    // What packdbc wrote goes through the fast reader; anything else (edited by hand, broken)
    // through yaml-cpp, which also words the errors.
    std::optional<Tree> tree = fast ? yaml::read_written(text) : std::nullopt;
    if (!tree) tree = from_yaml_cpp(YAML::Load(text));
    return read_root(*tree);
  } catch (const Bad& b) {
    error = b.message;
  } catch (const YAML::Exception& e) {
    error = fmt::format("line {}: {}", e.mark.line + 1, e.msg);
  }
  return std::nullopt;
}

}  // namespace packdb::plan
