#include "compiler/plan/phases.hpp"
#include "compiler/plan/ddl.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace packdb::plan {

using model::Model;
using model::Table;

namespace {

std::string qi(const std::string& s) { return model::quote_ident(s); }
std::string ql(const std::string& s) { return model::quote_literal(s); }

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// The statement builders below run for every object of every table, for the migrations and
// again for the state file: they append to one string instead of joining temporaries.
void append_ident_list(std::string& out, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    model::append_ident(out, names[i]);
  }
}

// `schema.name`, quoted, or the schema the name carries (`auth.users`).
void append_qualified(std::string& out, std::string_view schema, std::string_view name) {
  auto dot = name.find('.');
  if (dot != std::string_view::npos) {
    schema = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  model::append_ident(out, schema);
  out += '.';
  model::append_ident(out, name);
}

// table_sql, appended.
void append_table(std::string& out, const Model& m, const Table& t) { append_qualified(out, m.profile.schema, t.name); }

}  // namespace

std::string ident_list(const std::vector<std::string>& names) {
  std::string out;
  append_ident_list(out, names);
  return out;
}

namespace {

// One line for a comment: no line breaks inside.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

// "1 index", "2 indexes"
std::string count_of(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

bool is_plain_identifier(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// The phase a table of the model is created (or altered) in.
}  // namespace

PhaseKind table_phase(const Table& t) {
  if (t.existing) return PhaseKind::extensions;
  return t.depth <= 0 ? PhaseKind::foundation : PhaseKind::extensions;
}

namespace {

std::string on_delete_clause(const model::ForeignKey& fk) {
  if (fk.on_delete == model::OnDelete::no_action) return "";
  return std::string(" on delete ") + model::on_delete_sql(fk.on_delete);
}

}  // namespace

std::string fk_clause(const Model& m, const model::ForeignKey& fk) {
  std::string out = fmt::format("foreign key ({}) references {}", ident_list(fk.columns), ref_table_sql(m, fk.ref_table));
  if (!fk.ref_columns.empty()) out += " (" + ident_list(fk.ref_columns) + ")";
  return out + on_delete_clause(fk);
}

namespace {

}  // namespace

std::string column_def(const Model& m, const model::Column& c) {
  std::string out;
  model::append_ident(out, c.name);
  out += ' ';
  out += type_sql(m, c.type);
  if (!c.nullable) out += " not null";
  // A key default "generated always|by default as identity" (a profile taken from a database
  // with identity keys, compiler/check/conventions.cpp) is a column clause, not a default.
  if (!c.default_sql.empty()) {
    out += c.default_sql.rfind("generated ", 0) == 0 ? " " : " default ";
    out += c.default_sql;
  }
  return out;
}

namespace {

std::string opclass_sql(const Model& m, const std::string& opclass) {
  if (opclass.empty()) return "";
  if (opclass.find('.') != std::string::npos) return opclass;
  if (!extension_of_opclass(opclass).empty()) return qi(m.profile.extension_schema) + "." + qi(opclass);
  return qi(opclass);
}

void append_index_column(std::string& out, const Model& m, const model::IndexColumn& c) {
  // A column name, or an expression such as lower(email) (which must be parenthesised).
  if (is_plain_identifier(c.name)) {
    model::append_ident(out, c.name);
  } else {
    out += '(';
    out += c.name;
    out += ')';
  }
  if (!c.opclass.empty()) {
    out += ' ';
    out += opclass_sql(m, c.opclass);
  }
  if (c.descending) out += " desc";
}

}  // namespace

std::string create_index_sql(const Model& m, const Table& t, const model::Index& ix) {
  std::string out = ix.unique ? "create unique index " : "create index ";
  model::append_ident(out, ix.name);
  out += " on ";
  append_table(out, m, t);
  out += " using ";
  out += model::index_method_sql(ix.method);
  out += " (";
  for (std::size_t i = 0; i < ix.columns.size(); ++i) {
    if (i) out += ", ";
    append_index_column(out, m, ix.columns[i]);
  }
  out += ')';
  if (!ix.where_sql.empty()) {
    out += " where ";
    out += ix.where_sql;
  }
  out += ';';
  return out;
}

namespace {

}  // namespace

std::string drop_index_sql(const Model& m, const Table& t, const model::Index& ix) {
  std::string out = "drop index ";
  model::append_ident(out, table_schema(m, t));
  out += '.';
  model::append_ident(out, ix.name);
  out += ';';
  return out;
}

namespace {

}  // namespace

std::string create_policy_sql(const Model& m, const Table& t, const model::Policy& p) {
  std::string out;
  out.reserve(96 + p.name.size() + 2 * t.name.size() + p.using_sql.size() + p.check_sql.size());
  out += "create policy ";
  model::append_ident(out, p.name);
  out += " on ";
  append_table(out, m, t);
  if (p.restrictive) out += "\n  as restrictive";
  out += "\n  for ";
  out += model::command_sql(p.command);
  out += "\n  to ";
  if (p.roles.empty()) out += "public";
  else append_ident_list(out, p.roles);
  if (!p.using_sql.empty()) {
    out += "\n  using (";
    out += p.using_sql;
    out += ')';
  }
  if (!p.check_sql.empty()) {
    out += "\n  with check (";
    out += p.check_sql;
    out += ')';
  }
  out += ';';
  return out;
}

namespace {

}  // namespace

std::string drop_policy_sql(const Model& m, const Table& t, const model::Policy& p) {
  std::string out = "drop policy ";
  model::append_ident(out, p.name);
  out += " on ";
  append_table(out, m, t);
  out += ';';
  return out;
}

namespace {

}  // namespace

std::string create_trigger_sql(const Model& m, const Table& t) {
  return fmt::format(
      "create trigger {}\n"
      "  before update on {}\n"
      "  for each row execute function {}();",
      qi(updated_at_trigger_name(t)), table_sql(m, t), updated_at_function_sql(m));
}

namespace {

}  // namespace

std::string create_table_sql(const Model& m, const Table& t, const std::vector<const model::ForeignKey*>& inline_fks) {
  std::vector<std::string> items;
  for (const auto& c : t.columns) items.push_back(column_def(m, c));
  if (!t.primary_key.empty())
    items.push_back(
        fmt::format("constraint {} primary key ({})", qi(table_bare_name(t) + "_pkey"), ident_list(t.primary_key)));
  for (const auto& u : t.uniques)
    items.push_back(fmt::format("constraint {} unique ({})", qi(u.name), ident_list(u.columns)));
  for (const auto& c : t.checks) items.push_back(fmt::format("constraint {} check ({})", qi(c.name), c.sql));
  for (const auto* fk : inline_fks) items.push_back(fmt::format("constraint {} {}", qi(fk->name), fk_clause(m, *fk)));
  return fmt::format("create table {} (\n  {}\n);", table_sql(m, t), join(items, ",\n  "));
}

namespace {

// A seed value used in a condition or a select list: simple literals stay as they are.
bool is_simple_literal(const std::string& v) {
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\'') {
        if (i + 2 < v.size() && v[i + 1] == '\'') {
          ++i;
          continue;
        }
        return false;
      }
    }
    return true;
  }
  return false;
}

