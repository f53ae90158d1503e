#include "compiler/front/snapshot.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace packdb {
namespace {

// The byte offset of a YAML node, so shape errors point into the snapshot file.
Span node_span(std::uint32_t file, const YAML::Node& n, const Source& src) {
  YAML::Mark m = n.Mark();
  if (m.pos < 0) return {file, 0, 0};
  auto pos = static_cast<std::uint32_t>(m.pos);
  (void)src;
  return {file, pos, pos + 1};
}

}  // namespace

std::optional<model::Catalog> read_snapshot_text(const std::string& name, const std::string& text, SourceSet& sources,
                                                 Diagnostics& diags) {
  std::uint32_t file = sources.add(name, text);
  const Source& src = sources.get(file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    // yaml-cpp marks are 0-based lines and columns.
    std::uint32_t off = e.mark.pos >= 0 ? static_cast<std::uint32_t>(e.mark.pos) : 0;
    diags.error("S0001", {file, off, off + 1}, fmt::format("the schema snapshot is not valid YAML: {}", e.msg));
    return std::nullopt;
  }
  auto shape = [&](const YAML::Node& n, const std::string& msg) {
    diags.error("S0002", node_span(file, n, src), "the schema snapshot has the wrong shape: " + msg).help =
        "write it with `packdbc inspect --db URL -o FILE` (its shape is in docs/snapshot.md)";
  };
  if (!root.IsMap() || !root["tables"]) {
    shape(root, "expected a mapping with a `tables` list");
    return std::nullopt;
  }
  const YAML::Node tables = root["tables"];
  if (!tables.IsSequence()) {
    shape(tables, "`tables` must be a list");
    return std::nullopt;
  }
  model::Catalog cat;
  cat.source = name;
  try {
    for (const auto& t : tables) {
      if (!t.IsMap() || !t["name"] || !t["name"].IsScalar()) {
        shape(t, "each table needs a `name`");
        return std::nullopt;
      }
      model::CatalogTable ct;
      ct.name = t["name"].as<std::string>();
      if (t["schema"]) ct.schema = t["schema"].as<std::string>();
      if (t["rls"]) ct.rls = t["rls"].as<bool>();
      if (t["columns"]) {
        if (!t["columns"].IsSequence()) {
          shape(t["columns"], fmt::format("`columns` of table `{}` must be a list", ct.name));
          return std::nullopt;
        }
        for (const auto& c : t["columns"]) {
          if (!c.IsMap() || !c["name"] || !c["type"]) {
            shape(c, fmt::format("each column of table `{}` needs a `name` and a `type`", ct.name));
            return std::nullopt;
          }
          model::CatalogColumn cc;
          cc.name = c["name"].as<std::string>();
          cc.type = c["type"].as<std::string>();
          if (c["nullable"]) cc.nullable = c["nullable"].as<bool>();
          if (c["default"] && !c["default"].IsNull()) cc.default_sql = c["default"].as<std::string>();
          if (c["identity"]) cc.identity = c["identity"].as<std::string>() != "" && c["identity"].as<std::string>() != "false";
          ct.columns.push_back(std::move(cc));
        }
      }
      cat.tables.push_back(std::move(ct));
    }
  } catch (const YAML::Exception& e) {
    shape(YAML::Node(), e.msg);
    return std::nullopt;
  }
  return cat;
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
