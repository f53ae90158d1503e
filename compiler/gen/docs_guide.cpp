// The usage guide, docs/<pack>/database-integration.md (the seed's step 7): an overview, a
// section per table (purpose, columns with types, the access rule in words, relations,
// indexes, policies), usage examples in SQL, and the migration path.
//
// The usage examples are meant to be run, and are (tests/docs/guide-examples.sh): every ```sql
// block of the "Usage" section, in order, against the applied migrations, as the signed-in
// role with row-level security on. So they use concrete values — fixed uuids for the example
// user and rows, sample values that satisfy the columns' checks — never `:placeholders`:
//   1. act as the example user (the first block: begin; set local role …; set local <claim> …),
//   2. insert a row into every table a user may write, parents first (the root table, then
//      its children, each pointing at the rows inserted before it; rows of tables users only
//      read come from the seed rows of the migrations),
//   3. each declared `query`, with its parameters bound to the example rows' values,
//   4. a call to each search function, 5. each view.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/gen/docs_common.hpp"
#include "compiler/gen/docs_outputs.hpp"
#include "compiler/gen/sql.hpp"

namespace packdb::gen {

using namespace docs;
using model::Model;
using model::Table;

namespace {

// "`document`", "field `name`": where a mapped column's value comes from, in the guide's words.
std::string map_source_words(const model::MapColumn& mc) {
  static const char* words[] = {"file text", "document", "", "list element", "list position", "file path", "source file"};
  if (mc.source == ast::MapSource::field) return fmt::format("field `{}`", mc.field);
  return words[static_cast<int>(mc.source)];
}

std::string qi(const std::string& s) { return model::quote_ident(s); }
std::string ql(const std::string& s) { return model::quote_literal(s); }

std::string example_row_uuid(int ti) { return fmt::format("00000000-0000-4000-8000-00000000e{:03x}", ti + 1); }

// Markdown table cell: no line breaks, pipes escaped.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : one_line(s)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string code(const std::string& s) { return s.empty() ? "" : "`" + s + "`"; }

// "a" or "an", by the first letter (good enough for table names: "an assessment", "a user").
std::string article(const std::string& word) {
  return !word.empty() && std::string("aeioAEIO").find(word[0]) != std::string::npos ? "an" : "a";
}

std::string words_of(const std::string& ident) {
  std::string out = ident;
  for (char& c : out)
    if (c == '_' || c == '-') c = ' ';
  return out;
}

// ---- the example data -------------------------------------------------------------------------------

struct ExampleRow {
  bool present = false;                                    // inserted by the examples
  std::string key;                                         // the row's key as SQL, when known
  std::vector<std::pair<std::string, std::string>> values; // column, SQL (in column order)
  std::vector<std::string> notes;                          // what is left to defaults
};

class Examples {
 public:
  explicit Examples(const Model& m) : m_(m), rows_(m.tables.size()) {
    // Rows in an order where every referenced row comes first (the model lists parents before
    // children; references to later tables are honoured too).
    std::vector<bool> placed(m.tables.size(), false);
    for (bool grew = true; grew;) {
      grew = false;
      for (std::size_t i = 0; i < m.tables.size(); ++i) {
        if (placed[i]) continue;
        bool ready = true;
        for (const auto& fk : m.tables[i].foreign_keys) {
          int ri = m.table_index(fk.ref_table);
          if (ri >= 0 && ri != static_cast<int>(i) && !placed[ri]) ready = false;
        }
        if (!ready) continue;
        placed[i] = true;
        order_.push_back(static_cast<int>(i));
        grew = true;
      }
    }
    for (std::size_t i = 0; i < m.tables.size(); ++i)
      if (!placed[i]) order_.push_back(static_cast<int>(i));
    for (int ti : order_) plan_row(ti);
  }

  const std::vector<int>& order() const { return order_; }
  const ExampleRow& row(int ti) const { return rows_[ti]; }
  const std::string& user() const { return user_; }

  static bool insertable(const Model& m, const Table& t) {
    if (t.existing || m.profile.user_role.empty()) return false;
    AccessFlags a = access_of(t);
    return a.user_writable() && !a.custom;
  }

