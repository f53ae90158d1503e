#include "compiler/audit/manifest.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace packdb::audit {

const std::vector<std::string>& manifest_names() {
  static const std::vector<std::string> names = {"config.yaml", "config.yml", "expansion.yaml", "expansion.yml",
                                                 "squad.yaml", "squad.yml"};
  return names;
}

namespace {

std::string collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string strip_quotes(std::string v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.pop_back();
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\'')))
    v = v.substr(1, v.size() - 2);
  return v;
}

struct Parsed {
  std::string file;
  std::optional<YAML::Node> root;  // when it parsed as a mapping
  std::string name, version, description;
  bool salvaged = false;
};

std::string scalar(const YAML::Node& map, const char* key) {
  YAML::Node n = map[key];
  if (n && n.IsScalar()) return collapse(n.Scalar());
  return "";
}

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

// The component lists a manifest declares (AIOS `components: {agents: [a.md]}`, or the
// same keys at the top level): `agents` entries live in `agents/`, unless they name a path.
const std::vector<std::string>& component_keys() {
  static const std::vector<std::string> keys = {"agents", "tasks", "templates", "checklists", "workflows", "data",
                                                "utils", "scripts", "tools", "files", "agent-teams"};
  return keys;
}

void declared_files(const Parsed& p, const YAML::Node& map, const Walk& walk, const std::set<std::string>& files,
                    const std::set<std::string>& dirs, std::vector<Evidence>& missing) {
  for (const auto& key : component_keys()) {
    YAML::Node list = map[key];
    if (!list || !list.IsSequence()) continue;
    for (const auto& item : list) {
      if (!item.IsScalar() || item.Scalar().empty()) continue;
      std::string entry = item.Scalar();
      while (entry.rfind("./", 0) == 0) entry = entry.substr(2);
      std::string path = entry.find('/') != std::string::npos ? entry : key + "/" + entry;
      bool found = false;
      if (path.find_first_of("*?[") != std::string::npos) {
        found = std::any_of(walk.files.begin(), walk.files.end(),
                            [&](const FileEntry& f) { return fnmatch(path.c_str(), f.path.c_str(), FNM_PATHNAME) == 0; });
      } else {
        std::string bare = path;
        while (!bare.empty() && bare.back() == '/') bare.pop_back();
        found = files.count(bare) || dirs.count(bare);
        // AIOS lists components by id too: `greeter-agent` for agents/greeter-agent.md.
        for (const char* ext : {".md", ".yaml", ".yml"})
          if (!found && bare.find('.', bare.rfind('/') + 1) == std::string::npos) found = files.count(bare + ext) > 0;
      }
      if (!found) missing.push_back({p.file, line_of(item), fmt::format("declares `{}`, which the folder lacks", path)});
    }
  }
}

bool path_like(const std::string& v) {
  if (v.empty() || v.size() > 200 || v.find("://") != std::string::npos) return false;
  if (v.find_first_of(" \t\n*") != std::string::npos) return false;
  if (v.find('/') != std::string::npos) return true;
  auto dot = v.rfind('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < v.size();
}

bool location_key(const std::string& key) {
  std::string k = lower(key);
  if (k.find("pattern") != std::string::npos || k.find("version") != std::string::npos) return false;
  for (const char* s : {"file", "files", "location", "path", "dir", "directory", "folder", "log"})
    if (ends_with(k, s)) return true;
  return false;
}

void collect_locations(const YAML::Node& map, std::vector<ManifestLocation>& out, int depth) {
  if (depth > 8 || !map.IsMap()) return;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) continue;
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    std::string k = lower(key);
    bool input = k.find("load") != std::string::npos || k.find("input") != std::string::npos ||
                 k.find("source") != std::string::npos || k.find("read") != std::string::npos;
    if (v.IsMap()) {
      collect_locations(v, out, depth + 1);
    } else if (location_key(key) && v.IsScalar() && path_like(v.Scalar())) {
      out.push_back({key, v.Scalar(), line_of(v), input});
    } else if (location_key(key) && v.IsSequence()) {
      for (const auto& item : v)
        if (item.IsScalar() && path_like(item.Scalar())) out.push_back({key, item.Scalar(), line_of(item), input});
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> salvage_top_level(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> lines;
  for (std::size_t b = 0; b <= text.size();) {
    std::size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty() || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '-') continue;
    auto colon = l.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    std::string key = l.substr(0, colon);
    if (key.find_first_of(" \t\"'{}[]") != std::string::npos) continue;
    std::string rest = colon + 1 < l.size() ? l.substr(colon + 1) : "";
    auto hash = rest.find(" #");
    if (hash != std::string::npos) rest = rest.substr(0, hash);
    std::size_t s = rest.find_first_not_of(" \t");
    rest = s == std::string::npos ? "" : rest.substr(s);
    if (!rest.empty() && (rest[0] == '>' || rest[0] == '|')) {
      std::string block;
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        const std::string& m = lines[j];
        if (!m.empty() && m[0] != ' ' && m[0] != '\t') break;
        block += m + "\n";
      }
      rest = collapse(block);
    } else {
      rest = strip_quotes(rest);
    }
    out.push_back({key, rest});
  }
  return out;
}

