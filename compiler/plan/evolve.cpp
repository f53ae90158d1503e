#include "compiler/plan/evolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "compiler/plan/ddl.hpp"

namespace packdb::plan {

namespace {

using model::Model;

std::string qi(const std::string& s) { return model::quote_ident(s); }
std::string ql(const std::string& s) { return model::quote_literal(s); }

// Statements of one migration: ups in order, downs in up order (reversed when the migration is
// written, so the down script undoes the last change first), and the hazards met.
struct Bucket {
  std::vector<std::string> up, down;
  std::set<std::string> hazards;
  std::vector<std::string> changes;  // the changes (in words) this migration's statements make
  std::set<std::string> created, altered, dropped;  // the tables it creates, changes, drops
  void add(std::string u, std::string d, std::initializer_list<const char*> hz = {}) {
    up.push_back(std::move(u));
    if (!d.empty()) down.push_back(std::move(d));
    for (const char* h : hz) hazards.insert(h);
  }
  void append(Bucket&& o) {
    for (auto& s : o.up) up.push_back(std::move(s));
    for (auto& s : o.down) down.push_back(std::move(s));
    hazards.insert(o.hazards.begin(), o.hazards.end());
    for (auto& c : o.changes) changes.push_back(std::move(c));
    created.insert(o.created.begin(), o.created.end());
    altered.insert(o.altered.begin(), o.altered.end());
    dropped.insert(o.dropped.begin(), o.dropped.end());
  }
  bool empty() const { return up.empty(); }
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether `name` stands in `text` as a whole name (not inside a longer identifier).
bool has_name(const std::string& text, const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    bool left = at == 0 || !ident_char(text[at - 1]);
    bool right = at + name.size() >= text.size() || !ident_char(text[at + name.size()]);
    if (left && right) return true;
  }
  return false;
}

// Whether policy `o` of table `owner` names column `column` of table `table` (qualified).
// Textual, like has_name, and so a heuristic: a policy of the table itself names the column
// when the column's name stands in it; a policy of another table (an inherited one, or raw SQL
// such as `exists (select 1 from public.parents p where p.id = … and p.rank > 0)`) when both
// the table's bare name and the column's name stand in it. It may find a policy that does not
// really depend on the column (dropping and creating it again is harmless); it misses one that
// reaches the table only through a function or a view.
bool policy_names(const StateObject& o, const std::string& owner, const std::string& table, const std::string& column) {
  if (o.kind != "policy" || !has_name(o.create, column)) return false;
  return owner == table || has_name(o.create, table.substr(table.rfind('.') + 1));
}

// Replaces `from` by `to` where it stands as a whole name (not inside a longer identifier).
std::string replace_name(const std::string& text, const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return text;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = text.find(from, i);
    if (at == std::string::npos) break;
    bool left = at == 0 || !ident_char(text[at - 1]);
    bool right = at + from.size() >= text.size() || !ident_char(text[at + from.size()]);
    out.append(text, i, at - i);
    out += (left && right) ? to : from;
    i = at + from.size();
  }
  out.append(text, i, std::string::npos);
  return out;
}

// A type change that keeps every value: a wider integer or float, a longer varchar, text.
bool widens(const std::string& from, const std::string& to) {
  static const std::map<std::string, int> ints = {{"smallint", 1}, {"integer", 2}, {"int", 2}, {"bigint", 3}};
  if (ints.count(from) && ints.count(to)) return ints.at(to) >= ints.at(from);
  if (from == "real" && to == "double precision") return true;
  auto varchar_len = [](const std::string& t) -> long {
    if (t == "varchar" || t == "text") return -1;  // unbounded
    if (t.rfind("varchar(", 0) == 0) return std::stol(t.substr(8));
    return -2;
  };
  long f = varchar_len(from), t = varchar_len(to);
  if (f != -2 && t != -2) return t == -1 || (f != -1 && t >= f);
  if (ints.count(from) && (to == "numeric" || to == "double precision")) return true;
  if (from.rfind("numeric", 0) == 0 && to == "numeric") return true;
  return false;
}

std::string not_valid(const std::string& create) {  // `…;` → `… not valid;`
  return create.substr(0, create.size() - 1) + " not valid;";
}

// `create [unique] index x …` → `… index concurrently if not exists x …`: a failed concurrent
// build cannot be rolled back, so the migration must be safe to run again.
std::string concurrently(std::string create) {
  auto at = create.find("index ");
  if (at != std::string::npos) create.insert(at + 6, "concurrently if not exists ");
  return create;
}

// `alter table t add constraint n <clause>;` → `constraint n <clause>` (inside a create table).
std::string inline_constraint(const StateObject& o) {
  auto at = o.create.find(" add constraint ");
  if (at == std::string::npos) return {};
  std::string out = o.create.substr(at + 5);
  if (!out.empty() && out.back() == ';') out.pop_back();
  return out;
}

std::string drop_concurrently(std::string drop) {  // `drop index x;` → `drop index concurrently if exists x;`
  return "drop index concurrently if exists " + drop.substr(std::string("drop index ").size());
}

class Evolver {
 public:
  Evolver(const Schema& old, const std::string& after, const Model& m, Diagnostics& diags)
      : old_(old), after_(after), m_(m), nw_(schema_of(m)), diags_(diags) {}