  // A value for a column of a table, as the examples know it: the example row's, the owner's,
  // a seed row's, or a sample of the type.
  std::string value_of_column(int ti, const std::string& column, const model::SqlType* type) const {
    const Table& t = m_.tables[ti];
    for (const auto& [c, v] : rows_[ti].values)
      if (c == column) return v;
    if (column == m_.profile.key_column && !rows_[ti].key.empty()) return rows_[ti].key;
    if (t.owned && column == m_.profile.owner_column) return ql(user_);
    for (const auto& s : m_.seeds)
      if (s.table == ti)
        for (const auto& [c, v] : s.values)
          if (c == column) return v;
    if (const model::Column* col = t.column(column)) return sample(t, *col);
    return type ? sample_of_type(t, column, *type) : "null";
  }

  std::string sample(const Table& t, const model::Column& c) const {
    if (!c.sample_sql.empty()) return c.sample_sql;
    return sample_of_type(t, c.name, c.type);
  }

  std::string sample_of_type(const Table& t, const std::string& column, const model::SqlType& ty) const {
    if (ty.array_dims > 0) return "'{}'";
    if (const model::Enum* e = ty.enum_type ? ty.enum_type : m_.find_enum(ty.base))
      return e->values.empty() ? "null" : ql(e->values.front());
    if (ty.base == "vector" || ty.base == "halfvec") {
      if (ty.params.empty()) return "null";
      return fmt::format("array_fill(0.1::real, array[{}])::{}", ty.params[0], plan::type_sql(m_, ty));
    }
    if (ty.is_text() || ty.base == "character varying" || ty.base == "character") {
      std::string s;
      if (column.find("slug") != std::string::npos) {
        s = "example-" + singular(plan::table_bare_name(t));
        for (char& c : s)
          if (c == '_') c = '-';
      } else {
        s = "Example " + words_of(column);
      }
      if (!ty.params.empty() && ty.params[0] > 0 && static_cast<long long>(s.size()) > ty.params[0])
        s.resize(static_cast<std::size_t>(ty.params[0]));
      return ql(s);
    }
    if (ty.is_numeric()) return "1";
    if (ty.is_bool()) return "true";
    if (ty.is_uuid()) return "gen_random_uuid()";
    if (ty.is_json()) return "'{}'";
    if (ty.base == "timestamptz" || ty.base == "timestamp") return "now()";
    if (ty.base == "date") return "current_date";
    if (ty.base == "time" || ty.base == "timetz") return "'12:00'";
    if (ty.base == "interval") return "'1 day'";
    if (ty.base == "bytea") return "'\\x00'";
    if (ty.base == "inet" || ty.base == "cidr") return "'127.0.0.1'";
    return "null";
  }

 private:
  bool searched(int ti, const std::string& column) const {
    for (const auto& s : m_.searches)
      if (s.table == ti && s.column == column) return true;
    return false;
  }

  bool has_seeds(int ti) const {
    return std::any_of(m_.seeds.begin(), m_.seeds.end(), [&](const model::SeedRow& s) { return s.table == ti; });
  }

  // A row of a table the user cannot write (seed rows of the migrations): picked by a unique
  // value of a seed row, else any row.
  std::string existing_row(int ri, const model::ForeignKey& fk) const {
    const Table& rt = m_.tables[ri];
    const std::string ref_col = plan::fk_ref_columns(m_, fk).front();
    for (const auto& s : m_.seeds) {
      if (s.table != ri) continue;
      for (const auto& [c, v] : s.values)
        if (c == ref_col) return v;
      for (const auto& [c, v] : s.values)
        if (is_unique_columns(rt, {c}))
          return fmt::format("(select {} from {} where {} = {})", qi(ref_col), plan::table_sql(m_, rt), qi(c), v);
    }
    return fmt::format("(select {} from {} limit 1)", qi(ref_col), plan::table_sql(m_, rt));
  }

