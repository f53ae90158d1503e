#include "compiler/front/snapshot.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace packdb {
namespace {

// The snapshot format this reader knows (compiler/db/yaml.hpp writes it).
constexpr int kFormat = 1;

// A shape error at a node; caught once, at the top, and reported as S0002.
struct ShapeError {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void fail(const YAML::Node& n, std::string msg) { throw ShapeError{n.Mark(), std::move(msg)}; }

class Reader {
 public:
  // `where` names the object for messages: "table `project`", "column `id` of table `project`".
  std::string text(const YAML::Node& map, const char* key, const std::string& where, bool required = false) {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) {
      if (required) fail(map, fmt::format("{} needs a `{}`", where, key));
      return "";
    }
    if (!v.IsScalar()) fail(v, fmt::format("`{}` of {} must be a single value", key, where));
    return v.Scalar();
  }
  bool flag(const YAML::Node& map, const char* key, const std::string& where, bool dflt) {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return dflt;
    bool out = dflt;
    if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
      fail(v, fmt::format("`{}` of {} must be true or false", key, where));
    return out;
  }
  std::vector<std::string> strings(const YAML::Node& map, const char* key, const std::string& where) {
    std::vector<std::string> out;
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return out;
    if (v.IsScalar()) return {v.Scalar()};  // `columns: id` for one column
    if (!v.IsSequence()) fail(v, fmt::format("`{}` of {} must be a list", key, where));
    for (const auto& s : v) {
      if (!s.IsScalar()) fail(s, fmt::format("each of `{}` of {} must be a single value", key, where));
      out.push_back(s.Scalar());
    }
    return out;
  }
  // A list of mappings under `key` (absent or null: empty).
  std::vector<YAML::Node> maps(const YAML::Node& map, const char* key, const std::string& where) {
    std::vector<YAML::Node> out;
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return out;
    if (!v.IsSequence()) fail(v, fmt::format("`{}` of {} must be a list", key, where));
    for (const auto& e : v) {
      if (!e.IsMap()) fail(e, fmt::format("each entry of `{}` of {} must be a mapping", key, where));
      out.push_back(e);
    }
    return out;
  }