  Evolution run(const std::string& date) {
    match_tables();
    for (const auto& nt : nw_.tables)
      if (const StateTable* ot = old_of(nt.name)) match_columns(*ot, nt);
    if (!table_renames_.empty()) implied_column_renames();

    enums_before();
    find_retyped_tables();
    routines_before();
    for (const auto& nt : nw_.tables)
      if (const StateTable* ot = old_of(nt.name)) evolve_table(*ot, nt);
    retype_dependents();
    dropped_tables();
    new_tables();
    enums_after();  // before the views are created again: a view pins its columns' types
    routines_after();
    return assemble(date);
  }

 private:
  // ---- matching old and new names -------------------------------------------------------------
  void match_tables() {
    for (const auto& nt : nw_.tables) {
      if (old_.table(nt.name)) {
        old_name_[nt.name] = nt.name;
        continue;
      }
      int ti = m_.table_index(nt.name);
      const std::string& from = ti >= 0 ? m_.tables[ti].renamed_from : std::string();
      if (!from.empty() && old_.table(from) && !nw_.table(from)) {
        old_name_[nt.name] = from;
        table_renames_.push_back({from, nt.name});
      }
    }
    for (const auto& [n, o] : old_name_) matched_old_.insert(o);
  }

  const StateTable* old_of(const std::string& new_name) const {
    auto it = old_name_.find(new_name);
    return it == old_name_.end() ? nullptr : old_.table(it->second);
  }
  const model::Table* model_table(const std::string& name) const {
    int ti = m_.table_index(name);
    return ti >= 0 ? &m_.tables[ti] : nullptr;
  }

  void match_columns(const StateTable& ot, const StateTable& nt) {
    auto& map = col_old_[nt.name];
    const model::Table* mt = model_table(nt.name);
    for (const auto& nc : nt.columns) {
      if (ot.column(nc.name)) {
        map[nc.name] = nc.name;
        continue;
      }
      const model::Column* mc = mt ? mt->column(nc.name) : nullptr;
      if (mc && !mc->renamed_from.empty() && ot.column(mc->renamed_from) && !nt.column(mc->renamed_from))
        map[nc.name] = mc->renamed_from;
    }
  }

  // Renaming a parent table renames its children's key column (mind_id → brain_id), which
  // the spec cannot mark: when exactly one such column appears and one of the same type goes,
  // it is the same column.
  void implied_column_renames() {
    for (const auto& nt : nw_.tables) {
      const StateTable* ot = old_of(nt.name);
      const model::Table* mt = model_table(nt.name);
      if (!ot || !mt) continue;
      auto& map = col_old_[nt.name];
      std::set<std::string> used;
      for (const auto& [n, o] : map) used.insert(o);
      std::vector<const StateColumn*> added, gone;
      for (const auto& nc : nt.columns) {
        const model::Column* mc = mt->column(nc.name);
        if (!map.count(nc.name) && mc &&
            (mc->origin == model::ColumnOrigin::parent || mc->origin == model::ColumnOrigin::link))
          added.push_back(&nc);
      }
      for (const auto& oc : ot->columns)
        if (!used.count(oc.name) && oc.name.size() > 3 && oc.name.ends_with("_id")) gone.push_back(&oc);
      if (added.size() == 1 && gone.size() == 1 && added[0]->type == gone[0]->type) map[added[0]->name] = gone[0]->name;
    }
  }

  std::string old_col(const std::string& table, const std::string& col) const {
    auto t = col_old_.find(table);
    if (t == col_old_.end()) return {};
    auto c = t->second.find(col);
    return c == t->second.end() ? std::string() : c->second;
  }

  // Old SQL text as it reads after the renames (tables everywhere, columns of `table`).
  std::string translate(std::string text, const std::string& table) const {
    for (const auto& [from, to] : table_renames_)
      text = replace_name(text, old_.table(from)->qualified, nw_.table(to)->qualified);
    auto t = col_old_.find(table);
    if (t != col_old_.end())
      for (const auto& [n, o] : t->second) text = replace_name(text, o, n);
    return text;
  }

  // An old object's name after the renames: minds_slug_idx → brains_handle_idx.
  std::string translate_name(const std::string& name, const StateTable& ot, const StateTable& nt) const {
    std::string out = name;
    if (ot.name != nt.name && out.rfind(ot.name + "_", 0) == 0) out = nt.name + out.substr(ot.name.size());
    auto t = col_old_.find(nt.name);
    if (t != col_old_.end())
      for (const auto& [n, o] : t->second) {
        if (n == o) continue;
        std::string padded = "_" + out + "_";
        std::string from = "_" + o + "_";
        for (std::size_t at = padded.find(from); at != std::string::npos; at = padded.find(from, at + n.size() + 2))
          padded.replace(at, from.size(), "_" + n + "_");
        out = padded.substr(1, padded.size() - 2);
      }
    return out;
  }

  bool allowed(ast::AllowKind k, const std::string& object, const std::string& member = {}) const {
    return std::any_of(m_.allows.begin(), m_.allows.end(), [&](const model::Allow& a) {
      return a.kind == k && a.object == object && a.member == member;
    });
  }

  Span span_of_column(const std::string& table, const std::string& col) const {
    if (const model::Table* t = model_table(table))
      if (const model::Column* c = t->column(col); c && c->span.end > 0) return c->span;
    if (const model::Table* t = model_table(table)) return t->span;
    return m_.pack_span;
  }

  // ---- enums ----------------------------------------------------------------------------------
  struct EnumColumn {
    std::string table, column, default_sql;
  };
  std::vector<EnumColumn> columns_of_type(const Schema& s, const std::string& qualified) const {
    std::vector<EnumColumn> out;
    for (const auto& t : s.tables)
      for (const auto& c : t.columns)
        if (c.type == qualified || c.type == qualified + "[]") out.push_back({t.qualified, c.name, c.default_sql});
    return out;
  }