  void plan_row(int ti) {
    const Table& t = m_.tables[ti];
    ExampleRow& row = rows_[ti];
    if (!insertable(m_, t)) return;
    const auto& p = m_.profile;
    const bool single_key = t.primary_key.size() == 1 && t.primary_key[0] == p.key_column;
    std::vector<std::string> defaults;
    for (const auto& c : t.columns) {
      if (single_key && c.name == p.key_column) {
        if (c.type.is_uuid()) {
          row.key = ql(example_row_uuid(ti));
          row.values.emplace_back(c.name, row.key);
        } else if (c.default_sql.empty()) {
          row.values.emplace_back(c.name, "1");
          row.key = "1";
        }
        continue;
      }
      if (t.owned && c.name == p.owner_column) {
        if (c.default_sql.empty()) row.values.emplace_back(c.name, ql(user_));
        else row.notes.push_back(fmt::format("`{}` defaults to the signed-in user (`{}`)", c.name, c.default_sql));
        continue;
      }
      const model::ForeignKey* fk = fk_of_column(t, c.name);
      if (fk && fk->columns.size() == 1) {
        int ri = m_.table_index(fk->ref_table);
        std::string v;
        bool certain = false;  // the referenced row is known to exist
        if (!p.user_table.empty() && fk->ref_table == p.user_table) {
          v = ql(user_);
          certain = true;
        } else if (ri >= 0 && rows_[ri].present && !rows_[ri].key.empty()) {
          v = rows_[ri].key;
          certain = true;
        } else if (ri >= 0) {
          v = existing_row(ri, *fk);
          certain = has_seeds(ri);
        }
        if (!v.empty() && (certain || !c.nullable)) row.values.emplace_back(c.name, v);
        continue;
      }
      if (c.type.is_vector() && searched(ti, c.name)) {
        row.values.emplace_back(c.name, sample(t, c));
        continue;
      }
      if (c.nullable || !c.default_sql.empty()) {
        if (!c.default_sql.empty() && c.origin == model::ColumnOrigin::spec) defaults.push_back(c.name);
        continue;
      }
      row.values.emplace_back(c.name, sample(t, c));
    }
    if (!defaults.empty())
      row.notes.push_back(fmt::format("{} take{} {} default{}", join_code(defaults), defaults.size() == 1 ? "s" : "",
                                      defaults.size() == 1 ? "its" : "their", defaults.size() == 1 ? "" : "s"));
    row.present = true;
  }

  static std::string join_code(const std::vector<std::string>& names) {
    std::vector<std::string> q;
    for (const auto& n : names) q.push_back(code(n));
    return join(q, ", ");
  }

