#include "compiler/audit/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "compiler/audit/detect.hpp"
#include "compiler/audit/manifest.hpp"
#include "compiler/audit/walk.hpp"

namespace packdb::audit {
namespace fs = std::filesystem;

std::string Evidence::text() const {
  if (line > 0) return fmt::format("{}:{}: {}", file, line, what);
  return fmt::format("{}: {}", file, what);
}

std::string snake_name(const std::string& text) {
  std::string out;
  char prev = 0;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isupper(u) && prev && (std::islower(static_cast<unsigned char>(prev)) || std::isdigit(static_cast<unsigned char>(prev))))
      out.push_back('_');
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
    else if (!out.empty() && out.back() != '_') out.push_back('_');
    prev = c;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  std::size_t b = 0;
  while (b < out.size() && (out[b] == '_' || std::isdigit(static_cast<unsigned char>(out[b])))) ++b;
  out = out.substr(b);
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string pack_spec_name(const std::string& text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
    else if (c == '_' || c == '-') out.push_back(c);
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  std::size_t b = 0;
  while (b < out.size() && !std::isalpha(static_cast<unsigned char>(out[b]))) ++b;
  out = out.substr(b);
  if (out.size() > 40) out.resize(40);
  while (!out.empty() && (out.back() == '-' || out.back() == '_')) out.pop_back();
  return out.empty() ? "pack" : out;
}

std::string singular(const std::string& w) {
  auto ends = [&](const char* s) {
    std::size_t n = std::char_traits<char>::length(s);
    return w.size() > n && w.compare(w.size() - n, n, s) == 0;
  };
  if (ends("ies")) return w.substr(0, w.size() - 3) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes")) return w.substr(0, w.size() - 2);
  if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) return w.substr(0, w.size() - 1);
  return w;
}

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string first_segment(const std::string& p) { return p.substr(0, p.find('/')); }

std::string base_of(const std::string& p) {
  std::string q = p;
  while (!q.empty() && q.back() == '/') q.pop_back();
  auto s = q.rfind('/');
  return s == std::string::npos ? q : q.substr(s + 1);
}

std::string dir_of(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? "" : p.substr(0, s + 1);
}

std::string ext_of(const std::string& p) {
  std::string b = base_of(p);
  auto d = b.rfind('.');
  if (d == std::string::npos || d == 0) return "";
  return lower(b.substr(d + 1));
}

std::string stem_of(const std::string& p) {
  std::string b = base_of(p);
  auto d = b.find('.', 1);
  return d == std::string::npos ? b : b.substr(0, d);
}

std::string format_of_ext(const std::string& e) {
  static const std::map<std::string, std::string> m = {
      {"md", "markdown"}, {"markdown", "markdown"}, {"mdx", "markdown"}, {"yaml", "yaml"},   {"yml", "yaml"},
      {"json", "json"},   {"jsonl", "jsonl"},       {"ndjson", "jsonl"}, {"csv", "csv"},     {"tsv", "tsv"},
      {"txt", "text"},    {"log", "text"},          {"sql", "sql"},      {"html", "html"},   {"htm", "html"},
      {"xml", "xml"},     {"pdf", "pdf"},           {"toml", "toml"},    {"env", "env"},     {"py", "python"},
      {"js", "javascript"}, {"mjs", "javascript"}, {"ts", "typescript"}, {"sh", "shell"},   {"png", "image"},
      {"jpg", "image"},   {"jpeg", "image"},        {"gif", "image"},    {"webp", "image"},  {"svg", "svg"},
      {"mp3", "audio"},   {"wav", "audio"},         {"mp4", "video"},    {"db", "sqlite"},   {"sqlite", "sqlite"},
      {"sqlite3", "sqlite"}, {"parquet", "parquet"}, {"pkl", "pickle"}, {"npy", "binary"},  {"bin", "binary"},
      {"docx", "docx"},   {"xlsx", "xlsx"}};
  auto it = m.find(e);
  return it == m.end() ? "" : it->second;
}

bool has_placeholder(const std::string& s) { return s.find('{') != std::string::npos; }