  model::CatalogTable table(const YAML::Node& t) {
    if (!t.IsMap() || !t["name"] || !t["name"].IsScalar()) fail(t, "each table needs a `name`");
    model::CatalogTable ct;
    ct.name = t["name"].Scalar();
    const std::string where = fmt::format("table `{}`", ct.name);
    if (std::string s = text(t, "schema", where); !s.empty()) ct.schema = s;
    ct.rls = flag(t, "rls", where, false);
    ct.force_rls = flag(t, "force_rls", where, false);
    if (t["columns"] && !t["columns"].IsNull() && !t["columns"].IsSequence())
      fail(t["columns"], fmt::format("`columns` of table `{}` must be a list", ct.name));
    for (const auto& c : t["columns"] ? t["columns"] : YAML::Node()) {
      if (!c.IsMap() || !c["name"] || !c["type"])
        fail(c, fmt::format("each column of table `{}` needs a `name` and a `type`", ct.name));
      model::CatalogColumn cc;
      const std::string cw = fmt::format("a column of table `{}`", ct.name);
      cc.name = text(c, "name", cw, true);
      const std::string cwn = fmt::format("column `{}` of table `{}`", cc.name, ct.name);
      cc.type = text(c, "type", cwn, true);
      cc.nullable = flag(c, "nullable", cwn, true);
      cc.default_sql = text(c, "default", cwn);
      // identity: always | by default | true | false
      std::string id = text(c, "identity", cwn);
      cc.identity = !id.empty() && id != "false" && id != "no";
      if (cc.identity) cc.identity_kind = id == "by default" ? "by default" : "always";
      cc.generated_sql = text(c, "generated", cwn);
      ct.columns.push_back(std::move(cc));
    }
    if (YAML::Node pk = t["primary_key"]; pk && !pk.IsNull()) {
      if (pk.IsSequence()) {  // primary_key: [id]
        ct.primary_key.columns = strings(t, "primary_key", where);
        ct.primary_key.name = ct.name + "_pkey";
      } else if (pk.IsMap()) {
        ct.primary_key.name = text(pk, "name", "the primary key of " + where);
        ct.primary_key.columns = strings(pk, "columns", "the primary key of " + where);
        if (ct.primary_key.name.empty()) ct.primary_key.name = ct.name + "_pkey";
      } else {
        fail(pk, fmt::format("`primary_key` of {} must be a list of columns or a mapping", where));
      }
      if (ct.primary_key.columns.empty()) fail(pk, fmt::format("the primary key of {} names no column", where));
    }
    for (const auto& f : maps(t, "foreign_keys", where)) {
      model::CatalogForeignKey fk;
      const std::string fw = "a foreign key of " + where;
      fk.name = text(f, "name", fw);
      fk.columns = strings(f, "columns", fw);
      YAML::Node ref = f["references"];
      if (!ref || !ref.IsMap()) fail(f, fmt::format("{} needs `references: {{schema, table, columns}}`", fw));
      fk.ref_schema = text(ref, "schema", fw);
      if (fk.ref_schema.empty()) fk.ref_schema = "public";
      fk.ref_table = text(ref, "table", fw, true);
      fk.ref_columns = strings(ref, "columns", fw);
      if (std::string d = text(f, "on_delete", fw); !d.empty()) fk.on_delete = d;
      if (std::string u = text(f, "on_update", fw); !u.empty()) fk.on_update = u;
      static const std::vector<std::string> actions = {"cascade", "restrict", "set null", "set default", "no action"};
      for (const auto* a : {&fk.on_delete, &fk.on_update})
        if (std::find(actions.begin(), actions.end(), *a) == actions.end())
          fail(f, fmt::format("{}: `{}` is not an action (cascade, restrict, set null, set default, no action)", fw, *a));
      if (fk.columns.empty()) fail(f, fmt::format("{} names no column", fw));
      ct.foreign_keys.push_back(std::move(fk));
    }
    for (const auto& u : maps(t, "uniques", where))
      ct.uniques.push_back({text(u, "name", "a unique constraint of " + where), strings(u, "columns", "a unique constraint of " + where),
                            text(u, "definition", "a unique constraint of " + where)});
    for (const auto& c : maps(t, "checks", where))
      ct.checks.push_back({text(c, "name", "a check of " + where), {}, text(c, "definition", "a check of " + where)});
    for (const auto& x : maps(t, "indexes", where)) {
      model::CatalogIndex ix;
      const std::string iw = "an index of " + where;
      ix.name = text(x, "name", iw, true);
      if (std::string m = text(x, "method", iw); !m.empty()) ix.method = m;
      ix.unique = flag(x, "unique", iw, false);
      ix.primary = flag(x, "primary", iw, false);
      ix.constraint = flag(x, "constraint", iw, false);
      ix.columns = strings(x, "columns", iw);
      ix.opclasses = strings(x, "opclasses", iw);
      if (!ix.opclasses.empty() && ix.opclasses.size() != ix.columns.size())
        fail(x, fmt::format("index `{}` of {}: `opclasses` must have one entry per column", ix.name, where));
      ix.opclasses.resize(ix.columns.size());
      ix.include = strings(x, "include", iw);
      ix.predicate = text(x, "predicate", iw);
      ix.definition = text(x, "definition", iw);
      ct.indexes.push_back(std::move(ix));
    }
    for (const auto& p : maps(t, "policies", where)) {
      model::CatalogPolicy cp;
      const std::string pw = "a policy of " + where;
      cp.name = text(p, "name", pw, true);
      if (std::string c = text(p, "command", pw); !c.empty()) cp.command = c;
      static const std::vector<std::string> commands = {"all", "select", "insert", "update", "delete"};
      if (std::find(commands.begin(), commands.end(), cp.command) == commands.end())
        fail(p, fmt::format("policy `{}` of {}: `{}` is not a command (all, select, insert, update, delete)", cp.name,
                            where, cp.command));
      cp.permissive = flag(p, "permissive", pw, true);
      cp.roles = strings(p, "roles", pw);
      if (cp.roles.empty()) cp.roles = {"public"};
      cp.using_sql = text(p, "using", pw);
      cp.check_sql = text(p, "with_check", pw);
      ct.policies.push_back(std::move(cp));
    }
    for (const auto& g : maps(t, "triggers", where)) {
      const std::string gw = "a trigger of " + where;
      ct.triggers.push_back({text(g, "name", gw, true), text(g, "function", gw), text(g, "definition", gw),
                             flag(g, "enabled", gw, true)});
    }
    return ct;
  }

