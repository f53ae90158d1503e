#include "compiler/check/conventions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace packdb::check {
namespace {

const std::vector<std::string>& created_candidates() {
  static const std::vector<std::string> v = {"created_at", "inserted_at", "created_on", "created", "creation_date",
                                             "date_created", "createdat", "inserted_on"};
  return v;
}
const std::vector<std::string>& updated_candidates() {
  static const std::vector<std::string> v = {"updated_at", "modified_at", "updated_on", "modified_on", "updated",
                                             "last_modified", "changed_at", "updatedat"};
  return v;
}
const std::vector<std::string>& tenancy_candidates() {
  static const std::vector<std::string> v = {"user_id",    "owner_id",   "org_id",      "organization_id",
                                             "tenant_id",  "account_id", "team_id",     "workspace_id",
                                             "company_id", "profile_id", "created_by"};
  return v;
}

bool is_temporal(const std::string& type) {
  return type.rfind("timestamp", 0) == 0 || type == "date" || type == "timestamptz";
}
bool is_integer(const std::string& type) { return type == "bigint" || type == "integer" || type == "smallint"; }

// The most counted key of `m`; ties go to the earlier entry of `order` (then alphabetical).
std::string most(const std::map<std::string, int>& m, const std::vector<std::string>& order = {}) {
  std::string best;
  int n = 0;
  auto rank = [&](const std::string& k) {
    auto it = std::find(order.begin(), order.end(), k);
    return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
  };
  for (const auto& [k, c] : m)
    if (c > n || (c == n && !best.empty() && rank(k) < rank(best))) best = k, n = c;
  return best;
}

bool unique_max(const std::map<std::string, int>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return false;
  for (const auto& [k, c] : m)
    if (k != key && c >= it->second) return false;
  return true;
}

std::string of_tables(int n, int of) { return fmt::format("{} of {} table{}", n, of, of == 1 ? "" : "s"); }

// The key of a table, classified: "uuid", "bigint identity", "bigserial" …; "" when the table
// has no single-column key.
std::string key_kind(const model::CatalogTable& t, const model::CatalogColumn** col) {
  if (t.primary_key.columns.size() != 1) return "";
  const model::CatalogColumn* c = t.column(t.primary_key.columns[0]);
  *col = c;
  if (!c) return "other";
  if (c->type == "uuid") return "uuid";
  if (c->identity) return c->type == "bigint" ? "bigint identity" : is_integer(c->type) ? "integer identity" : "other";
  if (is_integer(c->type) && c->default_sql.rfind("nextval(", 0) == 0)
    return c->type == "bigint" ? "bigserial" : "serial";
  if (c->type == "text" || c->type.rfind("character varying", 0) == 0) return "text";
  if (is_integer(c->type)) return c->type;  // a key without a default: the application numbers rows
  return "other";
}

std::string key_default_of(const model::CatalogColumn& c) {
  if (c.identity) return "generated " + (c.identity_kind.empty() ? std::string("always") : c.identity_kind) + " as identity";
  return c.default_sql;
}

const char* key_phrase(const std::string& kind) {
  if (kind == "uuid") return "UUID primary keys";
  if (kind == "bigint identity") return "Bigint identity primary keys";
  if (kind == "integer identity") return "Integer identity primary keys";
  if (kind == "bigserial") return "Bigserial primary keys";
  if (kind == "serial") return "Serial primary keys";
  if (kind == "text") return "Text primary keys";
  return "Primary keys of mixed kinds";
}

std::string last_word(const std::string& name) {
  std::size_t u = name.rfind('_');
  return u == std::string::npos ? name : name.substr(u + 1);
}

}  // namespace

bool looks_plural(const std::string& table_name) {
  static const std::set<std::string> plural = {"people", "children", "men", "women", "data", "media", "criteria",
                                               "feet", "teeth", "mice", "geese", "indices", "matrices"};
  static const std::set<std::string> singular = {"news", "status", "series", "species", "analysis", "basis", "axis",
                                                 "bus", "gas", "alias", "canvas", "campus", "corpus", "census"};
  std::string w = last_word(table_name);
  if (plural.count(w)) return true;
  if (singular.count(w) || w.size() < 3) return false;
  if (w.back() != 's') return false;
  std::string tail = w.substr(w.size() - 2);
  return tail != "ss" && tail != "us" && tail != "is";
}