  // What PostgreSQL refuses to keep while a column's enum type is re-created: a view over its
  // table ("cannot alter type of a column used by a view or rule"), a policy naming the column
  // ("… used in a policy definition"), the table's own or another table's (policy_names), a
  // check or a partial index of the table naming it (rebuilt by PostgreSQL from their text,
  // whose literals are of the old type, renamed away). A plain index on the column is rebuilt
  // by ALTER COLUMN TYPE itself. `skip`: objects that do not exist at that point (built later,
  // concurrently).
  struct Dependent {
    std::string drop, create;
    bool policy = false;
  };
  std::vector<Dependent> enum_dependents(const Schema& s, const std::vector<EnumColumn>& cols, bool views,
                                         const std::set<std::string>& skip) const {
    std::vector<Dependent> out;
    std::set<std::string> tables;
    for (const auto& c : cols) tables.insert(c.table);
    if (views)
      for (const auto& r : s.routines)
        if (r.kind == "view" && std::any_of(tables.begin(), tables.end(), [&](const std::string& t) {
              return has_name(r.create, t);
            }))
          out.push_back({r.drop, r.create});
    for (const auto& t : s.tables) {
      for (const auto& o : t.objects) {
        if (skip.count(o.name)) continue;
        bool own_kind = o.kind == "check" || (o.kind == "index" && o.create.find(" where ") != std::string::npos);
        if (std::any_of(cols.begin(), cols.end(), [&](const EnumColumn& c) {
              return policy_names(o, t.qualified, c.table, c.column) ||
                     (own_kind && c.table == t.qualified && has_name(o.create, c.column));
            }))
          out.push_back({o.drop, o.create, o.kind == "policy"});
      }
    }
    return out;
  }

  // A column whose type changes (int → bigint): PostgreSQL rebuilds the indexes on it (partial
  // ones too) and the checks naming it, but refuses a policy naming it, of its table or of
  // another ("cannot alter type of a column used in a policy definition"). Those policies that
  // exist while the type changes are dropped before the change and created again after it,
  // in the up and the down script: the policies kept unchanged (a policy the spec changes or
  // drops is dropped before and created after anyway, by the object diff) and those of new
  // tables (created before the change). The text is the new state's: at that point of the
  // down script the renames are not undone yet, and a kept policy reads the same in both.
  void retype_dependents() {
    for (const auto& nt : nw_.tables) {
      const StateTable* ot = old_of(nt.name);
      const auto kept = kept_.find(nt.name);
      for (const auto& o : nt.objects) {
        if (o.kind != "policy") continue;
        if (ot && (kept == kept_.end() || !kept->second.count(o.kind + "/" + o.name))) continue;
        auto c = std::find_if(retyped_.begin(), retyped_.end(), [&](const auto& rc) {
          return policy_names(o, nt.qualified, rc.first, rc.second);
        });
        if (c == retyped_.end()) continue;
        retype_drop_.add(o.drop, o.create, {"AUTHZ_UPDATE"});
        retype_create_.add(o.create, o.drop, {"AUTHZ_UPDATE"});
        note(fmt::format("re-create policy {} on {} around the type change of {}.{}", o.name, nt.name,
                         c->first.substr(c->first.rfind('.') + 1), c->second),
             {&retype_drop_}, nt.name);
      }
    }
  }

  // Re-creates an enum with other values (PostgreSQL cannot remove a value): a new type, each
  // column converted through text, the old type dropped. Fails if a row holds a removed value.
  // The dependents are dropped first and created again once the columns have their new type.
  std::string recreate_enum(const StateEnum& e, const std::vector<std::string>& values,
                            const std::vector<EnumColumn>& cols, const std::vector<Dependent>& deps = {}) const {
    const std::string bare = e.qualified.substr(e.qualified.rfind('.') + 1);
    const std::string schema = e.qualified.substr(0, e.qualified.rfind('.'));
    const std::string old_name = e.name + "__packdbc_old";
    std::vector<std::string> q;
    for (const auto& v : values) q.push_back(ql(v));
    std::string sql;
    for (const auto& d : deps) sql += d.drop + "\n";
    sql += fmt::format("alter type {} rename to {};\ncreate type {} as enum ({});", e.qualified, qi(old_name),
                       e.qualified, fmt::join(q, ", "));
    for (const auto& c : cols) {
      if (!c.default_sql.empty()) sql += fmt::format("\nalter table {} alter column {} drop default;", c.table, qi(c.column));
      sql += fmt::format("\nalter table {0} alter column {1} type {2} using {1}::text::{2};", c.table, qi(c.column),
                         e.qualified);
      if (!c.default_sql.empty())
        sql += fmt::format("\nalter table {} alter column {} set default {};", c.table, qi(c.column), c.default_sql);
    }
    (void)bare;
    for (auto it = deps.rbegin(); it != deps.rend(); ++it) sql += "\n" + it->create;
    return sql + fmt::format("\ndrop type {}.{};", schema, qi(old_name));
  }