const std::set<std::string>& input_roots() {
  static const std::set<std::string> s = {"sources", "inputs", "input", "uploads", "data", "datasets"};
  return s;
}
const std::set<std::string>& output_roots() {
  static const std::set<std::string> s = {"outputs", "output", "generated", "artifacts", "exports"};
  return s;
}
const std::set<std::string>& state_roots() {
  static const std::set<std::string> s = {".state", "state", ".cache", "cache", "db", "checkpoints", ".checkpoints",
                                          ".metadata", "metadata"};
  return s;
}
// Code, not data: its files are scanned for touchpoints but are not flows themselves.
const std::set<std::string>& code_folders() {
  static const std::set<std::string> s = {"scripts", "src", "lib", "bin", "tests", "test", "tools", "api", "app",
                                          "pages", "functions", "supabase", "migrations", "server", "cli", "hooks"};
  return s;
}
const std::set<std::string>& config_folders() {
  static const std::set<std::string> s = {"config", "configs", "settings"};
  return s;
}
bool tooling_file(const std::string& base) {
  static const std::set<std::string> s = {"package.json", "package-lock.json", "jsconfig.json", "deno.json",
                                          "deno.jsonc", "vercel.json", "turbo.json", "composer.json", ".prettierrc.json",
                                          ".eslintrc.json", "biome.json", "pnpm-lock.yaml", "pnpm-workspace.yaml",
                                          ".pre-commit-config.yaml", "docker-compose.yml", "docker-compose.yaml"};
  return s.count(base) || base.rfind("tsconfig", 0) == 0;
}

bool env_file(const std::string& base) { return base == ".env" || base.rfind(".env.", 0) == 0 || ext_of(base) == "env"; }

// Is this path where the pack keeps state between runs?
bool state_path(const std::string& p) {
  std::string first = first_segment(p);
  if (p.find('/') != std::string::npos && state_roots().count(first)) return true;
  if (p.find('/') == std::string::npos && state_roots().count(base_of(p)) && p.back() == '/') return true;
  std::string b = lower(base_of(p));
  std::string e = ext_of(p);
  if (b == "state.json" || b == "state.yaml" || b == "state.yml" || b == "progress.json" || b == "status.json") return true;
  for (const char* s : {".state.json", "-state.json", "_state.json", ".meta.json", "_metadata.json", "-metadata.json",
                        ".checkpoint", ".ckpt"})
    if (b.size() > std::char_traits<char>::length(s) && b.compare(b.size() - std::char_traits<char>::length(s),
                                                                   std::char_traits<char>::length(s), s) == 0)
      return true;
  if (b.rfind("checkpoint", 0) == 0 || b == "metadata.json" || b == "metadata.yaml" || b == "metadata.yml") return true;
  if (e == "db" || e == "sqlite" || e == "sqlite3") return true;
  return false;
}

std::string state_name_of(const std::string& p) {
  std::string s = snake_name(stem_of(p));
  if (s.empty()) s = snake_name(base_of(p));
  return s.empty() ? "state" : s;
}

// Where a path's data lives: a file, or the folder of files named from a template.
std::string location_of(const std::string& p, bool folder) {
  if (folder) return p.back() == '/' ? p : p + "/";
  std::string b = base_of(p);
  if ((has_placeholder(b) || b.find('*') != std::string::npos) && !dir_of(p).empty()) return dir_of(p);
  return p;
}

struct Stats {
  std::size_t files = 0;
  std::map<std::string, std::size_t> formats;
};

std::string dominant(const Stats& s) {
  // The most common format; on a tie, a document format before images, media and the rest.
  auto rank = [](const std::string& f) {
    return f == "other" || f == "binary" || f == "image" || f == "audio" || f == "video" ? 1 : 0;
  };
  std::string best;
  std::size_t n = 0;
  for (const auto& [f, c] : s.formats)
    if (c > n || (c == n && rank(f) < rank(best))) {
      best = f;
      n = c;
    }
  return best.empty() ? "unknown" : best;
}

std::string volume_of(const Stats& s) {
  std::string v = fmt::format("{} file{}", s.files, s.files == 1 ? "" : "s");
  if (s.formats.size() > 1) {
    std::vector<std::pair<std::size_t, std::string>> parts;
    for (const auto& [f, c] : s.formats) parts.push_back({c, f});
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<std::string> words;
    for (const auto& [c, f] : parts) words.push_back(fmt::format("{} {}", c, f));
    v += " (" + fmt::format("{}", fmt::join(words, ", ")) + ")";
  }
  return v;
}

struct Builder {