model::Patterns find_patterns(const model::Catalog& cat) {
  model::Patterns p;
  const int n = static_cast<int>(cat.tables.size());
  std::map<std::string, std::map<std::string, int>> key_columns, key_types, key_defaults;  // by kind
  std::map<std::string, std::map<std::string, int>> col_types;  // by column name
  std::map<std::string, std::map<std::string, int>> tenancy_refs;
  for (const auto& t : cat.tables) {
    // keys
    const model::CatalogColumn* kc = nullptr;
    std::string kind = key_kind(t, &kc);
    if (!kind.empty()) {
      ++p.key.of;
      ++p.key.counts[kind];
      if (kc) {
        ++key_columns[kind][kc->name];
        ++key_types[kind][kc->type];
        ++key_defaults[kind][key_default_of(*kc)];
      }
    }
    // timestamps and tenancy: count each candidate once per table
    for (const auto& c : t.columns) {
      if (is_temporal(c.type)) {
        if (std::count(created_candidates().begin(), created_candidates().end(), c.name)) ++p.created.counts[c.name];
        if (std::count(updated_candidates().begin(), updated_candidates().end(), c.name)) ++p.updated.counts[c.name];
      }
      if (std::count(tenancy_candidates().begin(), tenancy_candidates().end(), c.name)) {
        ++p.tenancy.counts[c.name];
        for (const auto& fk : t.foreign_keys)
          if (fk.columns.size() == 1 && fk.columns[0] == c.name) ++tenancy_refs[c.name][fk.ref_schema + "." + fk.ref_table];
      }
      ++col_types[c.name][c.type];
    }
    // RLS
    if (t.rls) ++p.rls.enabled;
    else p.rls.without.push_back(t.qualified());
    // naming
    (looks_plural(t.name) ? p.naming.plural : p.naming.singular)++;
    // on delete
    for (const auto& fk : t.foreign_keys) {
      ++p.on_delete.of;
      ++p.on_delete.counts[fk.on_delete];
    }
  }
  p.rls.of = n;

  static const std::vector<std::string> key_order = {"uuid", "bigint identity", "integer identity", "bigserial", "serial"};
  p.key.kind = most(p.key.counts, key_order);
  if (!p.key.kind.empty()) {
    p.key.tables = p.key.counts[p.key.kind];
    p.key.column = most(key_columns[p.key.kind], {"id"});
    p.key.type = most(key_types[p.key.kind]);
    p.key.default_sql = most(key_defaults[p.key.kind]);
  }
  auto finish = [&](model::NamedColumnPattern& np, const std::vector<std::string>& order) {
    np.of = n;
    np.column = most(np.counts, order);
    if (np.column.empty()) return;
    np.tables = np.counts[np.column];
    np.type = most(col_types[np.column]);
  };
  finish(p.created, created_candidates());
  finish(p.updated, updated_candidates());
  finish(p.tenancy, tenancy_candidates());
  if (!p.tenancy.column.empty()) p.tenancy.references = most(tenancy_refs[p.tenancy.column]);
  if (p.naming.plural + p.naming.singular > 0) {
    int total = p.naming.plural + p.naming.singular;
    p.naming.style = p.naming.plural * 3 >= total * 2     ? "plural"
                     : p.naming.singular * 3 >= total * 2 ? "singular"
                                                          : "mixed";
  }
  static const std::vector<std::string> delete_order = {"cascade", "restrict", "set null", "no action", "set default"};
  p.on_delete.habit = most(p.on_delete.counts, delete_order);

  // ---- in words, as the seed lists them
  auto& s = p.summary;
  if (n == 0) {
    s.push_back("No tables yet");
    return p;
  }
  if (!p.tenancy.column.empty())
    s.push_back(fmt::format("Multi-tenancy via {} ({}{})", p.tenancy.column, of_tables(p.tenancy.tables, n),
                            p.tenancy.references.empty() ? "" : ", references " + p.tenancy.references));
  else
    s.push_back("No tenancy column (user_id, owner_id, org_id …)");
  if (!p.key.kind.empty()) {
    std::string d = p.key.default_sql.empty() ? "no default" : p.key.default_sql;
    s.push_back(fmt::format("{} ({}; {} {} {})", key_phrase(p.key.kind), of_tables(p.key.tables, p.key.of),
                            p.key.column, p.key.type, d));
  } else {
    s.push_back("No single-column primary keys");
  }
  std::vector<std::string> ts;
  if (!p.created.column.empty()) ts.push_back(fmt::format("{} ({})", p.created.column, of_tables(p.created.tables, n)));
  if (!p.updated.column.empty()) ts.push_back(fmt::format("{} ({})", p.updated.column, of_tables(p.updated.tables, n)));
  s.push_back(ts.empty() ? std::string("No timestamp columns (created_at, inserted_at …)")
                         : fmt::format("Timestamps {}", fmt::join(ts, ", ")));
  if (p.rls.enabled == n)
    s.push_back(fmt::format("RLS enabled on all {} tables", n));
  else
    s.push_back(fmt::format("RLS enabled on {} of {} tables (not on {})", p.rls.enabled, n, fmt::join(p.rls.without, ", ")));
  if (p.naming.style == "mixed")
    s.push_back(fmt::format("Table names mixed: {} plural, {} singular", p.naming.plural, p.naming.singular));
  else
    s.push_back(fmt::format("Table names in the {} ({})", p.naming.style,
                            of_tables(p.naming.style == "plural" ? p.naming.plural : p.naming.singular, n)));
  if (p.on_delete.of == 0)
    s.push_back("No foreign keys");
  else
    s.push_back(fmt::format("Foreign keys on delete {} ({} of {})", p.on_delete.habit, p.on_delete.counts[p.on_delete.habit],
                            p.on_delete.of));
  return p;
}