  void enums_before() {
    for (const auto& ne : nw_.enums) {
      const StateEnum* oe = old_.find_enum(ne.name);
      if (!oe) {
        std::vector<std::string> q;
        for (const auto& v : ne.values) q.push_back(ql(v));
        types_first_.add(fmt::format("create type {} as enum ({});", ne.qualified, fmt::join(q, ", ")),
                         fmt::format("drop type {};", ne.qualified));
        note("create enum " + ne.name, {&types_first_});
        continue;
      }
      std::vector<std::string> removed;
      for (const auto& v : oe->values)
        if (std::find(ne.values.begin(), ne.values.end(), v) == ne.values.end()) removed.push_back(v);
      for (const auto& v : removed)
        if (!allowed(ast::AllowKind::drop_value, ne.name, v)) {
          const model::Enum* me = m_.find_enum(ne.name);
          diags_.error("E0904", me ? me->span : m_.pack_span,
                       fmt::format("enum `{}` no longer has the value `{}`; rows holding it would have to change", ne.name, v))
              .help = fmt::format("if that is intended, add `allow drop value {}.{}` to the spec", ne.name, v);
        }
      if (!removed.empty()) {
        // Removal and additions at once: the type is re-created with the new values at the end.
        enum_recreate_.push_back({oe, &ne});
        for (const auto& v : removed) note(fmt::format("remove value {} from enum {}", v, ne.name), {&late_});
        continue;
      }
      bool first = true;
      for (std::size_t i = 0; i < ne.values.size(); ++i) {
        const std::string& v = ne.values[i];
        if (std::count(oe->values.begin(), oe->values.end(), v)) continue;
        std::string where;
        for (std::size_t k = i + 1; k < ne.values.size() && where.empty(); ++k)
          if (std::count(oe->values.begin(), oe->values.end(), ne.values[k])) where = " before " + ql(ne.values[k]);
        if (where.empty()) where = " after " + ql(ne.values[i - 1]);
        // Undone by re-creating the type with its old values (the last step of the down script).
        types_.add(fmt::format("alter type {} add value {}{};", ne.qualified, ql(v), where),
                   first ? undo_added_values(*oe) : std::string());
        first = false;
        note(fmt::format("add value {} to enum {}{}", v, ne.name, where), {&types_});
      }
    }
  }

  // The down script of new enum values: the type re-created with its old values, under the
  // database as it was before this evolution (every later migration rolled back).
  std::string undo_added_values(const StateEnum& oe) const {
    auto cols = columns_of_type(old_, oe.qualified);
    return recreate_enum(oe, oe.values, cols, enum_dependents(old_, cols, true, {}));
  }

  void enums_after() {
    for (const auto& [oe, ne] : enum_recreate_) {
      // The views over these tables are dropped and created again around this (routines_before).
      auto cols = columns_of_type(nw_, ne->qualified);
      auto deps = enum_dependents(nw_, cols, false, later_built_);
      late_.add(recreate_enum(*oe, ne->values, cols, deps), recreate_enum(*ne, oe->values, cols, deps),
                {"DELETES_DATA"});
      if (std::any_of(deps.begin(), deps.end(), [](const Dependent& d) { return d.policy; }))
        late_.hazards.insert("AUTHZ_UPDATE");
    }
    for (const auto& oe : old_.enums)
      if (!nw_.find_enum(oe.name)) {
        std::vector<std::string> q;
        for (const auto& v : oe.values) q.push_back(ql(v));
        last_.add(fmt::format("drop type {};", oe.qualified),
                  fmt::format("create type {} as enum ({});", oe.qualified, fmt::join(q, ", ")));
        note("drop enum " + oe.name, {&last_});
      }
  }

  // ---- functions and views --------------------------------------------------------------------
  bool is_trigger_function(const StateRoutine& r) const { return r.name == updated_at_function_sql(m_); }

  // A view over a table with a column whose enum is re-created: PostgreSQL refuses to change
  // the column's type under it, so the view is dropped first and created again after.
  // The same for a table with a column whose type changes (int → bigint under a view).
  bool over_recreated_enum(const StateRoutine& r) const {
    if (r.kind != "view") return false;
    for (const auto& [oe, ne] : enum_recreate_)
      for (const auto& c : columns_of_type(old_, oe->qualified))
        if (has_name(r.create, c.table)) return true;
    for (const auto& t : retyped_tables_)
      if (has_name(r.create, t)) return true;
    return false;
  }

  // The old tables (qualified) with a column whose type changes: a view over one is dropped
  // before the change and created again after it (PostgreSQL refuses to change it under a view).
  void find_retyped_tables() {
    for (const auto& nt : nw_.tables) {
      const StateTable* ot = old_of(nt.name);
      if (!ot) continue;
      for (const auto& nc : nt.columns) {
        std::string o = old_col(nt.name, nc.name);
        const StateColumn* oc = o.empty() ? nullptr : ot->column(o);
        if (oc && oc->type != nc.type) retyped_tables_.insert(ot->qualified);
      }
    }
  }

  void routines_before() {
    for (const auto& orr : old_.routines) {
      const StateRoutine* nr = nw_.routine(orr.kind, orr.name);
      if (nr && translate(orr.create, "") == nr->create && !over_recreated_enum(orr)) continue;
      // Dropped, or changed (re-created once the tables are in their new shape).
      Bucket& b = is_trigger_function(orr) ? last_ : drops_;
      b.add(orr.drop, orr.create, {"HAS_UNTRACKABLE_DEPENDENCIES"});
      note(fmt::format("{} {} {}", nr ? "replace" : "drop", orr.kind, orr.name), {&b});
    }
    for (const auto& nr : nw_.routines)
      if (is_trigger_function(nr) && !old_.routine(nr.kind, nr.name)) {
        types_first_.add(nr.create, nr.drop);
        note("create function " + nr.name, {&types_first_});
      }
  }

  void routines_after() {
    for (const auto& nr : nw_.routines) {
      const StateRoutine* orr = old_.routine(nr.kind, nr.name);
      if (orr && translate(orr->create, "") == nr.create && !over_recreated_enum(*orr)) continue;
      if (is_trigger_function(nr) && !orr) continue;  // created before the tables
      late_.add(nr.create, nr.drop, {"HAS_UNTRACKABLE_DEPENDENCIES"});
      if (!orr) note(fmt::format("create {} {}", nr.kind, nr.name), {&late_});
    }
  }