// An index the resolver lists for a unique constraint (origin unique): the constraint creates it.
}  // namespace

bool made_by_constraint(const Table& t, const model::Index& ix) {
  if (ix.origin != model::IndexOrigin::unique) return false;
  for (const auto& u : t.uniques) {
    if (u.name == ix.name) return true;
    if (u.columns.size() == ix.columns.size()) {
      bool same = true;
      for (std::size_t i = 0; i < u.columns.size(); ++i) same = same && u.columns[i] == ix.columns[i].name;
      if (same) return true;
    }
  }
  return false;
}

std::string create_search_sql(const Model& m, const model::Search& s) {
  if (s.table < 0 || s.table >= static_cast<int>(m.tables.size()))
    throw std::logic_error("search " + s.name + ": no table");
  const Table& t = m.tables[s.table];
  const std::string fn = qualify(m.profile.schema, s.name);
  const std::string tref = qi(table_bare_name(t));
  const std::string fref = qi(s.name);
  const model::Column* vcol = t.column(s.column);
  if (!vcol) throw std::logic_error("search " + s.name + ": no column " + s.column);
  const model::SqlType vtype = s.vector_type.base.empty() ? vcol->type : s.vector_type;

  std::vector<std::string> params;
  for (const auto& p : s.filter_params) params.push_back(qi(p.name) + " " + type_sql(m, p.type));
  params.push_back(qi(s.param) + " " + type_sql(m, vtype));
  params.push_back(fmt::format("match_count integer default {}", s.limit));

  std::vector<std::string> outs, sel;
  const model::Column* key = t.column(m.profile.key_column);
  if (key) {
    outs.push_back(qi(key->name) + " " + type_sql(m, key->type));
    sel.push_back(tref + "." + qi(key->name));
  }
  for (const auto& rc : s.returned_columns) {
    if (key && rc == key->name) continue;
    const model::Column* c = t.column(rc);
    if (!c) throw std::logic_error("search " + s.name + ": no column " + rc);
    outs.push_back(qi(c->name) + " " + type_sql(m, c->type));
    sel.push_back(tref + "." + qi(c->name));
  }
  outs.push_back("similarity double precision");
  const std::string op = fmt::format("operator({}.{})", qi(m.profile.extension_schema),
                                     s.metric_operator.empty() ? "<=>" : s.metric_operator);
  const std::string distance = fmt::format("{}.{} {} {}.{}", tref, qi(s.column), op, fref, qi(s.param));
  std::string similarity = s.similarity_sql;
  if (similarity.empty()) {
    if (s.metric_operator == "<#>")
      similarity = "(" + distance + ") * -1";  // negative inner product
    else if (s.metric_operator == "<->" || s.metric_operator == "<+>")
      similarity = "1 / (1 + (" + distance + "))";
    else
      similarity = "1 - (" + distance + ")";  // cosine distance
  }
  sel.push_back("(" + similarity + ")::double precision as similarity");

  std::string body = fmt::format("  select\n    {}\n  from {}\n", join(sel, ",\n    "), table_sql(m, t));
  if (!s.where_sql.empty()) body += "  where " + s.where_sql + "\n";
  body += fmt::format("  order by {}\n  limit {}.match_count\n", distance, fref);

  return fmt::format("create function {}(\n"
                     "  {}\n"
                     ")\n"
                     "returns table ({})\n"
                     "language sql\n"
                     "stable\n"
                     "security invoker\n"
                     "set search_path = ''\n"
                     "as $$\n"
                     "{}"
                     "$$;",
                     fn, join(params, ",\n  "), join(outs, ", "), body);
}