Conventions conventions_from(const model::Catalog& cat) {
  const model::Patterns& p = cat.patterns;
  Conventions c;
  auto majority = [](int n, int of) { return of > 0 && n * 2 > of; };
  const auto& k = p.key;
  if (!k.kind.empty() && majority(k.tables, k.of) && k.kind != "other" && k.kind != "text") {
    std::string because = fmt::format("{} keys on {}", k.kind, of_tables(k.tables, k.of));
    if (!k.column.empty() && k.column != "id") c.settings.push_back({"key_column", k.column, because});
    if (k.kind == "uuid") {
      c.settings.push_back({"key_type", "uuid", because});
      if (!k.default_sql.empty()) c.settings.push_back({"key_default", k.default_sql, because});
    } else if (k.kind.find("identity") != std::string::npos) {
      c.settings.push_back({"key_type", k.type, because});
      c.settings.push_back({"key_default", k.default_sql, because});
    } else if (k.kind == "bigserial" || k.kind == "serial") {
      // serial is a sequence default; identity is its standard successor with the same behaviour
      c.settings.push_back({"key_type", k.kind == "bigserial" ? "bigint" : "integer", because});
      c.settings.push_back({"key_default", "generated by default as identity", because + " (as identity, serial's standard form)"});
    } else if (is_integer(k.kind)) {
      c.settings.push_back({"key_type", k.kind, because});
    }
  }
  if (!p.created.column.empty() && majority(p.created.tables, p.created.of))
    c.settings.push_back({"created_column", p.created.column,
                          fmt::format("{} on {}", p.created.column, of_tables(p.created.tables, p.created.of))});
  if (!p.updated.column.empty() && majority(p.updated.tables, p.updated.of))
    c.settings.push_back({"updated_column", p.updated.column,
                          fmt::format("{} on {}", p.updated.column, of_tables(p.updated.tables, p.updated.of))});
  if (!p.tenancy.column.empty() && unique_max(p.tenancy.counts, p.tenancy.column) && p.tenancy.type == "uuid")
    c.settings.push_back({"owner_column", p.tenancy.column,
                          fmt::format("tenancy via {} on {}", p.tenancy.column, of_tables(p.tenancy.tables, p.tenancy.of))});
  if (p.naming.plural + p.naming.singular >= 3 && (p.naming.style == "plural" || p.naming.style == "singular") &&
      (p.naming.plural == 0 || p.naming.singular == 0))
    c.naming = p.naming.style;
  for (const auto& t : cat.tables)
    if (!c.naming.empty() && c.examples.size() < 3) c.examples.push_back(t.name);
  if (const Convention* cc = c.find("created_column"))
    for (const auto& n : created_candidates())
      if (n != cc->value) c.created_names.push_back(n);
  if (const Convention* oc = c.find("owner_column"))
    for (const auto& n : tenancy_candidates())
      if (n != oc->value) c.tenancy_names.push_back(n);
  return c;
}

ast::File conventions_module(const Conventions& c, const std::string& target, SourceSet& sources) {
  // The text is what a person would write; the AST is built directly (values may hold any
  // character, and nothing needs parsing), with spans into that text.
  std::string text = fmt::format("// the conventions of the current database, between the stdlib's and the spec's\nprofile {} {{\n", target);
  struct At {
    std::size_t key, value;
  };
  std::vector<At> at;
  for (const auto& s : c.settings) {
    text += "  ";
    std::size_t k = text.size();
    text += s.setting + " ";
    std::size_t v = text.size();
    text += "\"" + s.value + "\"  // " + s.because + "\n";
    at.push_back({k, v});
  }
  text += "}\n";
  std::uint32_t file = sources.add("<database conventions>", text);
  ast::File f;
  f.file_id = file;
  ast::Profile prof;
  std::size_t name_at = text.find("profile ") + 8;
  prof.name = {target, {file, static_cast<std::uint32_t>(name_at), static_cast<std::uint32_t>(name_at + target.size())}};
  prof.span = prof.name.span;
  for (std::size_t i = 0; i < c.settings.size(); ++i) {
    const auto& s = c.settings[i];
    ast::Setting st;
    auto k = static_cast<std::uint32_t>(at[i].key), v = static_cast<std::uint32_t>(at[i].value);
    st.key = {s.setting, {file, k, k + static_cast<std::uint32_t>(s.setting.size())}};
    st.value = std::make_unique<ast::Expr>();
    st.value->kind = ast::ExprKind::string_lit;
    st.value->text = s.value;
    st.value->span = {file, v, v + static_cast<std::uint32_t>(s.value.size() + 2)};
    st.span = {file, k, st.value->span.end};
    prof.settings.push_back(std::move(st));
  }
  f.profiles.push_back(std::move(prof));
  return f;
}