Manifest read_manifest(const std::vector<std::pair<std::string, std::string>>& contents, const Walk& walk) {
  Manifest m;
  std::set<std::string> files, dirs(walk.dirs.begin(), walk.dirs.end());
  for (const auto& f : walk.files) files.insert(f.path);

  std::vector<Parsed> parsed;
  for (const auto& [file, text] : contents) {
    m.info.found.push_back(file);
    Parsed p;
    p.file = file;
    try {
      YAML::Node root = YAML::Load(text);
      if (root.IsMap()) {
        p.root = root;
        p.name = scalar(root, "name");
        p.version = scalar(root, "version");
        p.description = scalar(root, "description");
      } else {
        m.info.problems.push_back(fmt::format("{}: the manifest is not a mapping of `key: value` pairs", file));
      }
    } catch (const YAML::Exception& e) {
      m.info.problems.push_back(
          fmt::format("{}:{}:{}: invalid YAML: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg));
      p.salvaged = true;
      for (const auto& [k, v] : salvage_top_level(text)) {
        if (k == "name" && p.name.empty()) p.name = v;
        else if (k == "version" && p.version.empty()) p.version = v;
        else if (k == "description" && p.description.empty()) p.description = v;
      }
    }
    parsed.push_back(std::move(p));
  }
  if (parsed.empty()) return m;

  const Parsed& used = parsed.front();
  m.info.used = used.file;
  m.info.name = used.name;
  m.info.version = used.version;
  m.info.description = used.description;
  m.info.salvaged = used.salvaged;
  if (used.salvaged)
    m.info.problems.push_back(fmt::format("{}: read line by line; name, version and description are kept as far as they "
                                          "could be read",
                                          used.file));
  for (const char* field : {"name", "version"})
    if ((std::string(field) == "name" ? used.name : used.version).empty())
      m.info.problems.push_back(fmt::format("{}: no `{}`", used.file, field));

  for (std::size_t i = 1; i < parsed.size(); ++i) {
    const Parsed& o = parsed[i];
    auto differ = [&](const char* field, const std::string& a, const std::string& b) {
      if (!a.empty() && !b.empty() && a != b)
        m.info.problems.push_back(fmt::format("{} and {} disagree on {}: `{}` and `{}`; {} is used", used.file, o.file,
                                              field, a, b, used.file));
    };
    differ("name", used.name, o.name);
    differ("version", used.version, o.version);
    differ("description", used.description, o.description);
  }

  for (const auto& p : parsed) {
    if (!p.root) continue;
    declared_files(p, *p.root, walk, files, dirs, m.info.missing_files);
    if (YAML::Node comp = (*p.root)["components"]; comp && comp.IsMap())
      declared_files(p, comp, walk, files, dirs, m.info.missing_files);
  }
  std::sort(m.info.missing_files.begin(), m.info.missing_files.end());
  m.info.missing_files.erase(std::unique(m.info.missing_files.begin(), m.info.missing_files.end()),
                             m.info.missing_files.end());

  if (used.root) collect_locations(*used.root, m.locations, 0);
  return m;
}

}  // namespace packdb::audit