std::string create_view_sql(const Model& m, const model::View& v) {
  if (v.table < 0 || v.table >= static_cast<int>(m.tables.size()))
    throw std::logic_error("view " + v.name + ": no table");
  const Table& t = m.tables[v.table];
  std::vector<std::string> cols;
  if (!v.columns.empty())
    for (const auto& c : v.columns) cols.push_back(qi(c));
  else if (t.existing)
    cols.push_back("*");  // the model knows only the columns this pack added
  else
    for (const auto& c : t.columns) cols.push_back(qi(c.name));
  const std::string name = qualify(m.profile.schema, v.name);
  std::string sql = fmt::format("create view {} with (security_invoker = true) as\n  select {}\n  from {}", name,
                                join(cols, ", "), table_sql(m, t));
  if (!v.where_sql.empty()) sql += "\n  where " + v.where_sql;
  return sql + ";";
}

std::string create_trigger_function_sql(const Model& m) {
  return fmt::format("create function {}()\n"
                     "returns trigger\n"
                     "language plpgsql\n"
                     "set search_path = ''\n"
                     "as $$\n"
                     "begin\n"
                     "  new.{} := now();\n"
                     "  return new;\n"
                     "end\n"
                     "$$;",
                     updated_at_function_sql(m), qi(m.profile.updated_column));
}

namespace {

// ---- building a phase -----------------------------------------------------------------------------

struct Builder {
  std::vector<std::string> up;
  std::vector<std::string> downs;  // in up order; reversed at the end
  std::vector<std::string> summary;
  std::vector<int> tables;  // the tables created or altered, in order

  // Where the phase may be cut into separate migrations:
  // {up.size(), downs.size(), summary.size(), tables.size()}.
  std::vector<std::array<std::size_t, 4>> cuts;

  // `down` empty: the object goes with something dropped later in the down script.
  void add(std::string up_sql, std::string down_sql = {}) {
    up.push_back(std::move(up_sql));
    if (!down_sql.empty()) downs.push_back(std::move(down_sql));
  }
  void cut() { cuts.push_back({up.size(), downs.size(), summary.size(), tables.size()}); }
  bool empty() const { return up.empty(); }
};

// PostgreSQL's lock table holds max_locks_per_transaction (default 64) × max_connections
// entries; creating a table takes several (the table, its indexes, TOAST, the tables its
// foreign keys point to), so a few thousand tables in one transaction fail with "out of
// shared memory". A phase creating more tables than this is cut into parts, each its own
// migration (and transaction): about 8 locks a table, 1,600 a part, well within the default
// 6,400 of a server with max_connections = 100.
constexpr std::size_t kTablesPerMigration = 200;

class Planner {
 public:
  Planner(const Model& m, const PlanOptions& o) : m_(m), o_(o) {
    // Creation order: phase 1 tables, then phase 2 tables, each in model order. Existing
    // tables exist before everything.
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < m.tables.size(); ++i) {
        const Table& t = m.tables[i];
        if (t.existing) continue;
        if ((table_phase(t) == PhaseKind::foundation) == (pass == 0)) order_.push_back(static_cast<int>(i));
      }
    position_.assign(m.tables.size(), -1);
    for (std::size_t p = 0; p < order_.size(); ++p) position_[order_[p]] = static_cast<int>(p);
    for (const auto& t : m.tables)
      if (t.has_updated_at && !o.trigger_function_exists) {
        needs_trigger_fn_ = true;
        if (table_phase(t) == PhaseKind::foundation) trigger_fn_phase_ = PhaseKind::foundation;
      }
  }

  std::vector<Phase> plan(const std::string& date) {
    std::vector<Phase> out;
    for (PhaseKind k : {PhaseKind::foundation, PhaseKind::extensions, PhaseKind::functions}) {
      Builder b;
      build(k, b);
      if (b.empty()) continue;
      // The parts: [0, cut1), [cut1, cut2), …, [cutN, end).
      std::vector<std::array<std::size_t, 4>> bounds = {{0, 0, 0, 0}};
      for (const auto& c : b.cuts)
        if (c[0] > bounds.back()[0] && c[0] < b.up.size()) bounds.push_back(c);
      bounds.push_back({b.up.size(), b.downs.size(), b.summary.size(), b.tables.size()});
      const std::size_t parts = bounds.size() - 1;
      for (std::size_t i = 0; i < parts; ++i) {
        const auto &from = bounds[i], &to = bounds[i + 1];
        Phase p;
        p.kind = k;
        p.name = parts == 1 ? phase_name(k) : fmt::format("{}_part{}", phase_name(k), i + 1);
        p.version = fmt::format("{}{:06d}", date, out.size() + o_.first_sequence);
        p.up.assign(std::make_move_iterator(b.up.begin() + from[0]), std::make_move_iterator(b.up.begin() + to[0]));
        p.down.assign(std::make_reverse_iterator(b.downs.begin() + to[1]),
                      std::make_reverse_iterator(b.downs.begin() + from[1]));
        p.summary.assign(b.summary.begin() + from[2], b.summary.begin() + to[2]);
        p.table_indexes.assign(b.tables.begin() + from[3], b.tables.begin() + to[3]);
        out.push_back(std::move(p));
      }
    }
    return out;
  }