  std::map<std::string, Flow> inputs, outputs;  // by location
  std::map<std::string, StateItem> state;       // by name
  std::map<std::string, DatabaseAccess> dbs;    // by kind
  std::map<std::string, EnvVar> env;
  std::map<std::tuple<std::string, std::string, std::string>, Endpoint> endpoints;
  std::map<std::string, std::set<std::string>> status_values;  // key → values
  std::map<std::string, EvidenceSet> status_evidence;

  Flow& flow(std::map<std::string, Flow>& m, const std::string& loc, const std::string& origin) {
    auto [it, added] = m.try_emplace(loc);
    if (added) {
      it->second.location = loc;
      it->second.origin = origin;
    }
    return it->second;
  }

  StateItem& state_item(const std::string& name, const std::string& location) {
    auto [it, added] = state.try_emplace(name);
    if (added) {
      it->second.name = name;
      it->second.location = location;
    } else if (it->second.location.empty()) {
      it->second.location = location;
    }
    return it->second;
  }

  void path_use(const PathUse& u) {
    std::string p = u.path;
    // Scratch space and the user's home (install steps: `cp -r pack ~/…`) are no data of the pack.
    if (p.rfind("/tmp", 0) == 0 || p.rfind("/dev", 0) == 0 || p.rfind("/proc", 0) == 0 || p.rfind("~", 0) == 0 ||
        p.rfind("{home}", 0) == 0)
      return;
    std::string loc = location_of(p, u.folder);
    bool document = u.ev.what == "named in a document";
    if (state_path(p) || state_path(loc)) {
      // Attach to the items kept in that file or folder; else one item for the place.
      bool attached = false;
      for (auto& [n, s] : state)
        if (s.location == loc || s.location == p) {
          s.evidence.insert(u.ev);
          attached = true;
        }
      if (!attached) {
        std::string name = state_name_of(u.folder ? loc : p);
        state_item(name, loc).evidence.insert(u.ev);
      }
      return;
    }
    Access a = u.access;
    std::string first = first_segment(p);
    if (document || p.find('/') != std::string::npos) {
      if (input_roots().count(first)) a = document ? Access::read : a;
      if (output_roots().count(first)) a = Access::write;
    }
    std::string format = u.format;
    if (format.empty() && !u.folder) format = format_of_ext(ext_of(p));
    Flow& f = flow(a == Access::write ? outputs : inputs, loc, document ? "document" : "script");
    if (f.format.empty() || f.format == "unknown") f.format = format;
    f.evidence.insert(u.ev);
  }
};

// Flows of the structure: top-level folders of the pack.
void structure(Builder& b, const std::vector<FileEntry>& files, const std::set<std::string>& manifests) {
  std::map<std::string, Stats> groups;  // location → stats
  std::map<std::string, std::string> kind;  // location → input/output
  for (const auto& f : files) {
    std::string first = first_segment(f.path);
    if (f.path.find('/') == std::string::npos) continue;  // loose files at the root: handled one by one
    if (first.empty() || code_folders().count(first) || config_folders().count(first)) continue;
    if (state_roots().count(first) || state_path(f.path)) continue;
    if (first[0] == '.') continue;
    std::string loc;
    std::string k;
    std::string rest = f.path.substr(first.size() + 1);
    if (input_roots().count(first) || output_roots().count(first)) {
      auto s = rest.find('/');
      loc = s == std::string::npos ? first + "/" : first + "/" + rest.substr(0, s) + "/";
      k = input_roots().count(first) ? "input" : "output";
    } else {
      loc = first + "/";
      k = "input";
    }
    std::string base = base_of(f.path);
    if (base == ".gitkeep" || base == ".keep" || base == ".gitignore" || base == ".DS_Store") {
      groups[loc];  // the folder exists, empty of data
      kind[loc] = k;
      continue;
    }
    auto& st = groups[loc];
    ++st.files;
    std::string fm = format_of_ext(ext_of(f.path));
    ++st.formats[fm.empty() ? "other" : fm];
    kind[loc] = k;
  }
  (void)manifests;
  for (const auto& [loc, st] : groups) {
    Flow& f = b.flow(kind[loc] == "input" ? b.inputs : b.outputs, loc, "folder");
    f.format = dominant(st);
    f.volume = st.files == 0 ? "empty in the pack" : volume_of(st);
    f.evidence.insert({loc, 0, st.files == 0 ? "folder in the pack, empty" : fmt::format("folder in the pack, {}", f.volume)});
  }
}