  const Model& m_;
  std::vector<ExampleRow> rows_;
  std::vector<int> order_;
  std::string user_ = kGuideExampleUser;
};

// Which column each parameter of a predicate is compared with: `col = <prefix>param` or
// `<prefix>param = col` (the column possibly qualified, plain or double-quoted). A scan, not a
// std::regex: this runs once per query of a spec that may have thousands.
std::map<std::string, std::string> param_columns(const std::string& where, const std::string& prefix) {
  std::map<std::string, std::string> out;
  auto ident_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto ident_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  // The identifier that ends just before `end` (exclusive): "quoted" or plain; empty if none.
  auto ident_before = [&](std::size_t end) -> std::string {
    if (end == 0) return "";
    if (where[end - 1] == '"') {
      if (end < 3) return "";
      std::size_t open = where.rfind('"', end - 2);
      if (open == std::string::npos || open + 1 >= end - 1) return "";
      return where.substr(open + 1, end - open - 2);
    }
    std::size_t b = end;
    while (b > 0 && ident_char(where[b - 1])) --b;
    while (b < end && !ident_start(where[b])) ++b;  // an identifier starts with a letter or _
    return where.substr(b, end - b);
  };
  // The identifier that starts at `b`, the last part if qualified: a.b → b; empty if none.
  auto ident_after = [&](std::size_t b) -> std::string {
    std::string last;
    for (;;) {
      std::string part;
      std::size_t e = b;
      if (b < where.size() && where[b] == '"') {
        e = where.find('"', b + 1);
        if (e == std::string::npos || e == b + 1) return "";
        part = where.substr(b + 1, e - b - 1);
        ++e;
      } else if (b < where.size() && ident_start(where[b])) {
        while (e < where.size() && ident_char(where[e])) ++e;
        part = where.substr(b, e - b);
      } else {
        return last;
      }
      last = part;
      if (e < where.size() && where[e] == '.') b = e + 1;
      else return last;
    }
  };
  for (std::size_t at = where.find(prefix); at != std::string::npos; at = where.find(prefix, at + 1)) {
    std::size_t pb = at + prefix.size(), pe = pb;
    if (pb >= where.size() || !ident_start(where[pb])) continue;
    while (pe < where.size() && ident_char(where[pe])) ++pe;
    std::string param = where.substr(pb, pe - pb);
    // col = <prefix>param
    std::size_t k = at;
    while (k > 0 && space(where[k - 1])) --k;
    if (k > 0 && where[k - 1] == '=' && !(k > 1 && (where[k - 2] == '<' || where[k - 2] == '>' || where[k - 2] == '!'))) {
      std::size_t e = k - 1;
      while (e > 0 && space(where[e - 1])) --e;
      std::string col = ident_before(e);
      if (!col.empty()) out.emplace(param, col);
    }
    // <prefix>param = col
    std::size_t r = pe;
    while (r < where.size() && space(where[r])) ++r;
    if (r < where.size() && where[r] == '=' && !(r + 1 < where.size() && where[r + 1] == '=')) {
      ++r;
      while (r < where.size() && space(where[r])) ++r;
      std::string col = ident_after(r);
      if (!col.empty()) out.emplace(param, col);
    }
  }
  return out;
}

// Replaces each `:name` parameter (not `::type`, not inside a string) with its value.
std::string bind_params(const std::string& sql, const std::map<std::string, std::string>& values) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') in_string = !in_string;
    if (!in_string && c == ':' && (i == 0 || sql[i - 1] != ':') && i + 1 < sql.size() && sql[i + 1] != ':') {
      std::size_t j = i + 1;
      while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
      auto it = values.find(sql.substr(i + 1, j - i - 1));
      if (j > i + 1 && it != values.end()) {
        out += it->second;
        i = j - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::string insert_sql(const Model& m, const Table& t, const ExampleRow& row) {
  std::vector<std::string> cols, vals;
  for (const auto& [c, v] : row.values) {
    cols.push_back(qi(c));
    vals.push_back(v);
  }
  if (cols.empty()) return fmt::format("insert into {} default values;", plan::table_sql(m, t));
  return fmt::format("insert into {} ({})\nvalues ({});", plan::table_sql(m, t), join(cols, ", "), join(vals, ", "));
}

std::string target_words(const Model& m) {
  if (m.profile.name == "supabase") return "Supabase (PostgreSQL with Supabase Auth)";
  if (m.profile.name == "postgres") return "PostgreSQL";
  return m.profile.name;
}

std::string count_words(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

class Guide {
 public:
  Guide(const Model& m, const std::vector<plan::Phase>& phases, const std::string* erd)
      : m_(m), phases_(phases), erd_(erd), ex_(m) {}

  std::string render() {
    title();
    overview();
    schema();
    usage();
    migration_path();
    return std::move(out_);
  }

 private:
  void line(const std::string& s = "") { out_ += s + "\n"; }
  void sql_block(const std::string& sql) {
    line("```sql");
    line(sql);
    line("```");
    line();
  }

  void title() {
    line("# " + pack_title(m_) + " Database Integration");
    line();
    line(fmt::format("> Generated by packdbc from the spec of pack `{}` {}; edit the spec, not this file.", m_.pack,
                     m_.version));
    line();
  }

  void overview() {
    line("## Overview");
    line();
    std::vector<std::string> created, extended;
    for (const auto& t : m_.tables) (t.existing ? extended : created).push_back(code(t.name));
    std::string s;
    if (!m_.description.empty()) s += one_line(m_.description) + ". ";
    s += fmt::format("{}'s data is persisted in {}: {}", pack_title(m_), target_words(m_),
                     count_words(created.size(), "new table", "new tables"));
    if (!created.empty()) s += " (" + join(created, ", ") + ")";
    if (!extended.empty())
      s += fmt::format(" and {} ({})", count_words(extended.size(), "extended table", "extended tables"),
                       join(extended, ", "));
    s += ", with row-level security on every table from day one";
    if (!m_.searches.empty()) {
      std::vector<std::string> names;
      for (const auto& x : m_.searches) names.push_back(code(x.name));
      s += ", vector search (" + join(names, ", ") + ")";
    }
    if (!m_.views.empty()) {
      std::vector<std::string> names;
      for (const auto& v : m_.views) names.push_back(code(v.name));
      s += fmt::format(" and {} ({})", count_words(m_.views.size(), "view", "views"), join(names, ", "));
    }
    line(s + ".");
    line();
    if (!m_.needs.empty()) {
      line("Why a database (the needs the KISS gate weighed, each backed by the design):");
      line();
      for (const auto& n : m_.needs) line(fmt::format("- **{}**: {}", n.kind, one_line(n.reason)));
      line();
    }
    std::vector<std::string> kept;
    for (const auto& f : m_.flows)
      if (f.into_table < 0) kept.push_back(fmt::format("- {} ({}, `{}`)", f.name, f.format, f.location));
    if (!kept.empty()) {
      line("Stays on the filesystem:");
      line();
      for (const auto& k : kept) line(k);
      line();
    }
    line("Related files: the schema definition `" + database_schema_path(m_) + "`, the migration plan `" +
         migration_plan_path(m_) + "`, the ERD `" + erd_mermaid_path(m_) + "` (and `.dot`), the report `" +
         report_path(m_) + "`.");
    line();
  }

  std::string phase_file(plan::PhaseKind k) const {
    for (const auto& p : phases_)
      if (p.kind == k) return "supabase/migrations/" + migration_stem(m_, p) + ".sql";
    return "";
  }

  void schema() {
    line("## Schema");
    line();
    line("```mermaid");
    std::string made;
    const std::string& erd = erd_ ? *erd_ : (made = generate_erd_mermaid(m_).content);
    out_ += erd;
    if (!erd.empty() && erd.back() != '\n') out_ += "\n";
    line("```");
    line();
    const auto rels = relations(m_);
    // Per table, its relations, flows and states: one pass each, not one per table.
    const std::size_t n = m_.tables.size();
    std::vector<std::vector<const Relation*>> rels_of(n);
    for (const auto& r : rels) {
      if (r.many_table >= 0) rels_of[r.many_table].push_back(&r);
      if (r.one_table >= 0 && r.one_table != r.many_table) rels_of[r.one_table].push_back(&r);
    }
    std::vector<std::vector<const model::DataFlow*>> flows_of(n);
    for (const auto& f : m_.flows)
      if (f.into_table >= 0) flows_of[f.into_table].push_back(&f);
    std::vector<std::vector<const model::StateItem*>> states_of(n);
    for (const auto& st : m_.states)
      if (st.table >= 0) states_of[st.table].push_back(&st);
    for (std::size_t i = 0; i < n; ++i) {
      const Table& t = m_.tables[i];
      line(fmt::format("### {} table{}", code(t.name), t.existing ? " (existing, extended)" : ""));
      line();
      if (!t.purpose.empty()) {
        line(one_line(t.purpose) + ".");
        line();
      }
      line("- **Access:** " + access_words(m_, t));
      std::vector<std::string> rs;
      std::set<int> links_done;
      for (const Relation* r : rels_of[i]) {
        if (r->kind == RelationKind::link && !links_done.insert(r->many_table).second) continue;
        rs.push_back(relation_words(m_, *r));
      }
      if (!rs.empty()) line("- **Relations:** " + join(rs, "; "));
      std::vector<std::string> holds;
      for (const model::DataFlow* f : flows_of[i])
        holds.push_back(fmt::format("{} (`{}`){}", f->name, f->location,
                                    f->into_column.empty() ? "" : " in " + code(f->into_column)));
      for (const model::StateItem* s : states_of[i]) holds.push_back(fmt::format("state {} in {}", s->name, code(s->column)));
      if (!holds.empty()) line("- **Holds:** " + join(holds, "; "));
      plan::PhaseKind k = table_phase(t);
      if (evolving(phases_)) {
        // The migrations of this evolution that create or change the table; an earlier one made it.
        std::string created;
        std::vector<std::string> changed;
        for (const auto& p : phases_) {
          const std::string f = code("supabase/migrations/" + migration_stem(m_, p) + ".sql");
          if (std::count(p.tables_created.begin(), p.tables_created.end(), t.name) && created.empty()) created = f;
          else if (std::count(p.tables_altered.begin(), p.tables_altered.end(), t.name)) changed.push_back(f);
        }
        line(fmt::format("- **{}:** {}", t.existing ? "Altered in" : "Created in",
                         created.empty() ? fmt::format("phase {} ({}) of an earlier version's migrations",
                                                       plan::phase_number(k), plan::phase_name(k))
                                         : created));
        if (!changed.empty()) line("- **Changed in:** " + join(changed, ", "));
      } else {
        std::string file = phase_file(k);
        line(fmt::format("- **{}:** phase {} ({}){}", t.existing ? "Altered in" : "Created in", plan::phase_number(k),
                         plan::phase_name(k), file.empty() ? "" : ", " + code(file)));
      }
      line();
      line("| column | type | required | default | key | notes |");
      line("|---|---|---|---|---|---|");
      for (const auto& c : t.columns) {
        std::vector<std::string> keys;
        if (is_primary_key_column(t, c.name)) keys.push_back("PK");
        if (fk_of_column(t, c.name)) keys.push_back("FK");
        if (is_single_unique_column(t, c.name)) keys.push_back("UK");
        std::vector<std::string> notes;
        if (const model::ForeignKey* fk = fk_of_column(t, c.name)) {
          std::string n = "→ " + fk_target(m_, *fk);
          if (fk->on_delete != model::OnDelete::no_action) n += std::string(", on delete ") + model::on_delete_sql(fk->on_delete);
          notes.push_back(n);
        }
        if (t.owned && c.name == m_.profile.owner_column) notes.push_back("the owner");
        for (const model::StateItem* s : states_of[i])
          if (s->column == c.name) notes.push_back("state " + s->name);
        for (const model::DataFlow* f : flows_of[i]) {
          std::string flow = (f->kind == ast::FlowKind::input ? "input " : "output ") + f->name;
          if (f->into_column == c.name) notes.push_back(flow);
          // A `map` says where the column's value comes from when the files are backfilled.
          if (f->mapping) {
            for (const auto& v : f->mapping->variables)
              if (v.column == c.name && v.parent_column.empty()) notes.push_back(fmt::format("{} path `{{{}}}`", flow, v.name));
            for (const auto& mc : f->mapping->columns)
              if (mc.column == c.name) notes.push_back(flow + " " + map_source_words(mc));
          }
        }
        line(fmt::format("| {} | {} | {} | {} | {} | {} |", code(c.name), cell(c.type.sql()),
                         c.nullable ? "no" : "yes", cell(code(c.default_sql)), join(keys, ", "),
                         cell(join(notes, "; "))));
      }
      line();
      auto idx = index_list(t);
      if (!idx.empty()) {
        std::vector<std::string> q;
        for (const auto& x : idx) q.push_back(code(x));
        line("Indexes: " + join(q, ", ") + ".");
        line();
      }
      if (!t.checks.empty()) {
        std::vector<std::string> q;
        for (const auto& c : t.checks) q.push_back(code(c.sql));
        line("Checks: " + join(q, ", ") + ".");
        line();
      }
      if (!t.policies.empty()) {
        line("Policies:");
        line();
        for (const auto& p : t.policies)
          line(fmt::format("- {} ({}): {}", code(p.name), model::command_sql(p.command),
                           p.intent.empty() ? "custom policy written in the spec" : p.intent));
        line();
      }
    }
  }

  void usage() {
    const auto& p = m_.profile;
    line("## Usage");
    line();
    if (p.user_role.empty()) {
      line("The target has no signed-in role: row-level security examples are not generated.");
      line();
      return;
    }
    line("Every example below runs as a signed-in user, with row-level security deciding what each statement "
         "may see and change. The values are concrete (a fixed example user and fixed row ids, so that later "
         "examples can refer to earlier rows): run the blocks in order, in one session.");
    line();
    line("### Acting as a signed-in user");
    line();
    if (p.name == "supabase")
      line(fmt::format("Supabase's API does this for every request of a signed-in user. The SQL editor and `psql` "
                       "connect as the database owner, which bypasses row-level security: to see what a user sees, "
                       "switch to the `{}` role and name the user in `{}`, inside a transaction.",
                       p.user_role, p.jwt_sub_setting));
    else
      line(fmt::format("The application connects as `{}` (subject to row-level security) and names the signed-in "
                       "user per transaction in `{}`.",
                       p.user_role, p.jwt_sub_setting));
    line();
    std::string act;
    if (!p.user_table.empty())
      act += fmt::format(
          "-- In a development database, the example user must exist first (as the database owner):\n"
          "--   insert into {} ({}) values ({});\n",
          plan::qualify(p.schema, p.user_table), qi(p.user_key), ql(ex_.user()));
    act += "begin;\n";
    act += fmt::format("set local role {};\n", qi(p.user_role));
    if (!p.jwt_sub_setting.empty()) act += fmt::format("set local {} = {};", p.jwt_sub_setting, ql(ex_.user()));
    sql_block(act);

    for (int ti : ex_.order()) {
      const Table& t = m_.tables[ti];
      const ExampleRow& row = ex_.row(ti);
      if (!row.present) continue;
      std::string heading;
      const std::string what = words_of(singular(plan::table_bare_name(t)));
      if (t.parent >= 0) {
        const std::string parent = words_of(singular(m_.tables[t.parent].name));
        heading = fmt::format("### Adding {} {} to {} {} (`{}`)", article(what), what, article(parent), parent, t.name);
      } else {
        heading = fmt::format("### Creating {} {} (`{}`)", article(what), what, t.name);
      }
      line(heading);
      line();
      sql_block(insert_sql(m_, t, row));
      std::vector<std::string> notes = row.notes;
      if (!notes.empty()) {
        line(join(notes, "; ") + ".");
        line();
      }
    }
    std::vector<std::string> read_only;
    for (const auto& t : m_.tables) {
      if (t.existing || Examples::insertable(m_, t)) continue;
      read_only.push_back(code(t.name));
    }
    if (!read_only.empty()) {
      line(fmt::format("Signed-in users do not write {}: its rows come from the migrations' seed rows and the "
                       "service role. The examples refer to those rows.",
                       join(read_only, ", ")));
      line();
    }

    for (const auto& q : m_.queries) {
      if (q.table < 0) continue;
      const Table& t = m_.tables[q.table];
      line(fmt::format("### Query `{}`", q.name));
      line();
      std::map<std::string, std::string> values;
      auto cols = param_columns(q.where_sql, ":");
      for (const auto& prm : q.params) {
        auto it = cols.find(prm.name);
        values[prm.name] = it != cols.end() ? ex_.value_of_column(q.table, it->second, &prm.type)
                                            : ex_.sample_of_type(t, prm.name, prm.type);
      }
      std::string sql = "select *\nfrom " + plan::table_sql(m_, t);
      if (!q.where_sql.empty()) sql += "\nwhere " + bind_params(q.where_sql, values);
      if (!q.order_by.empty()) {
        std::vector<std::string> order;
        for (const auto& o : q.order_by) order.push_back(qi(o.name) + (o.descending ? " desc" : ""));
        sql += "\norder by " + join(order, ", ");
      }
      if (q.limit) sql += fmt::format("\nlimit {}", *q.limit);
      sql_block(sql + ";");
      std::vector<std::string> ps;
      for (const auto& prm : q.params) ps.push_back(fmt::format("`${}` = `{}`", prm.name, values[prm.name]));
      std::string note = q.served ? "Served by an index." : "Not served by an index.";
      if (!ps.empty()) note = "Parameters: " + join(ps, ", ") + ". " + note;
      line(note);
      line();
    }

    for (const auto& s : m_.searches) {
      if (s.table < 0) continue;
      const Table& t = m_.tables[s.table];
      line(fmt::format("### Search `{}`", s.name));
      line();
      auto cols = param_columns(s.where_sql, s.name + ".");
      std::vector<std::string> args;
      for (const auto& prm : s.filter_params) {
        auto it = cols.find(prm.name);
        std::string v = it != cols.end() ? ex_.value_of_column(s.table, it->second, &prm.type)
                                         : ex_.sample_of_type(t, prm.name, prm.type);
        args.push_back(fmt::format("  {} => {}", qi(prm.name), v));
      }
      model::SqlType vt = s.vector_type;
      if (vt.base.empty())
        if (const model::Column* c = t.column(s.column)) vt = c->type;
      args.push_back(fmt::format("  {} => {}", qi(s.param), ex_.sample_of_type(t, s.param, vt)));
      args.push_back(fmt::format("  match_count => {}", s.limit));
      sql_block(fmt::format("select *\nfrom {}(\n{}\n);", plan::qualify(m_.profile.schema, s.name), join(args, ",\n")));
      line(fmt::format("`{}` is the embedding of the question (here a constant vector); the result holds the nearest "
                       "rows of `{}` the user may read, with their similarity.",
                       s.param, t.name));
      line();
    }

    for (const auto& v : m_.views) {
      if (v.table < 0) continue;
      line(fmt::format("### View `{}`", v.name));
      line();
      sql_block(fmt::format("select *\nfrom {};", plan::qualify(m_.profile.schema, v.name)));
      line(fmt::format("Rows of `{}`{}, as the user may see them (security invoker).", m_.tables[v.table].name,
                       v.where_sql.empty() ? "" : " where " + code(v.where_sql)));
      line();
    }
    line("End the transaction with `rollback;` to discard the example rows, or `commit;` to keep them.");
    line();
  }

  void migration_path() {
    line("## Migration path");
    line();
    int n = 1;
    line(fmt::format("{}. Snapshot the current schema: `packdbc snapshot --db URL`.", n++));
    const bool all_tx = std::all_of(phases_.begin(), phases_.end(), [](const plan::Phase& p) { return p.transactional; });
    if (all_tx)
      line(fmt::format("{}. Run the migrations in order (`packdbc migrate --db URL`, or `supabase db push`); each runs in "
                       "one transaction:",
                       n++));
    else
      line(fmt::format("{}. Run the migrations in order (`packdbc migrate --db URL`, or `supabase db push`); each runs in "
                       "one transaction, except those marked *no transaction* (`-- packdbc:no-transaction`: indexes "
                       "built or dropped concurrently, statement by statement; with psql, apply them without "
                       "`--single-transaction`):",
                       n++));
    for (const auto& p : phases_) {
      if (p.kind == plan::PhaseKind::evolution)
        line(fmt::format("   - `supabase/migrations/{}.sql` — {}{}{}:", migration_stem(m_, p), p.name,
                         p.transactional ? "" : ", *no transaction*",
                         p.hazards.empty() ? "" : "; hazards: " + join(p.hazards, ", ")));
      else
        line(fmt::format("   - `supabase/migrations/{}.sql` — phase {} ({}):", migration_stem(m_, p),
                         plan::phase_number(p.kind), p.name));
      for (const auto& s : p.summary) line("     - " + one_line(s));
    }
    line(fmt::format("{}. Test: `pg_prove supabase/tests/{}_rls.test.sql` (or `supabase test db`) proves the structure "
                     "and the RLS isolation between users; `packdbc smoke-test --db URL` also proves the rollback.",
                     n++, plan::pack_ident(m_.pack)));
    std::vector<std::string> backfill;
    bool mapped = false;
    for (const auto& f : m_.flows)
      if (f.into_table >= 0) {
        mapped = mapped || f.mapping;
        backfill.push_back(fmt::format("   - `{}` ({}) → `{}`{}", f.location, f.name,
                                       m_.tables[f.into_table].name + (f.into_column.empty() ? "" : "." + f.into_column),
                                       f.mapping ? " (mapped)" : ""));
      }
    if (!backfill.empty()) {
      line(fmt::format("{}. Backfill existing data from the filesystem{}:", n++,
                       mapped ? " (`packdbc backfill SPEC --pack PACK_DIR --db URL --as-user UUID` loads the mapped "
                                "ones in one transaction; a second run inserts nothing)"
                              : ""));
      for (const auto& b : backfill) line(b);
    }
    line(fmt::format("{}. Update the {} scripts to read and write the database (see Usage).", n++, m_.pack));
    line(fmt::format("{}. Keep the filesystem outputs as a backup during the transition.", n++));
    std::vector<std::string> downs;
    for (auto it = phases_.rbegin(); it != phases_.rend(); ++it)
      downs.push_back(code("supabase/rollback/" + migration_stem(m_, *it) + ".down.sql"));
    if (!downs.empty())
      line(fmt::format("{}. To undo, apply the down scripts newest first (`packdbc rollback --db URL`): {}.", n++,
                       join(downs, ", then ")));
  }

  const Model& m_;
  const std::vector<plan::Phase>& phases_;
  const std::string* erd_;  // the Mermaid ERD when already made, else made here
  Examples ex_;
  std::string out_;
};

}  // namespace

OutputFile generate_integration_guide(const Model& m, const std::vector<plan::Phase>& phases,
                                      const std::string* erd_mermaid) {
  Guide g(m, phases, erd_mermaid);
  return {guide_path(m), g.render()};
}

}  // namespace packdb::gen