 private:
  // Position of a table in the creation order; -1 for existing and external tables.
  int created_at(const std::string& ref) const {
    int ti = m_.table_index(ref);
    if (ti < 0 || m_.tables[ti].existing) return -1;
    return created_at(ti);
  }
  int created_at(int ti) const { return ti >= 0 && ti < static_cast<int>(position_.size()) ? position_[ti] : -1; }

  // Is the foreign key's target there when table `ti` is created (or altered)? Otherwise the
  // constraint is added by an `alter table` once both tables exist.
  bool fk_ready_inline(int ti, const model::ForeignKey& fk) const {
    int ref = created_at(fk.ref_table);
    if (ref < 0) return true;  // external (auth.users) or an existing table
    const Table& t = m_.tables[ti];
    if (t.existing) {
      // Existing tables are altered in phase 2 in model order; the target must be created by then.
      const Table& rt = m_.tables[m_.table_index(fk.ref_table)];
      if (table_phase(rt) == PhaseKind::foundation) return true;
      return m_.table_index(fk.ref_table) < ti;
    }
    return ref < created_at(ti);
  }

  // The phase in which a deferred foreign key is added: when the later of its two tables exists.
  PhaseKind deferred_fk_phase(int ti, const model::ForeignKey& fk) const {
    const Table& rt = m_.tables[m_.table_index(fk.ref_table)];
    if (table_phase(m_.tables[ti]) == PhaseKind::extensions || table_phase(rt) == PhaseKind::extensions)
      return PhaseKind::extensions;
    return PhaseKind::foundation;
  }

  void build(PhaseKind k, Builder& b) {
    switch (k) {
      case PhaseKind::foundation:
        extensions(b);
        enums(b);
        break;
      case PhaseKind::extensions: break;
      case PhaseKind::functions:
        searches(b);
        views(b);
        return;
      case PhaseKind::evolution: return;  // not a phase of a first compile (evolve.cpp)
    }
    if (needs_trigger_fn_ && trigger_fn_phase_ == k) {
      bool used = false;
      for (const auto& t : m_.tables) used = used || (t.has_updated_at && table_phase(t) == k);
      if (used) trigger_function(b);
    }
    // Seed rows come after every table of the phase and are dropped with their tables, so a
    // phase with seed rows is never cut: rolling back its last part alone would leave them.
    bool cuttable = std::none_of(m_.seeds.begin(), m_.seeds.end(), [&](const model::SeedRow& s) {
      return s.table >= 0 && s.table < static_cast<int>(m_.tables.size()) && table_phase(m_.tables[s.table]) == k;
    });
    std::size_t tables = 0;
    for (std::size_t i = 0; i < m_.tables.size(); ++i) {
      const Table& t = m_.tables[i];
      if (table_phase(t) != k) continue;
      if (cuttable && tables && tables % kTablesPerMigration == 0) b.cut();
      ++tables;
      b.tables.push_back(static_cast<int>(i));
      if (t.existing)
        alter_existing(static_cast<int>(i), b);
      else
        create_table(static_cast<int>(i), b);
    }
    // Foreign keys whose target is created later than their table (cycles, forward references).
    for (std::size_t i = 0; i < m_.tables.size(); ++i) {
      const Table& t = m_.tables[i];
      for (const auto& fk : t.foreign_keys) {
        if (fk_ready_inline(static_cast<int>(i), fk) || deferred_fk_phase(static_cast<int>(i), fk) != k) continue;
        b.add(fmt::format("alter table {} add constraint {} {};", table_sql(m_, t), qi(fk.name), fk_clause(m_, fk)),
              fmt::format("alter table {} drop constraint {};", table_sql(m_, t), qi(fk.name)));
        b.summary.push_back(fmt::format("foreign key {} on {} (added once {} exists)", fk.name, table_sql(m_, t),
                                        ref_table_sql(m_, fk.ref_table)));
      }
    }
    seeds(k, b);
  }