  // ---- one table that exists in both ----------------------------------------------------------
  void evolve_table(const StateTable& ot, const StateTable& nt) {
    const std::string& q = nt.qualified;
    if (ot.name != nt.name) {
      renames_.add(fmt::format("alter table {} rename to {};", ot.qualified, qi(nt.name)),
                   fmt::format("alter table {} rename to {};", nt.qualified, qi(ot.name)),
                   {"ACQUIRES_ACCESS_EXCLUSIVE_LOCK"});
      note(fmt::format("rename table {} to {}", ot.name, nt.name), {&renames_}, nt.name);
    }
    for (const auto& [n, o] : col_old_[nt.name])
      if (n != o) {
        renames_.add(fmt::format("alter table {} rename column {} to {};", q, qi(o), qi(n)),
                     fmt::format("alter table {} rename column {} to {};", q, qi(n), qi(o)),
                     {"ACQUIRES_ACCESS_EXCLUSIVE_LOCK"});
        note(fmt::format("rename column {}.{} to {}", nt.name, o, n), {&renames_}, nt.name);
      }
    // Objects: renamed along, unchanged, replaced, dropped.
    std::set<std::string> kept;  // kind/name of new objects that need nothing
    for (const auto& oo : ot.objects) {
      const std::string name = translate_name(oo.name, ot, nt);
      const StateObject* no = nt.object(oo.kind, name);
      std::string created = translate(oo.create, nt.name);
      if (name != oo.name) created = replace_name(created, oo.name, name);
      if (no && created == no->create) {
        kept.insert(oo.kind + "/" + name);
        if (name != oo.name) rename_object(oo, name, ot, nt);
        continue;
      }
      drop_object(oo, ot, nt);
    }
    for (const auto& no : nt.objects)
      if (!kept.count(no.kind + "/" + no.name)) create_object(no, nt);
    kept_[nt.name] = kept;
    // Columns.
    std::set<std::string> still;
    for (const auto& [n, o] : col_old_[nt.name]) still.insert(o);
    for (const auto& oc : ot.columns) {
      if (still.count(oc.name)) continue;
      if (!allowed(ast::AllowKind::drop_column, nt.name, oc.name) &&
          !allowed(ast::AllowKind::drop_column, ot.name, oc.name)) {
        diags_.error("E0902", span_of_table(nt.name),
                     fmt::format("column `{}.{}` is gone from the spec; dropping it deletes its data", nt.name, oc.name))
            .help = fmt::format("if that is intended, add `allow drop column {}.{}`; if it was renamed, write "
                                "`renamed from {}` after the new column",
                                nt.name, oc.name, oc.name);
        continue;
      }
      col_drops_.add(fmt::format("alter table {} drop column {};", q, qi(oc.name)), readd_column(q, oc),
                     {"DELETES_DATA"});
      note(fmt::format("drop column {}.{}", nt.name, oc.name), {&col_drops_}, nt.name);
    }
    for (const auto& nc : nt.columns) {
      std::string o = old_col(nt.name, nc.name);
      if (o.empty()) add_column(nt, nc);
      else alter_column(nt, *ot.column(o), nc);
    }
    if (ot.rls != nt.rls) {
      objects_.add(fmt::format("alter table {} {} row level security;", q, nt.rls ? "enable" : "disable"),
                   fmt::format("alter table {} {} row level security;", q, nt.rls ? "disable" : "enable"),
                   {"AUTHZ_UPDATE"});
      note(fmt::format("{} row level security on {}", nt.rls ? "enable" : "disable", nt.name), {&objects_}, nt.name);
    }
    if (ot.comment != nt.comment && !nt.existing) {
      auto comment = [&](const std::string& c) {
        return fmt::format("comment on table {} is {};", q, c.empty() ? std::string("null") : ql(c));
      };
      objects_.add(comment(nt.comment), comment(ot.comment));
    }
  }

  Span span_of_table(const std::string& name) const {
    const model::Table* t = model_table(name);
    return t ? t->span : m_.pack_span;
  }

  std::string readd_column(const std::string& q, const StateColumn& oc) const {
    // A column that was NOT NULL without a default comes back nullable when the table has rows
    // (the values are gone), and NOT NULL again when it is empty.
    if (!oc.nullable && oc.default_sql.empty()) {
      std::string def = oc.definition;
      auto at = def.find(" not null");
      if (at != std::string::npos) def.erase(at, 9);
      return fmt::format("alter table {0} add column {1};\n"
                         "do $$\nbegin\n  if not exists (select 1 from {0}) then\n"
                         "    alter table {0} alter column {2} set not null;\n  end if;\nend\n$$;",
                         q, def, qi(oc.name));
    }
    return fmt::format("alter table {} add column {};", q, oc.definition);
  }

