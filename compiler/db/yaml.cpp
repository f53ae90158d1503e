#include "compiler/db/yaml.hpp"

#include <fmt/format.h>

#include "compiler/gen/yaml_text.hpp"

#include <cctype>
#include <map>
#include <string_view>

namespace packdb::db {
namespace {

// ---- scalars: one quoting rule for every YAML packdbc writes (compiler/gen/yaml_text.hpp) ----

std::string sc(std::string_view s) { return yaml::scalar(s); }
std::string block_sc(std::string_view s) { return yaml::scalar(s, false); }
const char* yn(bool b) { return b ? "true" : "false"; }

std::string seq(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += sc(v[i]);
  }
  return out + "]";
}

// A flow mapping, built key by key: {name: id, type: bigint}
class Flow {
 public:
  Flow& raw(const char* key, const std::string& value) {
    s_ += s_.empty() ? "{" : ", ";
    s_ += key;
    s_ += ": ";
    s_ += value;
    return *this;
  }
  Flow& str(const char* key, const std::string& v) { return raw(key, sc(v)); }
  Flow& opt(const char* key, const std::string& v) { return v.empty() ? *this : str(key, v); }  // left out when empty
  Flow& str_or_null(const char* key, const std::string& v) { return raw(key, v.empty() ? "null" : sc(v)); }
  Flow& num(const char* key, long long n) { return raw(key, std::to_string(n)); }
  Flow& flag(const char* key, bool b) { return raw(key, yn(b)); }
  Flow& list(const char* key, const std::vector<std::string>& v) { return raw(key, seq(v)); }
  Flow& counts(const char* key, const std::map<std::string, int>& m) {
    if (m.empty()) return *this;
    Flow f;
    for (const auto& [k, n] : m) f.raw(sc(k).c_str(), std::to_string(n));
    return raw(key, f.done());
  }
  std::string done() const { return s_.empty() ? "{}" : s_ + "}"; }

 private:
  std::string s_;
};

void line(std::string& out, int indent, const std::string& text) {
  out.append(static_cast<std::size_t>(indent), ' ');
  out += text;
  out += '\n';
}

void named(std::string& out, const char* key, const model::NamedColumnPattern& p) {
  Flow f;
  f.str_or_null("column", p.column).opt("type", p.type).opt("references", p.references).num("tables", p.tables).num("of", p.of);
  f.counts("seen", p.counts);
  line(out, 2, std::string(key) + ": " + f.done());
}

void patterns(std::string& out, const model::Patterns& p) {
  line(out, 0, "patterns_found:");
  for (const auto& s : p.summary) line(out, 2, "- " + block_sc(s));
  line(out, 0, "patterns:");
  Flow k;
  k.str_or_null("kind", p.key.kind).opt("column", p.key.column).opt("type", p.key.type).opt("default", p.key.default_sql);
  k.num("tables", p.key.tables).num("of", p.key.of).counts("seen", p.key.counts);
  line(out, 2, "keys: " + k.done());
  named(out, "created", p.created);
  named(out, "updated", p.updated);
  named(out, "tenancy", p.tenancy);
  line(out, 2, "rls: " + Flow().num("enabled", p.rls.enabled).num("of", p.rls.of).list("without", p.rls.without).done());
  line(out, 2, "naming: " + Flow()
                                .str_or_null("style", p.naming.style)
                                .num("plural", p.naming.plural)
                                .num("singular", p.naming.singular)
                                .done());
  line(out, 2, "on_delete: " + Flow()
                                   .str_or_null("habit", p.on_delete.habit)
                                   .num("of", p.on_delete.of)
                                   .counts("seen", p.on_delete.counts)
                                   .done());
}

// `key:` followed by one flow mapping per entry, or `key: []`.
template <class T, class F>
void entries(std::string& out, int indent, const char* key, const std::vector<T>& list, F&& flow) {
  if (list.empty()) {
    line(out, indent, std::string(key) + ": []");
    return;
  }
  line(out, indent, std::string(key) + ":");
  for (const auto& e : list) line(out, indent + 2, "- " + flow(e).done());
}

void table(std::string& out, const model::CatalogTable& t) {
  line(out, 2, "- schema: " + block_sc(t.schema));
  line(out, 4, "name: " + block_sc(t.name));
  line(out, 4, std::string("rls: ") + yn(t.rls));
  if (t.force_rls) line(out, 4, "force_rls: true");
  entries(out, 4, "columns", t.columns, [](const model::CatalogColumn& c) {
    Flow f;
    f.str("name", c.name).str("type", c.type).flag("nullable", c.nullable).opt("default", c.default_sql);
    if (c.identity) f.str("identity", c.identity_kind.empty() ? "always" : c.identity_kind);
    return f.opt("generated", c.generated_sql);
  });
  if (!t.primary_key.name.empty())
    line(out, 4, "primary_key: " + Flow().str("name", t.primary_key.name).list("columns", t.primary_key.columns).done());
  auto some = [&](const char* key, const auto& list, auto flow) {
    if (!list.empty()) entries(out, 4, key, list, flow);
  };
  some("foreign_keys", t.foreign_keys, [](const model::CatalogForeignKey& fk) {
    Flow ref;
    ref.str("schema", fk.ref_schema).str("table", fk.ref_table).list("columns", fk.ref_columns);
    return Flow()
        .str("name", fk.name)
        .list("columns", fk.columns)
        .raw("references", ref.done())
        .str("on_delete", fk.on_delete)
        .str("on_update", fk.on_update);
  });
  some("uniques", t.uniques, [](const model::CatalogConstraint& c) {
    return Flow().str("name", c.name).list("columns", c.columns).opt("definition", c.definition);
  });
  some("checks", t.checks, [](const model::CatalogConstraint& c) {
    return Flow().str("name", c.name).opt("definition", c.definition);
  });
  some("indexes", t.indexes, [](const model::CatalogIndex& x) {
    Flow f;
    f.str("name", x.name).str("method", x.method).flag("unique", x.unique);
    if (x.primary) f.flag("primary", true);
    if (x.constraint) f.flag("constraint", true);
    f.list("columns", x.columns);
    bool any_opclass = false;
    for (const auto& oc : x.opclasses) any_opclass |= !oc.empty();
    if (any_opclass) f.list("opclasses", x.opclasses);
    if (!x.include.empty()) f.list("include", x.include);
    return f.opt("predicate", x.predicate).opt("definition", x.definition);
  });
  some("policies", t.policies, [](const model::CatalogPolicy& p) {
    return Flow()
        .str("name", p.name)
        .str("command", p.command)
        .flag("permissive", p.permissive)
        .list("roles", p.roles)
        .opt("using", p.using_sql)
        .opt("with_check", p.check_sql);
  });
  some("triggers", t.triggers, [](const model::CatalogTrigger& tr) {
    Flow f;
    f.str("name", tr.name).str("function", tr.function);
    if (!tr.enabled) f.flag("enabled", false);
    return f.opt("definition", tr.definition);
  });
}

}  // namespace