  void extensions(Builder& b) {
    const std::string marker = extension_marker(m_);
    for (const auto& ext : required_extensions(m_)) {
      if (std::count(o_.existing_extensions.begin(), o_.existing_extensions.end(), ext)) continue;
      b.add(fmt::format("do $$\n"
                        "begin\n"
                        "  if not exists (select 1 from pg_catalog.pg_extension where extname = {0}) then\n"
                        "    create extension {1} with schema {2};\n"
                        "    comment on extension {1} is {3};\n"
                        "  end if;\n"
                        "end\n"
                        "$$;",
                        ql(ext), qi(ext), qi(m_.profile.extension_schema), ql(marker)),
            fmt::format("do $$\n"
                        "begin\n"
                        "  if exists (select 1 from pg_catalog.pg_extension e\n"
                        "             where e.extname = {0}\n"
                        "               and pg_catalog.obj_description(e.oid, 'pg_extension') = {2}) then\n"
                        "    drop extension {1};\n"
                        "  end if;\n"
                        "end\n"
                        "$$;",
                        ql(ext), qi(ext), ql(marker)));
      b.summary.push_back(fmt::format("extension {} in schema {} (created only if missing; the rollback drops it "
                                      "only if this pack created it)",
                                      ext, m_.profile.extension_schema));
    }
  }

  void enums(Builder& b) {
    for (const auto& e : m_.enums) {
      std::vector<std::string> vals;
      for (const auto& v : e.values) vals.push_back(ql(v));
      std::string name = qualify(m_.profile.schema, e.name);
      b.add(fmt::format("create type {} as enum ({});", name, join(vals, ", ")), fmt::format("drop type {};", name));
      b.summary.push_back(fmt::format("enum {} ({})", name, join(e.values, ", ")));
    }
  }

  void trigger_function(Builder& b) {
    std::string fn = updated_at_function_sql(m_);
    b.add(create_trigger_function_sql(m_), fmt::format("drop function {}();", fn));
    b.summary.push_back(fmt::format("trigger function {}() keeping {} current (fixed search_path)", fn,
                                    m_.profile.updated_column));
  }

  void create_table(int ti, Builder& b) {
    const Table& t = m_.tables[ti];
    const std::string name = table_sql(m_, t);
    std::vector<const model::ForeignKey*> inline_fks;
    for (const auto& fk : t.foreign_keys)
      if (fk_ready_inline(ti, fk)) inline_fks.push_back(&fk);
    b.add(create_table_sql(m_, t, inline_fks), fmt::format("drop table {};", name));
    // Everything below is dropped with the table.
    if (!t.purpose.empty()) b.add(fmt::format("comment on table {} is {};", name, ql(t.purpose)));
    for (const auto& ix : t.indexes)
      if (!made_by_constraint(t, ix)) b.add(create_index_sql(m_, t, ix));
    if (t.rls) b.add(fmt::format("alter table {} enable row level security;", name));
    // Without Supabase's default privileges the signed-in role needs a grant to reach the
    // table at all; row-level security then decides which rows.
    if (m_.profile.grant_tables && !m_.profile.user_role.empty())
      b.add(fmt::format("grant select, insert, update, delete on table {} to {};", name, qi(m_.profile.user_role)));
    for (const auto& p : t.policies) b.add(create_policy_sql(m_, t, p));
    if (t.has_updated_at) b.add(create_trigger_sql(m_, t));

    std::string what = fmt::format("table {}", name);
    if (!t.purpose.empty()) what += " — " + one_line(t.purpose);
    std::vector<std::string> parts;
    parts.push_back(count_of(t.columns.size(), "column", "columns"));
    if (!t.foreign_keys.empty()) parts.push_back(count_of(t.foreign_keys.size(), "foreign key", "foreign keys"));
    if (!t.indexes.empty()) parts.push_back(count_of(t.indexes.size(), "index", "indexes"));
    if (t.rls) parts.push_back("RLS with " + count_of(t.policies.size(), "policy", "policies"));
    if (t.has_updated_at) parts.push_back(m_.profile.updated_column + " trigger");
    b.summary.push_back(what + " (" + join(parts, ", ") + ")");
  }

  // `extend table`: every part is added to a table that exists, and dropped again by the rollback.
  void alter_existing(int ti, Builder& b) {
    const Table& t = m_.tables[ti];
    const std::string name = table_sql(m_, t);
    std::vector<std::string> added;
    for (const auto& c : t.columns) {
      b.add(fmt::format("alter table {} add column {};", name, column_def(m_, c)),
            fmt::format("alter table {} drop column {};", name, qi(c.name)));
      added.push_back("column " + c.name);
    }
    for (const auto& u : t.uniques) {
      b.add(fmt::format("alter table {} add constraint {} unique ({});", name, qi(u.name), ident_list(u.columns)),
            fmt::format("alter table {} drop constraint {};", name, qi(u.name)));
      added.push_back("unique " + u.name);
    }
    for (const auto& c : t.checks) {
      b.add(fmt::format("alter table {} add constraint {} check ({});", name, qi(c.name), c.sql),
            fmt::format("alter table {} drop constraint {};", name, qi(c.name)));
      added.push_back("check " + c.name);
    }
    for (const auto& fk : t.foreign_keys) {
      if (!fk_ready_inline(ti, fk)) continue;
      b.add(fmt::format("alter table {} add constraint {} {};", name, qi(fk.name), fk_clause(m_, fk)),
            fmt::format("alter table {} drop constraint {};", name, qi(fk.name)));
      added.push_back("foreign key " + fk.name);
    }
    for (const auto& ix : t.indexes) {
      if (made_by_constraint(t, ix)) continue;
      b.add(create_index_sql(m_, t, ix), drop_index_sql(m_, t, ix));
      added.push_back("index " + ix.name);
    }
    for (const auto& p : t.policies) {
      b.add(create_policy_sql(m_, t, p), drop_policy_sql(m_, t, p));
      added.push_back("policy " + p.name);
    }
    if (t.rls) {
      enable_rls_existing(t, b);
      added.push_back("row level security (if not enabled yet)");
    }
    if (t.has_updated_at) {
      b.add(create_trigger_sql(m_, t),
            fmt::format("drop trigger {} on {};", qi(updated_at_trigger_name(t)), name));
      added.push_back(m_.profile.updated_column + " trigger");
    }
    b.summary.push_back(fmt::format("existing table {}: adds {}", name, join(added, ", ")));
  }