void add_relationships(Builder& b, std::vector<Relationship>& out) {
  std::map<std::string, Relationship> rels;        // "One mind → many kb"
  std::map<std::string, std::string> where;         // … its shortest location
  auto visit = [&](const std::string& loc, const EvidenceSet& ev) {
    std::vector<std::string> segs;
    for (std::size_t s = 0; s <= loc.size();) {
      std::size_t e = loc.find('/', s);
      if (e == std::string::npos) e = loc.size();
      if (e > s) segs.push_back(loc.substr(s, e - s));
      s = e + 1;
    }
    std::vector<std::pair<std::size_t, std::string>> entities;  // segment index, entity name
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const std::string& s = segs[i];
      if (s.size() < 3 || s.front() != '{' || s.back() != '}' || s.find('{', 1) != std::string::npos) continue;
      std::string x = s.substr(1, s.size() - 2);
      std::string name;
      static const std::set<std::string> generic = {"slug", "id", "name", "key", "uuid", "x", "value"};
      if (generic.count(x) && i > 0 && !has_placeholder(segs[i - 1])) name = singular(snake_name(segs[i - 1]));
      else {
        name = x;
        for (const char* suf : {"_name", "_id", "_slug", "_key", "_num", "_number"}) {
          std::size_t n = std::char_traits<char>::length(suf);
          if (name.size() > n && name.compare(name.size() - n, n, suf) == 0) {
            name = name.substr(0, name.size() - n);
            break;
          }
        }
      }
      if (!name.empty()) entities.push_back({i, name});
    }
    if (entities.empty()) return;
    auto add = [&](const std::string& text) {
      auto& r = rels[text];
      r.text = text;
      auto w = where.find(text);
      if (w == where.end() || loc.size() < w->second.size() || (loc.size() == w->second.size() && loc < w->second))
        where[text] = loc;
      std::size_t n = 0;
      for (const auto& e : ev)
        if (n++ < 3) r.evidence.insert(e);
    };
    for (std::size_t k = 0; k + 1 < entities.size(); ++k)
      add(fmt::format("One {} → many {}", entities[k].second, entities[k + 1].second));
    auto [idx, ent] = entities.back();
    if (idx + 1 < segs.size()) {
      std::string child = segs[idx + 1];
      std::string cleaned;
      for (std::size_t i = 0; i < child.size(); ++i) {
        if (child[i] == '{') {
          i = child.find('}', i);
          if (i == std::string::npos) break;
          continue;
        }
        cleaned.push_back(child[i]);
      }
      std::string name = snake_name(stem_of(cleaned));
      if (name.empty() && idx > 0) name = snake_name(segs[idx - 1]);
      if (name.empty()) name = "files";
      add(fmt::format("One {} → many {}", ent, name));
    }
  };
  for (const auto* m : {&b.inputs, &b.outputs})
    for (const auto& [loc, f] : *m) visit(loc, f.evidence);
  for (const auto& [n, s] : b.state)
    if (!s.location.empty()) visit(s.location, s.evidence);
  for (auto& [t, r] : rels) {
    r.text = fmt::format("{} ({})", t, where[t]);
    out.push_back(r);
  }
}

// Each flow and state item gets a unique lower snake case name.
void name_everything(AuditResult& r) {
  std::set<std::string> used;
  auto unique = [&](std::string n) {
    if (n.empty()) n = "data";
    static const std::set<std::string> reserved = {"input", "output", "state", "table", "pack", "need", "import",
                                                   "enum", "view", "query", "search", "seed", "files", "keep", "in",
                                                   "at", "into", "persist", "volume", "fields", "description", "and",
                                                   "or", "not", "is", "null", "true", "false", "me", "profile"};
    if (reserved.count(n)) n += "_data";
    std::string c = n;
    for (int i = 2; used.count(c); ++i) c = fmt::format("{}_{}", n, i);
    used.insert(c);
    return c;
  };
  // State names come first: they are keys the pack itself chose.
  for (auto& s : r.state) s.name = unique(s.name);
  for (auto* list : {&r.inputs, &r.outputs})
    for (auto& f : *list) f.type = unique(f.type);
}