std::string catalog_to_yaml(const model::Catalog& cat) {
  std::string out;
  out.reserve(4096 + cat.tables.size() * 2048);
  line(out, 0, "# written by `packdbc inspect`; the shape is described in docs/snapshot.md");
  line(out, 0, fmt::format("packdbc_snapshot: {}", snapshot_format_version));
  if (!cat.source.empty()) line(out, 0, "source: " + block_sc(cat.source));
  if (!cat.server_version.empty()) line(out, 0, "server_version: " + block_sc(cat.server_version));
  line(out, 0, "schemas: " + seq(cat.schemas));
  patterns(out, cat.patterns);
  if (cat.tables.empty()) line(out, 0, "tables: []");
  else line(out, 0, "tables:");
  for (const auto& t : cat.tables) table(out, t);
  entries(out, 0, "enums", cat.enums, [](const model::CatalogEnum& e) {
    return Flow().str("schema", e.schema).str("name", e.name).list("values", e.values);
  });
  entries(out, 0, "views", cat.views, [](const model::CatalogView& v) {
    Flow f;
    f.str("schema", v.schema).str("name", v.name);
    if (v.materialized) f.flag("materialized", true);
    return f.flag("security_invoker", v.security_invoker).opt("definition", v.definition);
  });
  entries(out, 0, "functions", cat.functions, [](const model::CatalogFunction& fn) {
    Flow f;
    f.str("schema", fn.schema).str("name", fn.name).str("arguments", fn.arguments).opt("returns", fn.returns);
    f.str("language", fn.language);
    if (fn.kind != "function") f.str("kind", fn.kind);
    if (fn.security_definer) f.flag("security_definer", true);
    return f.str("volatility", fn.volatility);
  });
  entries(out, 0, "extensions", cat.extensions, [](const model::CatalogExtension& e) {
    return Flow().str("name", e.name).str("schema", e.schema).str("version", e.version);
  });
  return out;
}

}  // namespace packdb::db