  // RLS may already be on for an existing table. The up script enables it only when it is off
  // and then marks that with a comment on an object it added itself (a policy, else an index,
  // else a column); the rollback disables RLS only when that mark is there.
  void enable_rls_existing(const Table& t, Builder& b) {
    const std::string name = table_sql(m_, t);
    const std::string mark = ql("packdbc:" + m_.pack + ":rls");
    std::string comment_sql, mark_test;
    if (!t.policies.empty()) {
      const auto& p = t.policies.front();
      comment_sql = fmt::format("comment on policy {} on {} is {};", qi(p.name), name, mark);
      mark_test = fmt::format(
          "exists (select 1 from pg_catalog.pg_policy p\n"
          "             where p.polrelid = {}::regclass and p.polname = {}\n"
          "               and pg_catalog.obj_description(p.oid, 'pg_policy') = {})",
          ql(name), ql(p.name), mark);
    } else if (!t.indexes.empty()) {
      const auto& ix = t.indexes.front();
      std::string ixname = qi(table_schema(m_, t)) + "." + qi(ix.name);
      comment_sql = fmt::format("comment on index {} is {};", ixname, mark);
      mark_test = fmt::format("pg_catalog.obj_description({}::regclass, 'pg_class') is not distinct from {}",
                              ql(ixname), mark);
    } else if (!t.columns.empty()) {
      const auto& c = t.columns.front();
      comment_sql = fmt::format("comment on column {}.{} is {};", name, qi(c.name), mark);
      mark_test = fmt::format(
          "pg_catalog.col_description({0}::regclass,\n"
          "       (select a.attnum from pg_catalog.pg_attribute a\n"
          "        where a.attrelid = {0}::regclass and a.attname = {1})) is not distinct from {2}",
          ql(name), ql(c.name), mark);
    }
    if (comment_sql.empty()) {
      // Nothing of ours to carry the mark: enable and disable unconditionally.
      b.add(fmt::format("alter table {} enable row level security;", name),
            fmt::format("alter table {} disable row level security;", name));
      return;
    }
    b.add(fmt::format("do $$\n"
                      "begin\n"
                      "  if not (select c.relrowsecurity from pg_catalog.pg_class c where c.oid = {}::regclass) then\n"
                      "    alter table {} enable row level security;\n"
                      "    {}\n"
                      "  end if;\n"
                      "end\n"
                      "$$;",
                      ql(name), name, comment_sql),
          fmt::format("do $$\n"
                      "begin\n"
                      "  if {} then\n"
                      "    alter table {} disable row level security;\n"
                      "  end if;\n"
                      "end\n"
                      "$$;",
                      mark_test, name));
  }

  void seeds(PhaseKind k, Builder& b) {
    std::vector<int> counts(m_.tables.size(), 0);
    for (const auto& s : m_.seeds) {
      if (s.table < 0 || s.table >= static_cast<int>(m_.tables.size())) continue;
      const Table& t = m_.tables[s.table];
      if (table_phase(t) != k) continue;
      seed_row(t, s, b);
      ++counts[s.table];
    }
    for (std::size_t i = 0; i < counts.size(); ++i)
      if (counts[i])
        b.summary.push_back(fmt::format("{} seed row{} in {}{}", counts[i], counts[i] == 1 ? "" : "s",
                                        table_sql(m_, m_.tables[i]),
                                        m_.tables[i].owned && !m_.profile.user_table.empty()
                                            ? " (inserted only when the owner exists)"
                                            : ""));
  }