  model::Catalog catalog(const YAML::Node& root, const std::string& name) {
    model::Catalog cat;
    cat.source = name;
    if (YAML::Node v = root["packdbc_snapshot"]; v && !v.IsNull()) {
      int format = 0;
      if (!v.IsScalar() || !YAML::convert<int>::decode(v, format))
        fail(v, "`packdbc_snapshot` must be the format number");
      if (format > kFormat)
        fail(v, fmt::format("format {} is newer than this packdbc reads ({}); update packdbc", format, kFormat));
    }
    const std::string top = "the snapshot";
    cat.server_version = text(root, "server_version", top);
    cat.schemas = strings(root, "schemas", top);
    for (const auto& t : root["tables"]) cat.tables.push_back(table(t));
    for (const auto& e : maps(root, "enums", top)) {
      model::CatalogEnum ce;
      ce.name = text(e, "name", "an enum", true);
      if (std::string s = text(e, "schema", "enum `" + ce.name + "`"); !s.empty()) ce.schema = s;
      ce.values = strings(e, "values", "enum `" + ce.name + "`");
      cat.enums.push_back(std::move(ce));
    }
    for (const auto& v : maps(root, "views", top)) {
      model::CatalogView cv;
      cv.name = text(v, "name", "a view", true);
      const std::string vw = "view `" + cv.name + "`";
      if (std::string s = text(v, "schema", vw); !s.empty()) cv.schema = s;
      cv.materialized = flag(v, "materialized", vw, false);
      cv.security_invoker = flag(v, "security_invoker", vw, false);
      cv.definition = text(v, "definition", vw);
      cat.views.push_back(std::move(cv));
    }
    for (const auto& f : maps(root, "functions", top)) {
      model::CatalogFunction cf;
      cf.name = text(f, "name", "a function", true);
      const std::string fw = "function `" + cf.name + "`";
      if (std::string s = text(f, "schema", fw); !s.empty()) cf.schema = s;
      cf.arguments = text(f, "arguments", fw);
      cf.returns = text(f, "returns", fw);
      cf.language = text(f, "language", fw);
      if (std::string k = text(f, "kind", fw); !k.empty()) cf.kind = k;
      cf.security_definer = flag(f, "security_definer", fw, false);
      if (std::string v = text(f, "volatility", fw); !v.empty()) cf.volatility = v;
      cat.functions.push_back(std::move(cf));
    }
    for (const auto& e : maps(root, "extensions", top)) {
      model::CatalogExtension ce;
      ce.name = text(e, "name", "an extension", true);
      ce.schema = text(e, "schema", "extension `" + ce.name + "`");
      ce.version = text(e, "version", "extension `" + ce.name + "`");
      cat.extensions.push_back(std::move(ce));
    }
    // patterns_found / patterns are for people: the compiler derives them again from the tables.
    return cat;
  }
};

}  // namespace

std::optional<model::Catalog> read_snapshot_text(const std::string& name, const std::string& text, SourceSet& sources,
                                                 Diagnostics& diags) {
  std::uint32_t file = sources.add(name, text);
  auto span_of = [&](const YAML::Mark& m) -> Span {
    if (m.pos < 0) return {file, 0, 0};
    auto pos = static_cast<std::uint32_t>(std::min<std::size_t>(static_cast<std::size_t>(m.pos), text.size()));
    return {file, pos, pos + 1};
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    std::string why = e.msg;  // yaml-cpp may quote the offending byte: keep the message printable
    for (char& c : why)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    diags.error("S0001", span_of(e.mark), fmt::format("the schema snapshot is not valid YAML: {}", why));
    return std::nullopt;
  }
  auto shape = [&](const YAML::Mark& m, const std::string& msg) {
    diags.error("S0002", span_of(m), "the schema snapshot has the wrong shape: " + msg).help =
        "write it with `packdbc inspect --db URL -o FILE` (its shape is in docs/snapshot.md)";
  };
  if (!root.IsMap() || !root["tables"]) {
    shape(root.Mark(), "expected a mapping with a `tables` list");
    return std::nullopt;
  }
  if (!root["tables"].IsSequence() && !root["tables"].IsNull()) {
    shape(root["tables"].Mark(), "`tables` must be a list");
    return std::nullopt;
  }
  try {
    return Reader().catalog(root, name);
  } catch (const ShapeError& e) {
    shape(e.mark, e.message);
  } catch (const YAML::Exception& e) {
    shape(e.mark, e.msg);
  }
  return std::nullopt;
}

std::optional<model::Catalog> read_snapshot(const std::string& path, SourceSet& sources, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error("E0001", {~0u, 0, 0}, fmt::format("cannot read the schema snapshot `{}`", path));
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return read_snapshot_text(path, ss.str(), sources, diags);
}

}  // namespace packdb