void check_conventions(const ast::File& spec, const model::Model& m, const Conventions& c, Diagnostics& diags) {
  // C0401: the spec's own profile overrides what the database does
  for (const auto& prof : spec.profiles)
    for (const auto& s : prof.settings) {
      const Convention* conv = c.find(s.key.name);
      std::string value = s.value ? s.value->text : "";
      if (!conv || value == conv->value) continue;
      diags.warning("C0401", s.span,
                    fmt::format("the spec sets {} \"{}\", but the database's tables use \"{}\" ({})", s.key.name, value,
                                conv->value, conv->because))
          .help = "new tables will follow the spec; remove the setting to follow the database";
    }
  for (const auto& t : m.tables) {
    if (t.existing) continue;
    // C0402: table naming
    if (!c.naming.empty() && looks_plural(t.name) != (c.naming == "plural")) {
      std::string ex = c.examples.empty() ? "" : fmt::format(" ({})", fmt::join(c.examples, ", "));
      diags.warning("C0402", t.span,
                    fmt::format("table `{}` is {}, but the database names its tables in the {}{}", t.name,
                                c.naming == "plural" ? "singular" : "plural", c.naming, ex))
          .help = "name it like the tables around it, or keep the name on purpose";
    }
    for (const auto& col : t.columns) {
      if (col.origin != model::ColumnOrigin::spec) continue;
      // C0403: another timestamp name
      if (col.type.is_temporal() && std::count(c.created_names.begin(), c.created_names.end(), col.name))
        diags.warning("C0403", col.span,
                      fmt::format("`{}` differs from the database's timestamp column `{}`", col.name, m.profile.created_column))
            .help = fmt::format("the conventions already add `{}` to every table; remove this column",
                                m.profile.created_column);
      // C0404: another tenancy name
      if (col.type.is_uuid() && std::count(c.tenancy_names.begin(), c.tenancy_names.end(), col.name))
        diags.warning("C0404", col.span,
                      fmt::format("`{}` looks like a tenancy column, but the database's tables use `{}`", col.name,
                                  m.profile.owner_column))
            .help = fmt::format("declare the table `owned by user` (its owner column is `{}`), or rename the column",
                                m.profile.owner_column);
    }
  }
}

void assess_risk(model::Model& m, const model::Catalog* cat) {
  model::RiskAssessment r;
  const auto& p = m.profile;
  std::string user_schema, user_name;
  if (auto dot = p.user_table.find('.'); dot != std::string::npos) {
    user_schema = p.user_table.substr(0, dot);
    user_name = p.user_table.substr(dot + 1);
  } else if (!p.user_table.empty()) {
    user_schema = p.schema;
    user_name = p.user_table;
  }
  for (const auto& t : m.tables) {
    if (!t.existing) continue;
    std::string schema = p.schema, name = t.name;
    if (auto dot = t.name.find('.'); dot != std::string::npos) schema = t.name.substr(0, dot), name = t.name.substr(dot + 1);
    const std::string q = schema + "." + name;
    r.modified_tables.push_back(q);
    r.level = std::max(r.level, model::Risk::medium);
    r.reasons.push_back(fmt::format("changes the existing table {}", q));
    std::string why;
    if (schema == "auth") why = "it is in the auth schema";
    else if (schema == user_schema && name == user_name) why = "it is the users table of the target";
    else if (name == "users") why = "it is a users table";
    else if (cat) {
      if (const model::CatalogTable* ct = cat->table(schema, name))
        for (const auto& fk : ct->foreign_keys)
          if (fk.columns == ct->primary_key.columns && !fk.columns.empty() &&
              ((fk.ref_schema + "." + fk.ref_table) == p.user_table || (fk.ref_schema == "auth" && fk.ref_table == "users")))
            why = fmt::format("its key references {}.{}: it holds one row per user", fk.ref_schema, fk.ref_table);
    }
    if (!why.empty()) {
      r.level = model::Risk::high;
      r.reasons.push_back(fmt::format("touches {}: {}", q, why));
    }
  }
  if (r.modified_tables.empty()) r.reasons.push_back("only new tables: no existing data is affected");
  m.risk = std::move(r);
}

}  // namespace packdb::check