  void seed_row(const Table& t, const model::SeedRow& s, Builder& b) {
    std::vector<std::string> cols, vals;
    for (const auto& [c, v] : s.values) {
      cols.push_back(c);
      vals.push_back(v);
    }
    auto value_of = [&](const std::string& c) -> const std::string* {
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i] == c) return &vals[i];
      return nullptr;
    };
    const std::string& owner = m_.profile.owner_column;
    if (t.owned && !s.owner_literal.empty() && !value_of(owner)) {
      cols.push_back(owner);
      vals.push_back(uuid_literal_sql(s.owner_literal));
    }
    // Conditions: the rows the seed row refers to must exist (a missing user or parent skips
    // the row instead of failing the migration).
    std::vector<std::string> conds;
    const bool has_users = !m_.profile.user_table.empty();
    if (t.owned && has_users) {
      if (const std::string* v = value_of(owner); v && *v != "null")
        conds.push_back(fmt::format("exists (select 1 from {} where {} = {})", qualify(m_.profile.schema, m_.profile.user_table),
                                    qi(m_.profile.user_key), *v));
    }
    for (const auto& fk : t.foreign_keys) {
      if (t.owned && fk.columns.size() == 1 && fk.columns[0] == owner) continue;
      std::vector<std::string> ref_cols = fk_ref_columns(m_, fk);
      if (ref_cols.size() != fk.columns.size()) continue;
      std::vector<std::string> eqs;
      bool all = true;
      for (std::size_t i = 0; i < fk.columns.size(); ++i) {
        const std::string* v = value_of(fk.columns[i]);
        if (!v || *v == "null") {
          all = false;
          break;
        }
        eqs.push_back(fmt::format("{} = {}", qi(ref_cols[i]), *v));
      }
      if (all && !eqs.empty())
        conds.push_back(
            fmt::format("exists (select 1 from {} where {})", ref_table_sql(m_, fk.ref_table), join(eqs, " and ")));
    }
    std::vector<std::string> qcols;
    for (const auto& c : cols) qcols.push_back(qi(c));
    const std::string name = table_sql(m_, t);
    std::string up;
    if (conds.empty()) {
      up = fmt::format("insert into {} ({})\n  values ({});", name, join(qcols, ", "), join(vals, ", "));
    } else {
      // In a select list, values that are not plain literals are cast to the column's type.
      std::vector<std::string> sel;
      for (std::size_t i = 0; i < cols.size(); ++i) {
        const model::Column* col = t.column(cols[i]);
        const std::string& v = vals[i];
        if (!col || is_simple_literal(v) || v.find("::") != std::string::npos)
          sel.push_back(v);
        else
          sel.push_back("(" + v + ")::" + type_sql(m_, col->type));
      }
      up = fmt::format("insert into {} ({})\n  select {}\n  where {};", name, join(qcols, ", "), join(sel, ", "),
                       join(conds, "\n    and "));
    }
    std::string down;
    if (t.existing) {
      std::vector<std::string> eqs;
      for (std::size_t i = 0; i < cols.size(); ++i)
        eqs.push_back(fmt::format("{} is not distinct from {}", qcols[i], vals[i]));
      down = fmt::format("delete from {}\n  where {};", name, join(eqs, "\n    and "));
    }
    b.add(std::move(up), std::move(down));
  }

  void searches(Builder& b) {
    for (const auto& s : m_.searches) {
      b.add(create_search_sql(m_, s), fmt::format("drop function {};", search_signature_sql(m_, s)));
      const Table& t = m_.tables[s.table];
      b.summary.push_back(fmt::format("search function {}: nearest rows of {} by {} (security invoker, fixed "
                                      "search_path, at most {} rows by default)",
                                      qualify(m_.profile.schema, s.name), table_sql(m_, t), s.column, s.limit));
    }
  }

  void views(Builder& b) {
    for (const auto& v : m_.views) {
      const std::string name = qualify(m_.profile.schema, v.name);
      b.add(create_view_sql(m_, v), fmt::format("drop view {};", name));
      if (m_.profile.grant_tables && !m_.profile.user_role.empty())
        b.add(fmt::format("grant select on table {} to {};", name, qi(m_.profile.user_role)));
      b.summary.push_back(fmt::format("view {} over {} (security invoker: callers see only what RLS lets them)",
                                      name, table_sql(m_, m_.tables[v.table])));
    }
  }

  const Model& m_;
  const PlanOptions& o_;
  std::vector<int> order_;
  std::vector<int> position_;  // table index → position in order_, or -1
  bool needs_trigger_fn_ = false;
  PhaseKind trigger_fn_phase_ = PhaseKind::extensions;
};

}  // namespace

const char* phase_name(PhaseKind k) {
  switch (k) {
    case PhaseKind::foundation: return "foundation";
    case PhaseKind::extensions: return "extensions";
    case PhaseKind::functions: return "functions";
    case PhaseKind::evolution: return "evolution";
  }
  return "foundation";
}

int phase_number(PhaseKind k) {
  switch (k) {
    case PhaseKind::foundation: return 1;
    case PhaseKind::extensions: return 2;
    case PhaseKind::functions: return 3;
    case PhaseKind::evolution: return 0;
  }
  return 1;
}

std::vector<Phase> plan_phases(const Model& m, const std::string& date_yyyymmdd) {
  return plan_phases(m, date_yyyymmdd, PlanOptions{});
}

std::vector<Phase> plan_phases(const Model& m, const std::string& date_yyyymmdd, const PlanOptions& o) {
  if (date_yyyymmdd.size() != 8 ||
      !std::all_of(date_yyyymmdd.begin(), date_yyyymmdd.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::invalid_argument("migration date must be YYYYMMDD, got '" + date_yyyymmdd + "'");
  return Planner(m, o).plan(date_yyyymmdd);
}

std::string pack_ident(const std::string& pack) {
  std::string out;
  for (char c : pack) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) && u < 128 ? static_cast<char>(std::tolower(u)) : '_';
  }
  if (out.empty()) out = "pack";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "p_" + out;
  return out;
}

