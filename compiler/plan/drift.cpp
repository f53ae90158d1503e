#include "compiler/plan/drift.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace packdb::plan {

namespace {

std::pair<std::string, std::string> split_qualified(const std::string& q) {
  auto dot = q.find('.');
  if (dot == std::string::npos) return {"public", q};
  return {q.substr(0, dot), q.substr(dot + 1)};
}

std::string unquote(std::string s) {
  std::erase(s, '"');
  return s;
}

// A default as written and as pg_get_expr prints it: without casts, parentheses and spaces.
std::string canonical_default(const std::string& d) {
  static const std::regex cast(R"(::[A-Za-z_][A-Za-z0-9_ ."]*(\(\d+(,\d+)?\))?(\[\])?)");
  std::string out = std::regex_replace(d, cast, "");
  std::string r;
  for (char c : out)
    if (c != '(' && c != ')' && !std::isspace(static_cast<unsigned char>(c))) r += static_cast<char>(std::tolower(c));
  return r;
}

std::string words(const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, ", ")); }

}  // namespace

std::string canonical_type(const std::string& type) {
  std::string t = unquote(type);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string suffix;
  while (t.size() > 2 && t.ends_with("[]")) {
    suffix += "[]";
    t.resize(t.size() - 2);
  }
  std::string params;
  if (auto p = t.find('('); p != std::string::npos) {
    params = t.substr(p);
    t = t.substr(0, p);
  }
  if (auto dot = t.rfind('.'); dot != std::string::npos) t = t.substr(dot + 1);  // schema-qualified
  static const std::map<std::string, std::string> alias = {
      {"int", "integer"},        {"int4", "integer"},          {"int8", "bigint"},
      {"int2", "smallint"},      {"bool", "boolean"},          {"float8", "double precision"},
      {"float4", "real"},        {"decimal", "numeric"},       {"varchar", "character varying"},
      {"char", "character"},     {"timestamptz", "timestamp with time zone"},
      {"timestamp", "timestamp without time zone"},            {"timetz", "time with time zone"},
      {"time", "time without time zone"},                      {"serial", "integer"},
      {"bigserial", "bigint"}};
  if (auto it = alias.find(t); it != alias.end()) t = it->second;
  if (!params.empty() && (t == "timestamp with time zone" || t == "timestamp without time zone")) {
    // timestamptz(3) prints as timestamp(3) with time zone
    t = t.substr(0, 9) + params + t.substr(9);
    params.clear();
  }
  return t + params + suffix;
}

std::vector<std::string> drift(const Schema& expected, const model::Catalog& db) {
  std::vector<std::string> out;
  for (const auto& st : expected.tables) {
    auto [schema, name] = split_qualified(unquote(st.qualified));
    const model::CatalogTable* t = db.table(schema, name);
    if (!t) {
      out.push_back(fmt::format("table {} is missing", st.qualified));
      continue;
    }
    const std::string& q = st.qualified;
    std::set<std::string> known_columns;
    for (const auto& c : st.columns) {
      known_columns.insert(c.name);
      const model::CatalogColumn* dc = t->column(c.name);
      if (!dc) {
        out.push_back(fmt::format("{}: column {} is missing", q, c.name));
        continue;
      }
      if (canonical_type(c.type) != canonical_type(dc->type))
        out.push_back(fmt::format("{}.{}: type {}, the migrations say {}", q, c.name, dc->type, c.type));
      if (c.nullable != dc->nullable)
        out.push_back(fmt::format("{}.{}: {}, the migrations say {}", q, c.name, dc->nullable ? "nullable" : "not null",
                                  c.nullable ? "nullable" : "not null"));
      std::string want = c.default_sql.rfind("generated ", 0) == 0 ? "" : c.default_sql;
      std::string have = dc->identity ? "" : dc->default_sql;
      if (canonical_default(want) != canonical_default(have))
        out.push_back(fmt::format("{}.{}: default {}, the migrations say {}", q, c.name, have.empty() ? "none" : have,
                                  want.empty() ? "none" : want));
    }
    if (!st.existing)
      for (const auto& dc : t->columns)
        if (!known_columns.count(dc.name)) out.push_back(fmt::format("{}: column {} is not in the migrations", q, dc.name));
    if (st.rls && !t->rls) out.push_back(fmt::format("{}: row level security is off, the migrations turn it on", q));
    if (!st.rls && t->rls && !st.existing)
      out.push_back(fmt::format("{}: row level security is on, the migrations leave it off", q));

    // Named objects, by kind: what the database has of each.
    std::map<std::string, std::set<std::string>> have;
    if (!t->primary_key.name.empty()) have["primary_key"].insert(t->primary_key.name);
    for (const auto& u : t->uniques) have["unique"].insert(u.name);
    for (const auto& c : t->checks) have["check"].insert(c.name);
    for (const auto& f : t->foreign_keys) have["foreign_key"].insert(f.name);
    for (const auto& i : t->indexes)
      if (!i.constraint) have["index"].insert(i.name);
    for (const auto& p : t->policies) have["policy"].insert(p.name);
    for (const auto& g : t->triggers) have["trigger"].insert(g.name);
    std::map<std::string, std::set<std::string>> want;
    for (const auto& o : st.objects) {
      want[o.kind].insert(o.name);
      if (!have[o.kind].count(o.name)) {
        out.push_back(fmt::format("{}: {} {} is missing", q, o.kind, o.name));
        continue;
      }
      if (o.kind == "policy") {
        // `create policy … for select` in the statement; the database's command beside it.
        for (const auto& p : t->policies)
          if (p.name == o.name && o.create.find("\n  for " + p.command + "\n") == std::string::npos)
            out.push_back(fmt::format("{}: policy {} is for {}, not as the migrations say", q, o.name, p.command));
      }
    }
    if (!st.existing)
      for (const auto& [kind, names] : have)
        for (const auto& n : names)
          if (!want[kind].count(n)) out.push_back(fmt::format("{}: {} {} is not in the migrations", q, kind, n));
  }
  for (const auto& e : expected.enums) {
    // Plain variables: clang 14 (the fuzz build) cannot capture structured bindings.
    const auto qn = split_qualified(unquote(e.qualified));
    const std::string &schema = qn.first, &name = qn.second;
    auto it = std::find_if(db.enums.begin(), db.enums.end(),
                           [&](const model::CatalogEnum& c) { return c.schema == schema && c.name == name; });
    if (it == db.enums.end()) out.push_back(fmt::format("enum {} is missing", e.qualified));
    else if (it->values != e.values)
      out.push_back(fmt::format("enum {}: values ({}), the migrations say ({})", e.qualified, words(it->values), words(e.values)));
  }
  for (const auto& r : expected.routines) {
    const auto qn = split_qualified(unquote(r.name));
    const std::string &schema = qn.first, &name = qn.second;
    bool found = r.kind == "view" ? std::any_of(db.views.begin(), db.views.end(),
                                                [&](const model::CatalogView& v) { return v.schema == schema && v.name == name; })
                                  : std::any_of(db.functions.begin(), db.functions.end(), [&](const model::CatalogFunction& f) {
                                      return f.schema == schema && f.name == name;
                                    });
    if (!found) out.push_back(fmt::format("{} {} is missing", r.kind, r.name));
  }
  return out;
}

}  // namespace packdb::plan