  void add_column(const StateTable& nt, const StateColumn& nc) {
    if (!nc.nullable && nc.default_sql.empty()) {
      diags_.error("E0905", span_of_column(nt.name, nc.name),
                   fmt::format("column `{}.{}` is new, not null and has no default; the rows `{}` already has would "
                               "violate it",
                               nt.name, nc.name, nt.name))
          .help = fmt::format("give it a default (`= …`) or make it nullable (`{}?`)", nc.type);
      return;
    }
    // A volatile default (gen_random_uuid(), random(), clock_timestamp()) makes PostgreSQL write every row.
    bool rewrite = nc.default_sql.find("random") != std::string::npos ||
                   nc.default_sql.find("clock_timestamp") != std::string::npos;
    Bucket b;
    b.add(fmt::format("alter table {} add column {};", nt.qualified, nc.definition),
          fmt::format("alter table {} drop column {};", nt.qualified, qi(nc.name)));
    if (rewrite) b.hazards.insert("ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
    col_adds_.append(std::move(b));
    note(fmt::format("add column {}.{}", nt.name, nc.name), {&col_adds_}, nt.name);
  }

  void alter_column(const StateTable& nt, const StateColumn& oc, const StateColumn& nc) {
    const std::string& q = nt.qualified;
    const std::string c = qi(nc.name);
    if (oc.type != nc.type) {
      if (!widens(oc.type, nc.type) && !allowed(ast::AllowKind::change_type, nt.name, nc.name)) {
        diags_.error("E0903", span_of_column(nt.name, nc.name),
                     fmt::format("column `{}.{}` changes type from {} to {}, which may fail or lose data", nt.name,
                                 nc.name, oc.type, nc.type))
            .help = fmt::format("if that is intended, add `allow change type {}.{}`", nt.name, nc.name);
      } else {
        bool narrowing = !widens(oc.type, nc.type);
        Bucket b;
        b.add(fmt::format("alter table {0} alter column {1} type {2} using {1}::{2};", q, c, nc.type),
              fmt::format("alter table {0} alter column {1} type {2} using {1}::{2};", q, c, oc.type),
              {"ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "IMPACTS_DATABASE_PERFORMANCE"});
        if (narrowing) b.hazards.insert("DELETES_DATA");
        col_alters_.append(std::move(b));
        retyped_.push_back({q, nc.name});
        note(fmt::format("change type of {}.{} from {} to {}", nt.name, nc.name, oc.type, nc.type), {&col_alters_}, nt.name);
      }
    }
    if (oc.default_sql != nc.default_sql) {
      auto set = [&](const std::string& d) {
        return d.empty() ? fmt::format("alter table {} alter column {} drop default;", q, c)
                         : fmt::format("alter table {} alter column {} set default {};", q, c, d);
      };
      col_alters_.add(set(nc.default_sql), set(oc.default_sql));
      note(fmt::format("change default of {}.{}", nt.name, nc.name), {&col_alters_}, nt.name);
    }
    if (oc.nullable && !nc.nullable) {
      // NOT NULL through a check constraint added NOT VALID (no scan under the exclusive lock)
      // and validated in the next migration; SET NOT NULL then uses it instead of scanning.
      std::string check = fit(nt.name + "_" + nc.name + "_not_null");
      col_alters_.add(fmt::format("alter table {} add constraint {} check ({} is not null) not valid;", q, qi(check), c),
                      fmt::format("alter table {} drop constraint {};", q, qi(check)));
      validate_.add(fmt::format("alter table {} validate constraint {};", q, qi(check)),
                    unvalidate(fmt::format("alter table {} drop constraint {};", q, qi(check)),
                               fmt::format("alter table {} add constraint {} check ({} is not null) not valid;", q,
                                           qi(check), c)));
      validate_.add(fmt::format("alter table {} alter column {} set not null;", q, c),
                    fmt::format("alter table {} alter column {} drop not null;", q, c));
      validate_.add(fmt::format("alter table {} drop constraint {};", q, qi(check)),
                    fmt::format("alter table {} add constraint {} check ({} is not null) not valid;", q, qi(check), c));
      note(fmt::format("make {}.{} not null", nt.name, nc.name), {&col_alters_, &validate_}, nt.name);
    } else if (!oc.nullable && nc.nullable) {
      col_alters_.add(fmt::format("alter table {} alter column {} drop not null;", q, c),
                      fmt::format("alter table {} alter column {} set not null;", q, c));
      note(fmt::format("make {}.{} nullable", nt.name, nc.name), {&col_alters_}, nt.name);
    }
  }

  static std::string fit(std::string name) {
    if (name.size() > 63) name.resize(63);
    return name;
  }

  void rename_object(const StateObject& oo, const std::string& name, const StateTable& ot, const StateTable& nt) {
    const std::string& q = nt.qualified;
    const std::string schema = q.substr(0, q.rfind('.'));
    auto stmt = [&](const std::string& from, const std::string& to) {
      if (oo.kind == "index") return fmt::format("alter index {}.{} rename to {};", schema, qi(from), qi(to));
      if (oo.kind == "policy") return fmt::format("alter policy {} on {} rename to {};", qi(from), q, qi(to));
      if (oo.kind == "trigger") return fmt::format("alter trigger {} on {} rename to {};", qi(from), q, qi(to));
      return fmt::format("alter table {} rename constraint {} to {};", q, qi(from), qi(to));
    };
    renames_.add(stmt(oo.name, name), stmt(name, oo.name));
    (void)ot;
  }

  void drop_object(const StateObject& oo, const StateTable& ot, const StateTable& nt) {
    if (oo.kind == "index") {
      // Before everything else, with the old names (the renames come later).
      Bucket b;
      b.add(drop_concurrently(oo.drop), concurrently(oo.create), {"INDEX_DROPPED"});
      drop_indexes_.push_back(std::move(b));
      note(fmt::format("drop index {}", oo.name), {&drop_indexes_.back()}, nt.name);
      return;
    }
    // A column that goes takes its constraints with it; drop them first, by name.
    const char* hz = oo.kind == "policy" ? "AUTHZ_UPDATE" : "ACQUIRES_ACCESS_EXCLUSIVE_LOCK";
    drops_.add(translate(oo.drop, nt.name), translate(oo.create, nt.name), {hz});
    note(fmt::format("drop {} {} on {}", oo.kind, oo.name, nt.name), {&drops_}, nt.name);
    (void)ot;
  }

  void create_object(const StateObject& no, const StateTable& nt) {
    const std::string& q = nt.qualified;
    const std::string change = fmt::format("add {} {} on {}", no.kind, no.name, nt.name);
    if (no.kind == "index") {
      Bucket b;
      b.add(concurrently(no.create), drop_concurrently(no.drop), {"INDEX_BUILD"});
      indexes_.push_back(std::move(b));
      later_built_.insert(no.name);
      note(change, {&indexes_.back()}, nt.name);
    } else if (no.kind == "unique") {
      const std::string create = fmt::format("create unique index {} on {} ({});", qi(no.name), q, ident_list(no.columns));
      Bucket b;
      b.add(concurrently(create),
            fmt::format("drop index concurrently if exists {}.{};", q.substr(0, q.rfind('.')), qi(no.name)),
            {"INDEX_BUILD"});
      indexes_.push_back(std::move(b));
      later_built_.insert(no.name);
      // Dropping the constraint drops its index too: the down script builds the index again
      // (in its transaction), so that rolling back this migration alone leaves what the
      // index_N migration made, and applying it again works.
      validate_.add(fmt::format("alter table {} add constraint {} unique using index {};", q, qi(no.name), qi(no.name)),
                    fmt::format("alter table {} drop constraint {};\n{}", q, qi(no.name), create),
                    {"ACQUIRES_SHARE_LOCK"});
      note(change, {&indexes_.back(), &validate_}, nt.name);
    } else if (no.kind == "check" || no.kind == "foreign_key") {
      objects_.add(not_valid(no.create), no.drop,
                   {no.kind == "foreign_key" ? "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK" : "ACQUIRES_ACCESS_EXCLUSIVE_LOCK"});
      validate_.add(fmt::format("alter table {} validate constraint {};", q, qi(no.name)), unvalidate(no.drop, not_valid(no.create)));
      note(change, {&objects_, &validate_}, nt.name);
    } else if (no.kind == "policy") {
      objects_.add(no.create, no.drop, {"AUTHZ_UPDATE"});
      note(change, {&objects_}, nt.name);
    } else {
      objects_.add(no.create, no.drop, {"ACQUIRES_ACCESS_EXCLUSIVE_LOCK"});
      note(change, {&objects_}, nt.name);
    }
  }

  // PostgreSQL cannot mark a constraint NOT VALID again: the down script of `validate
  // constraint` drops it and adds it back NOT VALID (a brief lock, no scan).
  static std::string unvalidate(const std::string& drop, const std::string& add_not_valid) {
    return drop + "\n" + add_not_valid;
  }

  enum class Touch { none, creates, alters, drops };
  void note(std::string text, std::initializer_list<Bucket*> where, const std::string& table = {},
            Touch touch = Touch::alters) {
    for (Bucket* b : where) {
      b->changes.push_back(text);
      if (table.empty() || touch == Touch::none) continue;
      (touch == Touch::creates ? b->created : touch == Touch::drops ? b->dropped : b->altered).insert(table);
    }
    changes_.push_back(std::move(text));
  }

  // ---- tables that go, tables that come -------------------------------------------------------
  void dropped_tables() {
    for (auto it = old_.tables.rbegin(); it != old_.tables.rend(); ++it) {
      const StateTable& ot = *it;
      if (matched_old_.count(ot.name)) continue;
      if (!allowed(ast::AllowKind::drop_table, ot.name)) {
        diags_.error("E0901", m_.pack_span,
                     fmt::format("table `{}` is gone from the spec; dropping it deletes its rows", ot.name))
            .help = fmt::format("if that is intended, add `allow drop table {}`; if it was renamed, write `table NEW "
                                "renamed from {}`",
                                ot.name, ot.name);
        continue;
      }
      if (ot.existing) {
        // `extend table` removed: the pack's own objects and columns go, the table stays.
        for (const auto& o : ot.objects) table_drops_.add(o.drop, o.create, {"DELETES_DATA"});
        for (const auto& c : ot.columns)
          table_drops_.add(fmt::format("alter table {} drop column {};", ot.qualified, qi(c.name)),
                           readd_column(ot.qualified, c), {"DELETES_DATA"});
      } else {
        table_drops_.add(fmt::format("drop table {};", ot.qualified), recreate_table(ot), {"DELETES_DATA"});
      }
      note("drop table " + ot.name, {&table_drops_}, ot.name, ot.existing ? Touch::alters : Touch::drops);
    }
  }

  std::string recreate_table(const StateTable& ot) const {
    // Constraints inside the create table, as the first compile wrote it (a new, empty table).
    std::vector<std::string> defs;
    for (const auto& c : ot.columns) defs.push_back(c.definition);
    for (const auto& o : ot.objects)
      if (std::string c = inline_constraint(o); !c.empty()) defs.push_back(c);
    std::string sql = fmt::format("create table {} (\n  {}\n);", ot.qualified, fmt::join(defs, ",\n  "));
    if (!ot.comment.empty()) sql += fmt::format("\ncomment on table {} is {};", ot.qualified, ql(ot.comment));
    for (const auto& o : ot.objects)
      if (inline_constraint(o).empty()) sql += "\n" + o.create;
    if (ot.rls) sql += fmt::format("\nalter table {} enable row level security;", ot.qualified);
    if (m_.profile.grant_tables && !m_.profile.user_role.empty())
      sql += fmt::format("\ngrant select, insert, update, delete on table {} to {};", ot.qualified,
                         qi(m_.profile.user_role));
    return sql;
  }

  // New tables are planned like a first compile of just them (their phases, in order).
  void new_tables() {
    model::Model sub;
    sub.pack = m_.pack;
    sub.profile = m_.profile;
    std::vector<int> remap(m_.tables.size(), -1);
    for (std::size_t i = 0; i < m_.tables.size(); ++i)
      if (!old_of(m_.tables[i].name)) {
        remap[i] = static_cast<int>(sub.tables.size());
        sub.tables.push_back(m_.tables[i]);
        note("create table " + m_.tables[i].name, {&tables_}, m_.tables[i].name, Touch::creates);
      }
    if (sub.tables.empty()) return;
    for (const auto& s : m_.seeds)
      if (s.table >= 0 && remap[s.table] >= 0) {
        sub.seeds.push_back(s);
        sub.seeds.back().table = remap[s.table];
      }
    PlanOptions o;
    o.existing_extensions = old_.extensions;
    o.trigger_function_exists = true;  // a routine of its own (routines_before)
    for (auto& p : plan_phases(sub, "20000101", o)) {
      for (auto& s : p.up) tables_.up.push_back(std::move(s));
      for (auto it = p.down.rbegin(); it != p.down.rend(); ++it) tables_.down.push_back(*it);
    }
  }

  // ---- the migrations -------------------------------------------------------------------------
  Evolution assemble(const std::string& date) {
    Evolution ev;
    ev.changes = changes_;
    unsigned long long next = std::stoull(date) * 1000000ULL + 1;
    if (after_.size() == 14) next = std::max(next, std::stoull(after_) + 1);
    auto push = [&](Bucket& b, const std::string& name, bool tx, const std::string& title) {
      if (b.empty()) return;
      Phase p;
      p.kind = PhaseKind::evolution;
      p.name = name;
      p.version = fmt::format("{:014d}", next++);
      p.transactional = tx;
      p.title = title;
      // Waiting for a lock blocks every query queued behind it: give up after 5 s instead. A
      // statement may run long (validating scans the table without blocking writes).
      const std::string timeouts = tx ? "set local lock_timeout = '5s';\nset local statement_timeout = '30min';"
                                      : "set lock_timeout = '5s';\nset statement_timeout = '30min';";
      p.up.push_back(timeouts);
      for (auto& s : b.up) p.up.push_back(std::move(s));
      p.down.push_back(timeouts);
      for (auto it = b.down.rbegin(); it != b.down.rend(); ++it) p.down.push_back(*it);
      p.hazards.assign(b.hazards.begin(), b.hazards.end());
      p.summary = std::move(b.changes);  // its own changes only
      p.tables_created.assign(b.created.begin(), b.created.end());
      p.tables_dropped.assign(b.dropped.begin(), b.dropped.end());
      for (const auto& t : b.altered)
        if (!b.created.count(t)) p.tables_altered.push_back(t);
      ev.migrations.push_back(std::move(p));
    };
    for (std::size_t i = 0; i < drop_indexes_.size(); ++i)
      push(drop_indexes_[i], fmt::format("drop_index_{}", i + 1), false, "drop an index without blocking writes");
    push(types_, "types", true, "new enum values (usable once this migration has committed)");
    Bucket main;
    for (Bucket* b : {&types_first_, &renames_, &drops_, &col_drops_, &table_drops_, &tables_, &col_adds_,
                      &retype_drop_, &col_alters_, &retype_create_, &objects_, &late_, &last_})
      main.append(std::move(*b));
    push(main, "evolve", true, "the spec's changes: renames, drops, new tables and columns, constraints (not valid)");
    for (std::size_t i = 0; i < indexes_.size(); ++i)
      push(indexes_[i], fmt::format("index_{}", i + 1), false, "build an index without blocking writes");
    push(validate_, "validate", true, "validate the new constraints; set not null through them");
    return ev;
  }

  const Schema& old_;
  const std::string after_;  // the last migration version before these
  const Model& m_;
  Schema nw_;
  Diagnostics& diags_;
  std::map<std::string, std::string> old_name_;  // new table name → old table name
  std::set<std::string> matched_old_;
  std::vector<std::pair<std::string, std::string>> table_renames_;            // old, new
  std::map<std::string, std::map<std::string, std::string>> col_old_;         // table → new column → old column
  std::vector<std::pair<const StateEnum*, const StateEnum*>> enum_recreate_;  // old, new
  std::vector<std::string> changes_;
  std::vector<Bucket> drop_indexes_, indexes_;
  std::set<std::string> later_built_;     // indexes built after the evolve migration (index_N)
  std::set<std::string> retyped_tables_;  // old tables (qualified) with a column whose type changes
  std::vector<std::pair<std::string, std::string>> retyped_;  // new table (qualified), column: type changed
  std::map<std::string, std::set<std::string>> kept_;  // table → kind/name of its objects kept as they are
  // Around the type changes (col_alters_): the policies naming a retyped column, dropped and created again.
  Bucket types_, types_first_, renames_, drops_, col_drops_, table_drops_, tables_, col_adds_, retype_drop_,
      col_alters_, retype_create_, objects_, late_, last_, validate_;
};

}  // namespace

Evolution evolve(const Schema& old, const std::string& after_version, const model::Model& m, const std::string& date,
                 Diagnostics& diags) {
  return Evolver(old, after_version, m, diags).run(date);
}

}  // namespace packdb::plan