std::string qualify(const std::string& schema, const std::string& name) {
  std::string out;
  out.reserve(schema.size() + name.size() + 5);
  append_qualified(out, schema, name);
  return out;
}

std::string table_schema(const Model& m, const Table& t) {
  auto dot = t.name.find('.');
  return dot == std::string::npos ? m.profile.schema : t.name.substr(0, dot);
}

std::string table_bare_name(const Table& t) {
  auto dot = t.name.find('.');
  return dot == std::string::npos ? t.name : t.name.substr(dot + 1);
}

std::string table_sql(const Model& m, const Table& t) {
  std::string out;
  append_table(out, m, t);
  return out;
}

std::string ref_table_sql(const Model& m, const std::string& ref) {
  int ti = m.table_index(ref);
  if (ti >= 0) return table_sql(m, m.tables[ti]);
  return qualify(m.profile.schema, ref);
}

std::string extension_of_type(const std::string& base) {
  // Called for every column, several times per compile: most types start with another letter.
  if (base.empty() || (base[0] != 'v' && base[0] != 'h' && base[0] != 's' && base[0] != 'c' && base[0] != 'l'))
    return "";
  if (base == "vector" || base == "halfvec" || base == "sparsevec") return "vector";
  if (base == "citext") return "citext";
  if (base == "ltree") return "ltree";
  if (base == "hstore") return "hstore";
  return "";
}

std::string extension_of_opclass(const std::string& opclass) {
  if (opclass.empty()) return "";  // most index columns name no operator class
  std::string oc = opclass.substr(opclass.find('.') == std::string::npos ? 0 : opclass.find('.') + 1);
  auto starts = [&](const char* p) { return oc.rfind(p, 0) == 0; };
  if (starts("vector_") || starts("halfvec_") || starts("sparsevec_") || oc == "bit_hamming_ops" ||
      oc == "bit_jaccard_ops")
    return "vector";
  if (oc == "gin_trgm_ops" || oc == "gist_trgm_ops") return "pg_trgm";
  return "";
}

std::string type_sql(const Model& m, const model::SqlType& t) {
  std::string out;
  if (t.base.find('.') != std::string::npos)
    out = t.base;
  else if (t.enum_type || m.find_enum(t.base))
    out = qualify(m.profile.schema, t.base);
  else if (!extension_of_type(t.base).empty())
    out = qi(m.profile.extension_schema) + "." + t.base;
  else
    out = t.base;
  if (!t.params.empty()) {
    out += "(";
    for (std::size_t i = 0; i < t.params.size(); ++i) out += (i ? "," : "") + std::to_string(t.params[i]);
    out += ")";
  }
  for (int i = 0; i < t.array_dims; ++i) out += "[]";
  return out;
}

std::vector<std::string> required_extensions(const Model& m) {
  std::vector<std::string> out;
  auto add = [&](const std::string& e) {
    if (!e.empty() && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  for (const auto& e : m.extensions) add(e);
  for (const auto& t : m.tables) {
    for (const auto& c : t.columns) add(extension_of_type(c.type.base));
    for (const auto& ix : t.indexes)
      for (const auto& c : ix.columns) add(extension_of_opclass(c.opclass));
  }
  for (const auto& s : m.searches) add(extension_of_type(s.vector_type.base.empty() ? "vector" : s.vector_type.base));
  return out;
}

std::vector<std::string> fk_ref_columns(const Model& m, const model::ForeignKey& fk) {
  if (!fk.ref_columns.empty()) return fk.ref_columns;
  int ti = m.table_index(fk.ref_table);
  if (ti >= 0 && !m.tables[ti].primary_key.empty()) return m.tables[ti].primary_key;
  if (fk.ref_table == m.profile.user_table) return {m.profile.user_key};
  return {m.profile.key_column};
}

std::string updated_at_function_sql(const Model& m) {
  return qualify(m.profile.schema, pack_ident(m.pack) + "_set_updated_at");
}

std::string updated_at_trigger_name(const Table& t) { return table_bare_name(t) + "_set_updated_at"; }

std::string extension_marker(const Model& m) { return "packdbc:" + m.pack; }

std::string search_signature_sql(const Model& m, const model::Search& s) {
  std::vector<std::string> args;
  for (const auto& p : s.filter_params) args.push_back(type_sql(m, p.type));
  model::SqlType vtype = s.vector_type;
  if (vtype.base.empty() && s.table >= 0 && s.table < static_cast<int>(m.tables.size()))
    if (const model::Column* c = m.tables[s.table].column(s.column)) vtype = c->type;
  args.push_back(type_sql(m, vtype));
  args.push_back("integer");
  return qualify(m.profile.schema, s.name) + "(" + join(args, ", ") + ")";
}

std::string uuid_literal_sql(const std::string& literal) {
  std::string v = literal;
  if (v.size() > 6 && v.compare(v.size() - 6, 6, "::uuid") == 0) v.resize(v.size() - 6);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
  return ql(v) + "::uuid";
}

}  // namespace packdb::plan