std::string flow_type(const Flow& f) {
  if (!f.type.empty()) return snake_name(f.type);
  std::string loc = f.location;
  std::vector<std::string> segs;
  for (std::size_t s = 0; s <= loc.size();) {
    std::size_t e = loc.find('/', s);
    if (e == std::string::npos) e = loc.size();
    if (e > s) segs.push_back(loc.substr(s, e - s));
    s = e + 1;
  }
  for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
    if (has_placeholder(*it) && it->front() == '{' && it->back() == '}') continue;
    std::string n = snake_name(stem_of(*it));
    if (!n.empty()) return n;
  }
  return "data";
}

}  // namespace

AuditResult run_audit(const std::string& pack_dir, const AuditOptions& opts) {
  AuditResult r;
  r.root = pack_dir;
  std::error_code ec;
  if (!fs::exists(pack_dir, ec)) {
    r.ok = false;
    r.error = fmt::format("`{}` does not exist", pack_dir);
    return r;
  }
  if (!fs::is_directory(pack_dir, ec)) {
    r.ok = false;
    r.error = fmt::format("`{}` is not a folder", pack_dir);
    return r;
  }

  auto start = std::chrono::steady_clock::now();
  auto last = start;
  Walk walk = walk_pack(pack_dir, opts.progress, opts.progress_after_ms, opts.exclude);
  const auto every = std::chrono::milliseconds(opts.progress_after_ms);
  r.files = walk.files.size();
  r.folders = walk.dirs.size();
  r.skipped = walk.skipped;

  // ---- step 1: the manifest
  std::vector<std::pair<std::string, std::string>> manifest_texts;
  std::set<std::string> manifest_set;
  for (const auto& name : manifest_names()) {
    bool present = std::any_of(walk.files.begin(), walk.files.end(), [&](const FileEntry& f) { return f.path == name; });
    if (!present) continue;
    std::string why;
    auto text = read_text_file(fs::path(pack_dir) / name, opts.max_file_size, why);
    if (!text) {
      r.warnings.push_back(fmt::format("{}: the manifest cannot be read ({})", name, why));
      continue;
    }
    manifest_texts.push_back({name, *text});
    manifest_set.insert(name);
  }
  Manifest manifest = read_manifest(manifest_texts, walk);
  r.manifest = manifest.info;
  std::string folder_name = fs::path(pack_dir).lexically_normal().filename().string();
  if (folder_name.empty() || folder_name == ".")
    folder_name = fs::absolute(pack_dir, ec).lexically_normal().parent_path().filename().string();
  if (r.manifest.used.empty())
    r.warnings.push_back(fmt::format("no manifest (config.yaml, expansion.yaml or squad.yaml): the pack is named `{}` "
                                     "after its folder",
                                     pack_spec_name(folder_name)));
  for (const auto& p : r.manifest.problems) r.warnings.push_back(p);
  for (const auto& m : r.manifest.missing_files) r.warnings.push_back(m.text());
  r.pack_name = pack_spec_name(r.manifest.name.empty() ? folder_name : r.manifest.name);

  // ---- step 2: every file worth reading, through the detectors
  Builder b;
  structure(b, walk.files, manifest_set);
  std::vector<std::pair<std::string, FileFacts>> facts;
  std::size_t n = 0;
  for (const auto& f : walk.files) {
    if (opts.progress && (++n & 63) == 0) {
      auto now = std::chrono::steady_clock::now();
      if (now - start >= every && now - last >= every) {
        last = now;
        opts.progress(fmt::format("reading files: {} of {}", n, walk.files.size()));
      }
    }
    std::string base = base_of(f.path);
    if (state_path(f.path) && (ext_of(f.path) == "db" || ext_of(f.path) == "sqlite" || ext_of(f.path) == "sqlite3")) {
      b.dbs["sqlite"].kind = "sqlite";
      b.dbs["sqlite"].operations.insert("file");
      b.dbs["sqlite"].evidence.insert({f.path, 0, "a SQLite database file in the pack"});
      b.state_item(state_name_of(f.path), f.path).evidence.insert({f.path, 0, "a SQLite database file in the pack"});
      continue;
    }
    if (!worth_reading(f.path)) {
      r.skipped.push_back({f.path, "binary file (by its extension), not read"});
      continue;
    }
    std::string why;
    auto text = read_text_file(fs::path(pack_dir) / f.path, opts.max_file_size, why);
    if (!text) {
      r.skipped.push_back({f.path, why});
      continue;
    }
    r.bytes_read += text->size();
    std::string first_line = text->substr(0, text->find('\n'));
    FileKind kind = file_kind(f.path, first_line);
    if (kind == FileKind::text || kind == FileKind::other) continue;
    facts.push_back({f.path, scan_file(f.path, *text, kind)});
    (void)base;
  }

  // ---- classification
  // State files first, so that script uses of the same path attach to their items.
  for (const auto& [path, ff] : facts) {
    if (!state_path(path)) continue;
    if (ff.keys.empty()) {
      b.state_item(state_name_of(path), path).evidence.insert({path, 0, "state file in the pack"});
      continue;
    }
    for (const auto& k : ff.keys) {
      std::string name = snake_name(k.key);
      if (name.empty()) continue;
      auto& s = b.state_item(name, path);
      s.evidence.insert({path, k.line, fmt::format("key `{}` of a state file", k.key)});
    }
    for (const auto& [k, v] : ff.scalar_keys) {
      std::string key = snake_name(k);
      std::string val = lower(v);
      bool status = key == "status" || key == "state" || key == "phase" || key == "stage" ||
                    (key.size() > 7 && key.compare(key.size() - 7, 7, "_status") == 0);
      if (status && !val.empty() && snake_name(val) == val) b.status_values[key].insert(val);
    }
  }
  // State folders that hold no readable state file still are state.
  for (const auto& d : walk.dirs)
    if (d.find('/') == std::string::npos && state_roots().count(d)) {
      std::string loc = d + "/";
      bool has = std::any_of(b.state.begin(), b.state.end(),
                             [&](const auto& kv) { return kv.second.location.rfind(loc, 0) == 0; });
      if (!has) b.state_item(state_name_of(d), loc).evidence.insert({loc, 0, "state folder in the pack"});
    }

  for (const auto& [path, ff] : facts) {
    std::string base = base_of(path);
    std::string first = first_segment(path);
    bool loose = path.find('/') == std::string::npos;
    // Configuration and environment files
    if (env_file(base)) {
      Flow& f = b.flow(b.inputs, path, "env");
      f.type = "environment";
      f.format = "env";
      for (const auto& [name, ev] : ff.env) f.fields.push_back(name);
      f.evidence.insert({path, 0, "environment file (variable names only, values not read)"});
    } else if ((ext_of(path) == "yaml" || ext_of(path) == "yml" || ext_of(path) == "json") && !manifest_set.count(path) &&
               !tooling_file(base) && !state_path(path) && (loose || config_folders().count(first))) {
      Flow& f = b.flow(b.inputs, path, "config");
      f.type = snake_name(stem_of(path));
      if (f.type.find("config") == std::string::npos && f.type.find("settings") == std::string::npos)
        f.type = "configuration_" + f.type;
      f.format = format_of_ext(ext_of(path));
      for (const auto& k : ff.keys) f.fields.push_back(k.key);
      f.evidence.insert({path, 0, ff.yaml_error.empty() ? "configuration file" : "configuration file, " + ff.yaml_error});
    }
    if (!ff.yaml_error.empty() && !manifest_set.count(path))
      r.warnings.push_back(fmt::format("{}:{}; its keys were not read", path, ff.yaml_error));
    // BMad templates: the document each one writes
    if (!ff.template_output.empty()) {
      Flow& f = b.flow(b.outputs, ff.template_output, "template");
      std::string t = stem_of(path);
      for (const char* suf : {"-tmpl", "_tmpl", "-template", "_template"}) {
        std::size_t n2 = std::char_traits<char>::length(suf);
        if (t.size() > n2 && t.compare(t.size() - n2, n2, suf) == 0) t = t.substr(0, t.size() - n2);
      }
      if (f.type.empty()) f.type = snake_name(t);
      std::string fm = ff.template_format.empty() ? format_of_ext(ext_of(ff.template_output)) : lower(ff.template_format);
      if (fm == "md") fm = "markdown";
      if (f.format.empty()) f.format = snake_name(fm).empty() ? "unknown" : snake_name(fm);
      f.evidence.insert({path, ff.template_line, "template output"});
    }
    for (const auto& u : ff.paths) b.path_use(u);
    for (const auto& s : ff.statuses) {
      b.status_values[snake_name(s.key)].insert(snake_name(s.value));
      b.status_evidence[snake_name(s.key)].insert(s.ev);
    }
    for (const auto& d : ff.db) {
      auto& a = b.dbs[d.kind];
      a.kind = d.kind;
      if (!d.table.empty()) a.tables.insert(d.table);
      if (!d.operation.empty()) a.operations.insert(d.operation);
      a.evidence.insert(d.ev);
    }
    for (const auto& [name, ev] : ff.env) {
      auto& e = b.env[name];
      e.name = name;
      e.database = database_env_name(name);
      e.evidence.insert(ev);
    }
    for (const auto& [ep, ev] : ff.endpoints) {
      auto& e = b.endpoints[{ep.direction, ep.method, ep.target}];
      e.direction = ep.direction;
      e.method = ep.method;
      e.target = ep.target;
      e.evidence.insert(ev);
    }
  }
  // Status values: one state item per status-like key.
  for (const auto& [key, values] : b.status_values) {
    if (key.empty()) continue;
    auto& s = b.state_item(key == "status" || key == "state" ? "processing_status" : key, "");
    if (key == "status" || key == "state") {
      // a state file's own `status` key is the same item
      if (auto it = b.state.find(key); it != b.state.end() && it->first != "processing_status") {
        s.location = it->second.location;
        s.evidence.insert(it->second.evidence.begin(), it->second.evidence.end());
        b.state.erase(it);
      }
    }
    std::set<std::string> all(s.values.begin(), s.values.end());
    for (const auto& v : values)
      if (!v.empty()) all.insert(v);
    s.values.assign(all.begin(), all.end());
    auto& ev = b.status_evidence[key];
    s.evidence.insert(ev.begin(), ev.end());
  }

  // Manifest locations: where the pack keeps its documents in a project.
  for (const auto& l : manifest.locations) {
    std::string p = clean_path(l.path);
    bool folder = ext_of(p).empty() || p.back() == '/';
    std::string loc = folder ? (p.back() == '/' ? p : p + "/") : p;
    if (state_path(p)) {
      b.state_item(state_name_of(p), loc).evidence.insert({r.manifest.used, l.line, fmt::format("`{}`", l.key)});
      continue;
    }
    Flow& f = b.flow(l.input ? b.inputs : b.outputs, loc, "manifest");
    if (f.type.empty()) {
      std::string t = l.key;
      for (const char* suf : {"Location", "File", "Files", "Path", "Dir", "Directory", "Folder"}) {
        std::size_t n2 = std::char_traits<char>::length(suf);
        if (t.size() > n2 && t.compare(t.size() - n2, n2, suf) == 0) {
          t = t.substr(0, t.size() - n2);
          break;
        }
      }
      f.type = snake_name(t);
    }
    if (f.format.empty()) f.format = format_of_ext(ext_of(p));
    f.evidence.insert({r.manifest.used, l.line, fmt::format("`{}` in the manifest", l.key)});
  }

  // Inputs named inside a folder the pack ships belong to that folder's input.
  for (auto it = b.inputs.begin(); it != b.inputs.end();) {
    const Flow& f = it->second;
    bool merged = false;
    if (f.origin == "script" || f.origin == "document")
      for (auto& [loc, g] : b.inputs)
        if (g.origin == "folder" && loc != f.location && f.location.rfind(loc, 0) == 0) {
          g.evidence.insert(f.evidence.begin(), f.evidence.end());
          merged = true;
          break;
        }
    it = merged ? b.inputs.erase(it) : std::next(it);
  }
  // A place the pack both reads and writes is an output (the pack produces it).
  for (auto it = b.inputs.begin(); it != b.inputs.end();) {
    auto o = b.outputs.find(it->first);
    if (o != b.outputs.end() && it->second.origin != "folder" && it->second.origin != "config" &&
        it->second.origin != "env") {
      o->second.evidence.insert(it->second.evidence.begin(), it->second.evidence.end());
      it = b.inputs.erase(it);
    } else {
      ++it;
    }
  }
  // An output folder of the pack that scripts write into in detail gives way to the details.
  for (auto it = b.outputs.begin(); it != b.outputs.end();) {
    bool covered = false;
    if (it->second.origin == "folder")
      for (const auto& [loc, g] : b.outputs)
        if (g.origin != "folder" && loc != it->first && loc.rfind(it->first, 0) == 0) covered = true;
    it = covered ? b.outputs.erase(it) : std::next(it);
  }
  // What the pack reads from a folder it writes is part of that output.
  for (auto it = b.inputs.begin(); it != b.inputs.end();) {
    const Flow& f = it->second;
    Flow* parent = nullptr;
    if (f.origin == "script" || f.origin == "document" || f.origin == "manifest")
      for (auto& [loc, g] : b.outputs)
        if (loc.back() == '/' && f.location.rfind(loc, 0) == 0 && (!parent || loc.size() > parent->location.size()))
          parent = &g;
    if (!parent) {
      ++it;
      continue;
    }
    parent->evidence.insert(f.evidence.begin(), f.evidence.end());
    if (parent->format.empty() || parent->format == "unknown") parent->format = f.format;
    it = b.inputs.erase(it);
  }
  // A file written or read inside a folder that is a flow of its own belongs to that flow.
  for (auto* m : {&b.inputs, &b.outputs})
    for (auto it = m->begin(); it != m->end();) {
      const Flow& f = it->second;
      Flow* parent = nullptr;
      if ((f.origin == "script" || f.origin == "document") && f.location.back() != '/')
        for (auto& [loc, g] : *m)
          if (loc != f.location && loc.back() == '/' && g.origin != "env" && g.origin != "config" &&
              f.location.rfind(loc, 0) == 0 && (!parent || loc.size() > parent->location.size()))
            parent = &g;
      if (!parent) {
        ++it;
        continue;
      }
      parent->evidence.insert(f.evidence.begin(), f.evidence.end());
      if (parent->format.empty() || parent->format == "unknown") parent->format = f.format;
      it = m->erase(it);
    }
  // Three or more files written (or read) side by side are one flow: their folder.
  for (auto* m : {&b.inputs, &b.outputs}) {
    std::map<std::string, std::vector<std::string>> by_dir;
    for (const auto& [loc, f] : *m)
      if ((f.origin == "script" || f.origin == "document") && loc.back() != '/' && !dir_of(loc).empty())
        by_dir[dir_of(loc)].push_back(loc);
    for (const auto& [dir, locs] : by_dir) {
      if (locs.size() < 3) continue;
      std::map<std::string, std::size_t> formats;
      EvidenceSet ev;
      std::string origin = (*m)[locs.front()].origin;
      for (const auto& l : locs) {
        const Flow& f = (*m)[l];
        ++formats[f.format.empty() ? "unknown" : f.format];
        ev.insert(f.evidence.begin(), f.evidence.end());
        m->erase(l);
      }
      Flow& d = b.flow(*m, dir, origin);
      d.evidence.insert(ev.begin(), ev.end());
      if (d.format.empty() || d.format == "unknown") {
        std::size_t c = 0;
        for (const auto& [fm, k] : formats)
          if (k > c) {
            d.format = fm;
            c = k;
          }
      }
    }
  }
  // Formats still unknown: those of what lies inside.
  for (auto* m : {&b.inputs, &b.outputs})
    for (auto& [loc, f] : *m) {
      if (!f.format.empty() && f.format != "unknown") continue;
      std::map<std::string, std::size_t> inner;
      for (const auto& [l2, g] : *m)
        if (l2 != loc && l2.rfind(loc, 0) == 0 && !g.format.empty() && g.format != "unknown") ++inner[g.format];
      std::string best = "unknown";
      std::size_t c = 0;
      for (const auto& [fm, k] : inner)
        if (k > c) {
          best = fm;
          c = k;
        }
      f.format = best;
    }

  add_relationships(b, r.relationships);
  for (auto& [loc, f] : b.inputs) {
    f.type = flow_type(f);
    r.inputs.push_back(f);
  }
  for (auto& [loc, f] : b.outputs) {
    f.type = flow_type(f);
    r.outputs.push_back(f);
  }
  for (auto& [n2, s] : b.state) r.state.push_back(s);
  for (auto& [k, d] : b.dbs) r.databases.push_back(d);
  for (auto& [k, e] : b.env) r.env.push_back(e);
  for (auto& [k, e] : b.endpoints) r.endpoints.push_back(e);
  for (auto& f : r.inputs) {
    std::sort(f.fields.begin(), f.fields.end());
    f.fields.erase(std::unique(f.fields.begin(), f.fields.end()), f.fields.end());
  }
  name_everything(r);
  std::sort(r.skipped.begin(), r.skipped.end());
  r.skipped.erase(std::unique(r.skipped.begin(), r.skipped.end(),
                              [](const Skipped& a, const Skipped& c) { return a.path == c.path && a.reason == c.reason; }),
                  r.skipped.end());
  return r;
}

}  // namespace packdb::audit
