#include "compiler/audit/detect.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <set>

namespace packdb::audit {

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string ext_of(const std::string& path) {
  auto slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  auto dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  return lower(base.substr(dot + 1));
}

std::string base_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool contains(std::string_view s, std::string_view t) { return s.find(t) != std::string_view::npos; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Drops credentials, query and fragment: an endpoint is named, a secret never copied.
std::string redact_url(std::string u) {
  auto cut = u.find_first_of("?#");
  if (cut != std::string::npos) u = u.substr(0, cut);
  auto scheme = u.find("://");
  if (scheme != std::string::npos) {
    auto host_start = scheme + 3;
    auto path = u.find('/', host_start);
    auto at = u.rfind('@', path == std::string::npos ? u.size() : path);
    if (at != std::string::npos && at >= host_start) u.erase(host_start, at + 1 - host_start);
  }
  while (!u.empty() && (u.back() == '.' || u.back() == ',' || u.back() == ')')) u.pop_back();
  return u;
}

bool is_url(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 ||
         (s.size() > 3 && s[0] == '{' && s.find("}/") != std::string::npos && s.find(' ') == std::string::npos);
}

const std::set<std::string>& status_keys() {
  static const std::set<std::string> k = {"status", "state", "phase", "stage", "step", "processing_status",
                                          "job_status", "run_status", "task_status", "pipeline_status"};
  return k;
}
bool status_key(const std::string& k) {
  return status_keys().count(k) || (k.size() > 7 && k.compare(k.size() - 7, 7, "_status") == 0);
}

const char* db_library(const std::string& name) {
  static const std::vector<std::pair<const char*, const char*>> libs = {
      {"@supabase/supabase-js", "supabase"}, {"@supabase/ssr", "supabase"}, {"supabase", "supabase"},
      {"supabase-py", "supabase"},           {"pg", "postgres"},            {"postgres", "postgres"},
      {"pg-promise", "postgres"},            {"@neondatabase/serverless", "postgres"},
      {"psycopg2", "postgres"},              {"psycopg2-binary", "postgres"}, {"psycopg", "postgres"},
      {"psycopg-binary", "postgres"},        {"asyncpg", "postgres"},       {"sqlalchemy", "orm"},
      {"sqlmodel", "orm"},                   {"peewee", "orm"},             {"knex", "orm"},
      {"prisma", "orm"},                     {"@prisma/client", "orm"},     {"drizzle-orm", "orm"},
      {"sequelize", "orm"},                  {"typeorm", "orm"},            {"kysely", "orm"},
      {"sqlite3", "sqlite"},                 {"better-sqlite3", "sqlite"},  {"aiosqlite", "sqlite"},
      {"mysql", "mysql"},                    {"mysql2", "mysql"},           {"pymysql", "mysql"},
      {"mongodb", "mongodb"},                {"mongoose", "mongodb"},       {"pymongo", "mongodb"},
      {"motor", "mongodb"}};
  std::string n = lower(name);
  for (const auto& [lib, kind] : libs)
    if (n == lib) return kind;
  return nullptr;
}

const std::set<std::string>& common_shell_vars() {
  static const std::set<std::string> v = {"HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "TMPDIR", "IFS", "LANG",
                                          "LC_ALL", "TERM", "HOSTNAME", "RANDOM", "SECONDS", "LINENO", "BASH_SOURCE",
                                          "FUNCNAME", "PIPESTATUS", "EUID", "UID", "PPID", "OSTYPE", "BASH",
                                          "BASH_VERSION", "REPLY", "OPTARG", "OPTIND", "CI", "EDITOR", "DEBUG"};
  return v;
}

struct Scanner {
  const std::string& rel;
  FileKind kind;
  Lang lang = Lang::other;
  FileFacts& out;
  std::vector<std::string_view> lines;
  std::size_t first_line = 0;  // for fenced code: scan lines [first_line, last_line)
  std::size_t last_line = 0;
  Consts consts{};
  std::set<std::string> assigned{};  // shell: names assigned in the file
  std::map<std::string, std::pair<std::string, Access>> handles{};  // Python `with open(p) as f`
  bool supabase_file = false, pg_file = false;

  Evidence ev(std::size_t idx, std::string what) const { return {rel, static_cast<int>(idx + 1), std::move(what)}; }

  // The text from `pos` in line `idx` on, joined with the next two lines: enough for a call
  // whose arguments run over a line break.
  std::string window(std::size_t idx, std::size_t pos) const {
    std::string w(lines[idx].substr(std::min(pos, lines[idx].size())));
    for (std::size_t k = idx + 1; k < std::min(last_line, idx + 3); ++k) {
      w += ' ';
      w += lines[k];
    }
    return w;
  }

  // Calls `fn(args, pos)` for each call `name(` in line `idx`.
  template <typename Fn>
  void calls(std::size_t idx, std::string_view name, Fn fn) {
    std::string_view l = lines[idx];
    for (std::size_t p = l.find(name); p != std::string_view::npos; p = l.find(name, p + 1)) {
      if (name[0] != '.' && p > 0 && (ident_char(l[p - 1]) || l[p - 1] == '.') && name.find('.') == std::string_view::npos)
        continue;
      if (name[0] != '.' && p > 0 && ident_char(l[p - 1])) continue;
      std::size_t open = p + name.size();
      if (open >= l.size() || l[open] != '(') continue;
      std::string w = window(idx, open + 1);
      auto args = call_arguments(w);
      if (!args) continue;
      fn(std::string(*args), p);
    }
  }

  std::optional<std::string> path_of(std::string_view expr) {
    if (lang == Lang::shell) return shell_word(expr, consts);
    return eval_path(trim(expr), consts, lang);
  }

  void use(std::size_t idx, std::string_view expr, Access a, bool folder, const std::string& format, const std::string& what) {
    auto p = path_of(expr);
    if (!p || p->empty() || (!folder && !looks_like_path(*p)) || (folder && !looks_like_path(*p + "/x.json"))) return;
    out.paths.push_back({*p, a, folder, format, ev(idx, what)});
  }

  // The receiver of a method call that starts at `dot`: `(OUT / "x.json")` in
  // `(OUT / "x.json").write_text(…)`, `out_path` in `out_path.write_text(…)`.
  static std::string receiver(std::string_view l, std::size_t dot) {
    std::size_t i = dot;
    int depth = 0;
    while (i > 0) {
      char c = l[i - 1];
      if (c == ')' || c == ']') ++depth;
      else if (c == '(' || c == '[') {
        if (depth == 0) break;
        --depth;
      } else if (depth == 0 && !(ident_char(c) || c == '.')) break;
      --i;
    }
    return std::string(l.substr(i, dot - i));
  }

  // ---------------------------------------------------------------- constants
  void collect_constants() {
    static const std::regex py_assign(R"(^\s*([A-Za-z_]\w*)\s*(?::\s*[\w\[\]., ]+)?=\s*([^=].*)$)");
    static const std::regex js_assign(R"(^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*\w+)?\s*=\s*(.+?);?\s*$)");
    static const std::regex sh_assign(R"(^\s*(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=(\S*))");
    std::smatch m;
    for (std::size_t i = first_line; i < last_line; ++i) {
      std::string l(lines[i]);
      if (l.find('=') == std::string::npos) continue;
      if (lang == Lang::python && std::regex_match(l, m, py_assign)) {
        std::string rhs = m[2].str();
        if (rhs.find("open(") != std::string::npos) continue;
        if (auto v = eval_path(trim(rhs), consts, lang); v && looks_like_path(*v + (v->find('/') == std::string::npos ? "/x" : "")))
          consts[m[1].str()] = *v;
      } else if (lang == Lang::js && std::regex_match(l, m, js_assign)) {
        if (auto v = eval_path(trim(m[2].str()), consts, lang); v && looks_like_path(*v + (v->find('/') == std::string::npos ? "/x" : "")))
          consts[m[1].str()] = *v;
      } else if (lang == Lang::shell && std::regex_search(l, m, sh_assign)) {
        assigned.insert(m[1].str());
        std::string v = shell_word(m[2].str(), consts);
        if (!v.empty() && v.find("$(") == std::string::npos && looks_like_path(v + (v.find('/') == std::string::npos ? "/x" : "")))
          consts[m[1].str()] = v;
      }
    }
  }

  // ---------------------------------------------------------------- shared detectors
  void sql_text(std::size_t idx, const std::string& sql) {
    static const std::vector<std::pair<std::regex, const char*>> pats = {
        {std::regex(R"(\binsert\s+into\s+([\w."]+))", std::regex::icase), "insert"},
        {std::regex(R"(\bupdate\s+(?:only\s+)?([\w."]+)\s+set\b)", std::regex::icase), "update"},
        {std::regex(R"(\bdelete\s+from\s+(?:only\s+)?([\w."]+))", std::regex::icase), "delete"},
        {std::regex(R"(\bcreate\s+(?:unlogged\s+|temp\s+|temporary\s+)?table\s+(?:if\s+not\s+exists\s+)?([\w."]+))",
                    std::regex::icase),
         "create"},
        {std::regex(R"(\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?([\w."]+))", std::regex::icase), "alter"},
        {std::regex(R"(\bcopy\s+([\w."]+)\s*(?:\(|from|to)\b)", std::regex::icase), "copy"},
        {std::regex(R"(\b(?:from|join)\s+([\w."]+))", std::regex::icase), "select"},
    };
    std::string low = lower(sql);
    bool select = contains(low, "select");
    bool upsert = contains(low, "on conflict");
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& [re, op] : pats) {
      if (std::string(op) == "select" && !select) continue;
      for (auto it = std::sregex_iterator(sql.begin(), sql.end(), re); it != std::sregex_iterator(); ++it) {
        std::string t = lower((*it)[1].str());
        t.erase(std::remove(t.begin(), t.end(), '"'), t.end());
        static const std::set<std::string> not_tables = {"select", "lateral", "unnest", "generate_series", "only", "set",
                                                         "values", "where", "the", "a", "to", "stdin", "stdout"};
        if (t.empty() || not_tables.count(t) || std::isdigit(static_cast<unsigned char>(t[0]))) continue;
        std::string o = (std::string(op) == "insert" && upsert) ? "upsert" : op;
        if (std::string(op) == "select" && seen.count({t, "insert"})) continue;
        if (seen.insert({t, o}).second)
          out.db.push_back({"sql", t, o, ev(idx, fmt::format("SQL {} on `{}`", o, t))});
      }
    }
  }

  bool sql_start(const std::string& s, bool upper_only) {
    std::string t = trim(s);
    static const char* kws[] = {"SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "ALTER ", "WITH ", "UPSERT ",
                                "DROP ", "MERGE ", "COPY ", "TRUNCATE "};
    for (const char* k : kws) {
      std::size_t n = std::strlen(k);
      if (t.size() < n) continue;
      std::string head = t.substr(0, n);
      if (upper_only ? head == k : lower(head) == lower(k)) return true;
    }
    return false;
  }

  void statuses(std::size_t idx) {
    std::string_view l = lines[idx];
    std::string low = lower(l);
    if (!(contains(low, "status") || contains(low, "state") || contains(low, "phase") || contains(low, "stage") ||
          contains(low, "step")))
      return;
    static const std::regex subscript(R"(\[\s*["'](\w+)["']\s*\]\s*=\s*["']([A-Za-z][\w-]{0,40})["'])");
    static const std::regex keyval(R"((?:^|[^\w.])["']?(\w+)["']?\s*[:=]\s*["']([A-Za-z][\w-]{0,40})["'])");
    static const std::regex attr(R"(\.(\w+)\s*=\s*["']([A-Za-z][\w-]{0,40})["'])");
    std::string s(l);
    for (const auto* re : {&subscript, &keyval, &attr})
      for (auto it = std::sregex_iterator(s.begin(), s.end(), *re); it != std::sregex_iterator(); ++it) {
        std::string key = lower((*it)[1].str()), val = (*it)[2].str();
        if (!status_key(key)) continue;
        if (val != lower(val) && val != [&] {
              std::string u = val;
              for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
              return u;
            }())
          continue;  // "Alice", "CA": not a status
        out.statuses.push_back({key, lower(val), ev(idx, fmt::format("sets `{}` to `{}`", key, lower(val)))});
      }
  }

  void urls_in_literals(std::size_t idx, const char* what, const std::string& method) {
    for (const auto& lit : string_literals(lines[idx], lang)) {
      if (lit.value.rfind("postgres://", 0) == 0 || lit.value.rfind("postgresql://", 0) == 0) {
        out.db.push_back({"postgres", "", "connect", ev(idx, "a PostgreSQL connection URL in the code (value not shown)")});
        continue;
      }
      if (!is_url(lit.value)) continue;
      Endpoint e{"calls", method, redact_url(lit.value), {}};
      out.endpoints.push_back({e, ev(idx, what)});
      return;
    }
  }

  void env_name(std::size_t idx, const std::string& name, const char* how) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return;
    for (char c : name)
      if (!ident_char(c)) return;
    out.env.push_back({name, ev(idx, fmt::format("reads `{}` ({})", name, how))});
  }

  void first_literal_env(std::size_t idx, const std::string& args, const char* how) {
    auto a = split_arguments(args);
    if (a.empty()) return;
    auto lits = string_literals(a[0], lang);
    if (lits.size() == 1) env_name(idx, lits[0].value, how);
  }

  void supabase_chain(std::size_t idx, std::size_t pos, const std::string& table, const char* kind) {
    static const std::vector<std::pair<const char*, const char*>> ops = {
        {".select(", "select"}, {".insert(", "insert"}, {".upsert(", "upsert"}, {".update(", "update"},
        {".delete(", "delete"}, {".upload(", "upload"}, {".download(", "download"}, {".list(", "list"},
        {".remove(", "remove"}};
    std::string w = window(idx, pos + 1);
    auto next = w.find(".from", 1);
    auto nt = w.find(".table(", 1);
    next = std::min(next, nt);
    if (next != std::string::npos) w = w.substr(0, next);
    std::string op;
    std::size_t best = std::string::npos;
    for (const auto& [t, o] : ops)
      if (auto p = w.find(t); p != std::string::npos && p < best) {
        best = p;
        op = o;
      }
    if (op.empty()) op = "select";
    out.db.push_back({kind, table, op,
                      ev(idx, fmt::format("Supabase {} `{}`: {}", std::string(kind) == "supabase_storage" ? "bucket" : "table",
                                          table, op))});
  }

  // ---------------------------------------------------------------- Python
  void python(std::size_t idx) {
    std::string_view l = lines[idx];
    std::string t = trim(l);
    if (t.empty() || t[0] == '#') return;
    if (contains(l, "open(")) {
      for (const char* name : {"open", "io.open", "codecs.open", "aiofiles.open"})
        calls(idx, name, [&](const std::string& args, std::size_t p) {
          if (std::string_view(name) == "open" && p > 0 && l[p - 1] == '.') return;
          auto a = split_arguments(args);
          if (a.empty()) return;
          std::string mode = "r";
          for (std::size_t k = 1; k < a.size(); ++k) {
            std::string_view x = a[k];
            if (k == 1 && !contains(x, "=")) {
              auto lits = string_literals(x, lang);
              if (!lits.empty()) mode = lits[0].value;
            } else if (x.rfind("mode", 0) == 0) {
              auto lits = string_literals(x, lang);
              if (!lits.empty()) mode = lits[0].value;
            }
          }
          Access acc = mode.find_first_of("wax+") != std::string::npos ? Access::write : Access::read;
          auto path = path_of(a[0]);
          if (!path || !looks_like_path(*path)) return;
          out.paths.push_back({*path, acc, false, "", ev(idx, acc == Access::write ? "open() for writing" : "open() for reading")});
          // `with open(p, "w") as f` / `f = open(p)`: remember the handle for json.dump(x, f)
          static const std::regex as_name(R"(\)\s*as\s+([A-Za-z_]\w*))");
          static const std::regex assign(R"(^\s*([A-Za-z_]\w*)\s*=\s*(?:io\.|codecs\.)?open\()");
          std::smatch m;
          std::string ls(l);
          if (std::regex_search(ls, m, as_name) || std::regex_search(ls, m, assign)) handles[m[1].str()] = {*path, acc};
        });
    }
    for (const char* m : {".write_text(", ".write_bytes(", ".read_text(", ".read_bytes(", ".mkdir(", ".touch(", ".open("}) {
      for (std::size_t p = l.find(m); p != std::string_view::npos; p = l.find(m, p + 1)) {
        std::string recv = receiver(l, p);
        if (recv.empty() || recv == "os" || recv == "self") continue;
        std::string_view mv(m);
        Access a = (mv == ".read_text(" || mv == ".read_bytes(") ? Access::read : Access::write;
        bool folder = mv == ".mkdir(";
        if (mv == ".open(") {
          const std::string win = window(idx, p + mv.size());
          auto args = call_arguments(win);
          std::string mode = "r";
          if (args) {
            auto lits = string_literals(*args, lang);
            if (!lits.empty()) mode = lits[0].value;
          }
          a = mode.find_first_of("wax+") != std::string::npos ? Access::write : Access::read;
        }
        std::string what = std::string(mv.substr(1, mv.size() - 2)) + "()";
        use(idx, recv, a, folder, "", what);
      }
    }
    for (const char* name : {"os.makedirs", "os.mkdir", "makedirs"})
      if (contains(l, name))
        calls(idx, name, [&](const std::string& args, std::size_t) {
          auto a = split_arguments(args);
          if (!a.empty()) use(idx, a[0], Access::write, true, "", std::string(name) + "()");
        });
    // Dumps and loads through a handle or a path
    static const std::vector<std::tuple<const char*, const char*, Access, int>> dumps = {
        {"json.dump", "json", Access::write, 1},        {"yaml.dump", "yaml", Access::write, 1},
        {"yaml.safe_dump", "yaml", Access::write, 1},   {"pickle.dump", "pickle", Access::write, 1},
        {"json.load", "json", Access::read, 0},         {"yaml.safe_load", "yaml", Access::read, 0},
        {"yaml.load", "yaml", Access::read, 0},         {"pickle.load", "pickle", Access::read, 0},
        {"toml.load", "toml", Access::read, 0},         {"tomllib.load", "toml", Access::read, 0},
        {"csv.writer", "csv", Access::write, 0},        {"csv.DictWriter", "csv", Access::write, 0},
        {"csv.reader", "csv", Access::read, 0},         {"csv.DictReader", "csv", Access::read, 0}};
    for (const auto& [name, fmt_, acc, argi] : dumps) {
      if (!contains(l, name)) continue;
      calls(idx, name, [&, fmt_ = fmt_, acc = acc, argi = argi, name = name](const std::string& args, std::size_t) {
        auto a = split_arguments(args);
        if (static_cast<int>(a.size()) <= argi) return;
        std::string h = trim(a[static_cast<std::size_t>(argi)]);
        if (auto it = handles.find(h); it != handles.end())
          out.paths.push_back({it->second.first, acc, false, fmt_, ev(idx, fmt::format("{}()", name))});
      });
    }
    static const std::vector<std::tuple<const char*, const char*, Access>> frames = {
        {"read_csv", "csv", Access::read},       {"read_json", "json", Access::read},
        {"read_parquet", "parquet", Access::read}, {"read_excel", "xlsx", Access::read},
        {".to_csv", "csv", Access::write},       {".to_json", "json", Access::write},
        {".to_parquet", "parquet", Access::write}, {".to_excel", "xlsx", Access::write},
        {"np.save", "npy", Access::write},       {"np.load", "npy", Access::read}};
    for (const auto& [name, fmt_, acc] : frames) {
      if (!contains(l, name)) continue;
      calls(idx, name, [&, fmt_ = fmt_, acc = acc, name = name](const std::string& args, std::size_t) {
        auto a = split_arguments(args);
        if (!a.empty()) use(idx, a[0], acc, false, fmt_, fmt::format("{}()", name[0] == '.' ? name + 1 : name));
      });
    }
    for (const char* name : {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move"})
      if (contains(l, name))
        calls(idx, name, [&](const std::string& args, std::size_t) {
          auto a = split_arguments(args);
          if (a.size() < 2) return;
          use(idx, a[0], Access::read, false, "", std::string(name) + "()");
          use(idx, a[1], Access::write, false, "", std::string(name) + "()");
        });
    // Databases
    if (contains(l, "sqlite3.connect"))
      calls(idx, "sqlite3.connect", [&](const std::string& args, std::size_t) {
        out.db.push_back({"sqlite", "", "connect", ev(idx, "sqlite3.connect()")});
        auto a = split_arguments(args);
        if (!a.empty()) use(idx, a[0], Access::write, false, "sqlite", "sqlite3.connect()");
      });
    for (const char* name : {"psycopg2.connect", "psycopg.connect", "asyncpg.connect", "asyncpg.create_pool",
                             "psycopg.AsyncConnection.connect", "psycopg_pool.ConnectionPool", "ConnectionPool"})
      if (contains(l, name))
        calls(idx, name, [&](const std::string&, std::size_t) {
          out.db.push_back({"postgres", "", "connect", ev(idx, std::string(name) + "()")});
        });
    if (contains(l, "create_engine("))
      calls(idx, "create_engine", [&](const std::string& args, std::size_t) {
        std::string kind = contains(args, "sqlite") ? "sqlite" : contains(args, "mysql") ? "mysql" : "postgres";
        out.db.push_back({kind, "", "connect", ev(idx, "create_engine() (SQLAlchemy)")});
      });
    if (contains(l, "MongoClient("))
      out.db.push_back({"mongodb", "", "connect", ev(idx, "MongoClient()")});
    if (contains(l, "create_client(") && supabase_file)
      out.db.push_back({"supabase", "", "connect", ev(idx, "create_client() (Supabase)")});
    for (const char* m : {".table(", ".from_("}) {
      if (!contains(l, m)) continue;
      for (std::size_t p = l.find(m); p != std::string_view::npos; p = l.find(m, p + 1)) {
        const std::string win = window(idx, p + std::strlen(m));
        auto args = call_arguments(win);
        if (!args) continue;
        auto lits = string_literals(*args, lang);
        if (lits.size() != 1 || lits[0].value.empty() || !supabase_file) continue;
        bool storage = receiver(l, p).find("storage") != std::string::npos;
        supabase_chain(idx, p, lits[0].value, storage ? "supabase_storage" : "supabase");
      }
    }
    // Environment
    for (const char* name : {"os.getenv", "os.environ.get", "environ.get", "getenv"})
      if (contains(l, name))
        calls(idx, name, [&](const std::string& args, std::size_t) { first_literal_env(idx, args, "os.getenv"); });
    if (contains(l, "environ[")) {
      static const std::regex re(R"(environ\[\s*["'](\w+)["']\s*\])");
      std::string s(l);
      for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        env_name(idx, (*it)[1].str(), "os.environ");
    }
    // HTTP
    static const std::regex http(R"(\b(requests|httpx|session|aiohttp|client|http)\.(get|post|put|patch|delete|request)\()");
    std::smatch m;
    std::string s(l);
    bool http_call = contains(l, ".get(") || contains(l, ".post(") || contains(l, ".put(") || contains(l, ".patch(") ||
                     contains(l, ".delete(") || contains(l, ".request(");
    if (http_call && std::regex_search(s, m, http)) {
      std::string method = m[2].str() == "request" ? "" : m[2].str();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      urls_in_literals(idx, "HTTP request", method);
    } else if (contains(l, "urlopen(")) {
      urls_in_literals(idx, "urlopen()", "GET");
    } else if (contains(l, "postgres://") || contains(l, "postgresql://")) {
      urls_in_literals(idx, "", "");
    }
    // Routes the pack serves: Flask, FastAPI
    static const std::regex route(R"(@\w+\.(route|get|post|put|patch|delete|api_route)\(\s*["'](/[^"']*)["'](.*))");
    if (t[0] == '@' && std::regex_search(s, m, route)) {
      std::string method = m[1].str() == "route" || m[1].str() == "api_route" ? "" : m[1].str();
      static const std::regex methods(R"(methods\s*=\s*\[\s*["'](\w+)["'])");
      std::smatch mm;
      std::string rest = m[3].str();
      if (method.empty() && std::regex_search(rest, mm, methods)) method = mm[1].str();
      if (method.empty()) method = "GET";
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.endpoints.push_back({Endpoint{"serves", method, m[2].str(), {}}, ev(idx, "route handler")});
    }
  }

  // ---------------------------------------------------------------- JavaScript / TypeScript
  void js(std::size_t idx) {
    std::string_view l = lines[idx];
    std::string t = trim(l);
    if (t.empty() || t.rfind("//", 0) == 0 || t.rfind("*", 0) == 0 || t.rfind("/*", 0) == 0) return;
    static const std::vector<std::tuple<const char*, Access, bool, const char*>> fsx = {
        {"writeFileSync", Access::write, false, ""},   {"writeFile", Access::write, false, ""},
        {"appendFileSync", Access::write, false, ""},  {"appendFile", Access::write, false, ""},
        {"createWriteStream", Access::write, false, ""}, {"outputFile", Access::write, false, ""},
        {"outputFileSync", Access::write, false, ""},  {"writeJson", Access::write, false, "json"},
        {"writeJsonSync", Access::write, false, "json"}, {"outputJson", Access::write, false, "json"},
        {"outputJsonSync", Access::write, false, "json"}, {"readFileSync", Access::read, false, ""},
        {"readFile", Access::read, false, ""},         {"createReadStream", Access::read, false, ""},
        {"readJson", Access::read, false, "json"},     {"readJsonSync", Access::read, false, "json"},
        {"readdirSync", Access::read, true, ""},       {"readdir", Access::read, true, ""},
        {"mkdirSync", Access::write, true, ""},        {"mkdir", Access::write, true, ""},
        {"ensureDir", Access::write, true, ""},        {"ensureDirSync", Access::write, true, ""},
        {"mkdirp", Access::write, true, ""},           {"copyFileSync", Access::read, false, ""},
        {"copyFile", Access::read, false, ""}};
    for (const auto& [name, acc, folder, fmt_] : fsx) {
      if (!contains(l, name)) continue;
      std::string needle = std::string(name) + "(";
      for (std::size_t p = l.find(needle); p != std::string_view::npos; p = l.find(needle, p + 1)) {
        if (p > 0 && ident_char(l[p - 1])) continue;
        const std::string win = window(idx, p + needle.size());
        auto args = call_arguments(win);
        if (!args) continue;
        auto a = split_arguments(*args);
        if (a.empty()) continue;
        std::string f = fmt_;
        if (f.empty() && acc == Access::write && a.size() > 1 && contains(a[1], "JSON.stringify")) f = "json";
        if (f.empty() && acc == Access::write && a.size() > 1 && (contains(a[1], "yaml.dump") || contains(a[1], "YAML.stringify")))
          f = "yaml";
        use(idx, a[0], acc, folder, f, std::string(name) + "()");
        std::string_view nv(name);
        if ((nv == "copyFileSync" || nv == "copyFile") && a.size() > 1) use(idx, a[1], Access::write, false, "", std::string(name) + "()");
      }
    }
    // Databases
    if (contains(l, "createClient(") && supabase_file)
      out.db.push_back({"supabase", "", "connect", ev(idx, "createClient() (Supabase)")});
    if (pg_file && (contains(l, "new Pool(") || contains(l, "new Client(") || contains(l, "new pg.Pool(") ||
                    contains(l, "new pg.Client(")))
      out.db.push_back({"postgres", "", "connect", ev(idx, "a node-postgres connection")});
    if (contains(l, "postgres(") && pg_file && !contains(l, "new ")) 
      out.db.push_back({"postgres", "", "connect", ev(idx, "postgres() connection")});
    if (contains(l, "new PrismaClient(")) out.db.push_back({"orm", "", "connect", ev(idx, "PrismaClient (Prisma)")});
    if (contains(l, "new Database(") && contains(l, "sqlite")) out.db.push_back({"sqlite", "", "connect", ev(idx, "SQLite database")});
    if (contains(l, ".from(") && supabase_file) {
      for (std::size_t p = l.find(".from("); p != std::string_view::npos; p = l.find(".from(", p + 1)) {
        std::string recv = receiver(l, p);
        if (recv == "Array" || recv == "Buffer" || recv == "Object" || recv == "Uint8Array") continue;
        const std::string win = window(idx, p + 6);
        auto args = call_arguments(win);
        if (!args) continue;
        auto lits = string_literals(*args, lang);
        if (lits.size() != 1 || lits[0].value.empty()) continue;
        supabase_chain(idx, p, lits[0].value, contains(recv, "storage") ? "supabase_storage" : "supabase");
      }
    }
    if (contains(l, ".rpc(") && supabase_file)
      calls(idx, ".rpc", [&](const std::string& args, std::size_t) {
        auto lits = string_literals(args, lang);
        if (!lits.empty()) out.db.push_back({"supabase", lits[0].value, "rpc", ev(idx, fmt::format("Supabase rpc `{}`", lits[0].value))});
      });
    // Environment
    if (contains(l, "process.env") || contains(l, "import.meta.env")) {
      static const std::regex dot(R"((?:process\.env|import\.meta\.env)\.([A-Za-z_]\w*))");
      static const std::regex sub(R"(process\.env\[\s*['"`](\w+)['"`]\s*\])");
      static const std::regex destructure(R"(\{([\w\s,:]+)\}\s*=\s*process\.env)");
      std::string s(l);
      for (auto it = std::sregex_iterator(s.begin(), s.end(), dot); it != std::sregex_iterator(); ++it)
        env_name(idx, (*it)[1].str(), "process.env");
      for (auto it = std::sregex_iterator(s.begin(), s.end(), sub); it != std::sregex_iterator(); ++it)
        env_name(idx, (*it)[1].str(), "process.env");
      std::smatch m;
      if (std::regex_search(s, m, destructure)) {
        const std::string names = m[1].str();
        for (auto part : split_arguments(names)) {
          std::string n = trim(part.substr(0, part.find(':')));
          env_name(idx, n, "process.env");
        }
      }
    }
    if (contains(l, "Deno.env.get("))
      calls(idx, "Deno.env.get", [&](const std::string& args, std::size_t) { first_literal_env(idx, args, "Deno.env.get"); });
    // HTTP
    if (contains(l, "fetch(") || contains(l, "axios") || contains(l, "got(") || contains(l, "ky.")) {
      std::string method;
      static const std::regex m1(R"(method\s*:\s*['"`](\w+)['"`])");
      static const std::regex m2(R"(axios\.(get|post|put|patch|delete)\()");
      std::smatch m;
      std::string w = window(idx, 0);
      if (std::regex_search(w, m, m2) || std::regex_search(w, m, m1)) method = m[1].str();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (method.empty()) method = "GET";
      urls_in_literals(idx, "HTTP request", method);
    } else if (contains(l, "postgres://") || contains(l, "postgresql://")) {
      urls_in_literals(idx, "", "");
    }
    // Routes: Express and friends; Next.js / SvelteKit route handlers
    static const std::regex route(R"(\b(?:app|router|server|api|fastify)\.(get|post|put|patch|delete|all)\(\s*['"`](/[^'"`]*)['"`])");
    std::smatch m;
    std::string s(l);
    if (std::regex_search(s, m, route)) {
      std::string method = m[1].str() == "all" ? "ANY" : m[1].str();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.endpoints.push_back({Endpoint{"serves", method, m[2].str(), {}}, ev(idx, "route handler")});
    }
    static const std::regex handler(R"(^\s*export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b)");
    if (std::regex_search(s, m, handler)) {
      std::string route_path = "/" + rel;
      for (const char* marker : {"/app/", "/pages/", "/routes/"})
        if (auto p = route_path.find(marker); p != std::string::npos) route_path = route_path.substr(p + std::strlen(marker) - 1);
      auto slash = route_path.rfind('/');
      if (slash != std::string::npos) route_path = route_path.substr(0, slash);
      if (route_path.empty()) route_path = "/";
      out.endpoints.push_back({Endpoint{"serves", m[1].str(), route_path, {}}, ev(idx, "route handler")});
    }
    if ((contains(l, "Deno.serve(") || contains(l, "serve(")) && rel.find("supabase/functions/") != std::string::npos) {
      auto p = rel.find("supabase/functions/") + std::strlen("supabase/functions/");
      std::string fn = rel.substr(p, rel.find('/', p) - p);
      out.endpoints.push_back({Endpoint{"serves", "", "/functions/v1/" + fn, {}}, ev(idx, "Supabase Edge Function")});
    }
  }

  // ---------------------------------------------------------------- shell
  void shell(std::size_t idx) {
    std::string_view l = lines[idx];
    std::string t = trim(l);
    if (t.empty() || t[0] == '#') return;
    // The line without its comment, and with quoted text kept as is.
    std::string code;
    {
      char q = 0;
      for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (q) {
          if (c == q) q = 0;
          else if (c == '\\' && q == '"' && i + 1 < t.size()) code.push_back(t[i++]);
        } else if (c == '"' || c == '\'') {
          q = c;
        } else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(t[i - 1])))) {
          break;
        }
        code.push_back(c);
      }
    }
    // Words, split on unquoted blanks and on ; | &
    auto next_word = [&](std::size_t from, std::size_t& end) {
      std::size_t i = from;
      while (i < code.size() && (code[i] == ' ' || code[i] == '\t')) ++i;
      std::size_t b = i;
      char q = 0;
      while (i < code.size()) {
        char c = code[i];
        if (q) {
          if (c == q) q = 0;
        } else if (c == '"' || c == '\'') {
          q = c;
        } else if (c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == ')' || c == '<' || c == '>') {
          break;
        }
        ++i;
      }
      end = i;
      return code.substr(b, i - b);
    };
    // Redirections: > file, >> file, < file
    {
      char q = 0;
      for (std::size_t i = 0; i < code.size(); ++i) {
        char c = code[i];
        if (q) {
          if (c == q) q = 0;
          continue;
        }
        if (c == '"' || c == '\'') {
          q = c;
          continue;
        }
        if (c != '>' && c != '<') continue;
        bool write = c == '>';
        std::size_t j = i + 1;
        if (j < code.size() && code[j] == c) {
          if (!write) {  // heredoc
            i = j;
            continue;
          }
          ++j;
        }
        if (j < code.size() && (code[j] == '&' || code[j] == '(' || code[j] == '=')) {
          i = j;
          continue;
        }
        if (i > 0 && code[i - 1] == '&') continue;
        if (i > 0 && (code[i - 1] == '-' || code[i - 1] == '=')) continue;  // -> and => in strings
        std::size_t end;
        std::string w = next_word(j, end);
        std::string p = shell_word(w, consts);
        if (!p.empty() && p != "/dev/null" && p.rfind("/dev/", 0) != 0 && looks_like_path(p))
          out.paths.push_back({p, write ? Access::write : Access::read, false, "",
                               ev(idx, write ? "shell redirection (writes)" : "shell redirection (reads)")});
        i = end == 0 ? i : end - 1;
      }
    }
    // Commands
    std::vector<std::string> words;
    for (std::size_t i = 0, end = 0; i < code.size(); i = end + 1) {
      std::string w = next_word(i, end);
      if (!w.empty()) words.push_back(w);
      if (end >= code.size()) break;
      if (code[end] == ';' || code[end] == '|' || code[end] == '&') words.push_back(std::string(1, code[end]));
    }
    for (std::size_t k = 0; k < words.size(); ++k) {
      const std::string& w = words[k];
      auto args_until_sep = [&](std::size_t from) {
        std::vector<std::string> a;
        for (std::size_t j = from; j < words.size() && words[j] != ";" && words[j] != "|" && words[j] != "&"; ++j)
          a.push_back(words[j]);
        return a;
      };
      if (w == "tee") {
        for (const auto& a : args_until_sep(k + 1))
          if (!a.empty() && a[0] != '-') {
            std::string p = shell_word(a, consts);
            if (looks_like_path(p)) out.paths.push_back({p, Access::write, false, "", ev(idx, "tee (writes)")});
          }
      } else if (w == "mkdir") {
        for (const auto& a : args_until_sep(k + 1))
          if (!a.empty() && a[0] != '-') {
            std::string p = shell_word(a, consts);
            if (looks_like_path(p + "/x.json")) out.paths.push_back({p, Access::write, true, "", ev(idx, "mkdir")});
          }
      } else if (w == "cp" || w == "mv" || w == "rsync") {
        std::vector<std::string> a;
        for (const auto& x : args_until_sep(k + 1))
          if (!x.empty() && x[0] != '-') a.push_back(x);
        if (a.size() >= 2) {
          for (std::size_t j = 0; j + 1 < a.size(); ++j) {
            std::string p = shell_word(a[j], consts);
            if (looks_like_path(p)) out.paths.push_back({p, Access::read, false, "", ev(idx, w + " (reads)")});
          }
          std::string p = shell_word(a.back(), consts);
          if (looks_like_path(p) || looks_like_path(p + "/x.json"))
            out.paths.push_back({p, Access::write, p.back() == '/', "", ev(idx, w + " (writes)")});
        }
      } else if (w == "psql" || w == "pg_dump" || w == "pg_restore" || w == "pg_dumpall") {
        out.db.push_back({"postgres", "", w == "psql" ? "connect" : w, ev(idx, w)});
        auto a = args_until_sep(k + 1);
        for (std::size_t j = 0; j + 1 < a.size(); ++j)
          if (a[j] == "-f" || a[j] == "--file") {
            std::string p = shell_word(a[j + 1], consts);
            if (looks_like_path(p)) out.paths.push_back({p, w == "pg_dump" ? Access::write : Access::read, false, "sql", ev(idx, w + " -f")});
          }
      } else if (w == "supabase" && k + 1 < words.size()) {
        std::string sub = words[k + 1];
        if (sub == "db" || sub == "migration" || sub == "link" || sub == "start" || sub == "functions" || sub == "gen") {
          std::string op = sub + (k + 2 < words.size() && words[k + 2] != ";" ? " " + words[k + 2] : "");
          out.db.push_back({"supabase", "", "cli: " + op, ev(idx, "supabase " + op)});
        }
      } else if (w == "sqlite3" && k + 1 < words.size()) {
        out.db.push_back({"sqlite", "", "connect", ev(idx, "sqlite3")});
        for (const auto& a : args_until_sep(k + 1))
          if (!a.empty() && a[0] != '-') {
            std::string p = shell_word(a, consts);
            if (looks_like_path(p)) out.paths.push_back({p, Access::write, false, "sqlite", ev(idx, "sqlite3 database")});
            break;
          }
      } else if (w == "curl" || w == "wget" || w == "http") {
        std::string method = w == "curl" ? "" : "GET";
        std::string url;
        auto a = args_until_sep(k + 1);
        for (std::size_t j = 0; j < a.size(); ++j) {
          if ((a[j] == "-X" || a[j] == "--request") && j + 1 < a.size()) method = shell_word(a[j + 1], consts);
          else if (a[j].rfind("-X", 0) == 0 && a[j].size() > 2) method = a[j].substr(2);
          else if ((a[j] == "-d" || a[j] == "--data" || a[j] == "--data-raw" || a[j] == "-F" || a[j] == "--json") &&
                   method.empty())
            method = "POST";
          else if (url.empty() && a[j][0] != '-') {
            std::string u = shell_word(a[j], consts);
            if (is_url(u)) url = u;
          }
        }
        if (method.empty()) method = "GET";
        if (!url.empty()) out.endpoints.push_back({Endpoint{"calls", method, redact_url(url), {}}, ev(idx, w)});
      }
    }
    // Environment: $NAME and ${NAME} not set by the script itself
    static const std::regex var(R"(\$\{?([A-Z_][A-Z0-9_]+)\b)");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), var); it != std::sregex_iterator(); ++it) {
      std::string n = (*it)[1].str();
      if (assigned.count(n) || common_shell_vars().count(n)) continue;
      env_name(idx, n, "shell");
    }
    if (contains(code, "postgres://") || contains(code, "postgresql://"))
      out.db.push_back({"postgres", "", "connect", ev(idx, "a PostgreSQL connection URL in the code (value not shown)")});
  }

  // ---------------------------------------------------------------- driver
  void run_code() {
    collect_constants();
    for (std::size_t i = first_line; i < last_line; ++i) {
      std::string_view l = lines[i];
      if (l.empty()) continue;
      if (lang == Lang::python) python(i);
      else if (lang == Lang::js) js(i);
      else if (lang == Lang::shell) shell(i);
      statuses(i);
      // SQL: in string literals, or a line of a multi-line string that starts with SQL in capitals
      if (lang != Lang::shell || contains(l, "\"") || contains(l, "'")) {
        for (const auto& lit : string_literals(l, lang))
          if (sql_start(lit.value, false)) sql_text(i, lit.value);
      }
      if (sql_start(std::string(l), true) && string_literals(l, lang).empty()) sql_text(i, std::string(l));
    }
  }

  void run_sql() {
    for (std::size_t i = first_line; i < last_line; ++i) {
      std::string t = trim(lines[i]);
      if (t.empty() || t.rfind("--", 0) == 0) continue;
      sql_text(i, t);
    }
  }
};

std::vector<std::string_view> split_lines(const std::string& text) {
  std::vector<std::string_view> out;
  std::string_view s(text);
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find('\n', b);
    if (e == std::string_view::npos) e = s.size();
    std::string_view l = s.substr(b, e - b);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    if (e == s.size()) break;
    b = e + 1;
  }
  return out;
}

// Data paths named in prose: `sources/interviews/`, `outputs/minds/{slug}/kb/` in backticks.
void document_paths(const std::string& rel, const std::vector<std::string_view>& lines, std::size_t b, std::size_t e,
                    FileFacts& out) {
  static const std::vector<std::string> roots = {"sources/", "inputs/", "input/", "uploads/", "data/", "outputs/",
                                                 "output/", "generated/", "artifacts/", ".state/", "state/", ".cache/",
                                                 "db/", "checkpoints/", "state.json"};
  for (std::size_t i = b; i < e; ++i) {
    std::string_view l = lines[i];
    if (l.find('`') == std::string_view::npos) continue;
    for (std::size_t p = l.find('`'); p != std::string_view::npos;) {
      std::size_t q = l.find('`', p + 1);
      if (q == std::string_view::npos) break;
      std::string body = clean_path(normalize_literal(l.substr(p + 1, q - p - 1), Lang::other, false));
      p = l.find('`', q + 1);
      if (!looks_like_path(body) && !looks_like_path(body + "x.json")) continue;
      bool rooted = std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return body.rfind(r, 0) == 0; });
      if (!rooted) continue;
      std::string low = lower(l);
      Access a = Access::read;
      for (const char* v : {"save", "write", "writes", "create", "generate", "output", "store", "export", "produce"})
        if (contains(low, v)) a = Access::write;
      bool folder = body.back() == '/';
      out.paths.push_back({body, a, folder, "", {rel, static_cast<int>(i + 1), "named in a document"}});
    }
  }
}

Lang fence_lang(std::string_view info) {
  std::string i = lower(trim(info));
  auto sp = i.find_first_of(" {");
  if (sp != std::string::npos) i = i.substr(0, sp);
  if (i == "bash" || i == "sh" || i == "shell" || i == "zsh") return Lang::shell;
  if (i == "python" || i == "py" || i == "python3") return Lang::python;
  if (i == "js" || i == "javascript" || i == "ts" || i == "typescript" || i == "node" || i == "mjs" || i == "tsx" ||
      i == "jsx")
    return Lang::js;
  return Lang::other;
}

void yaml_facts(const std::string& text, FileFacts& out, bool json) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return;
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) continue;
      out.keys.push_back({kv.first.Scalar(), kv.first.Mark().line + 1});
      if (kv.second.IsScalar()) out.scalar_keys.push_back({kv.first.Scalar(), kv.second.Scalar()});
    }
    YAML::Node tmpl = root["template"];
    if (tmpl && tmpl.IsMap()) {
      YAML::Node o = tmpl["output"];
      if (o && o.IsMap()) {
        YAML::Node f = o["filename"];
        if (f && f.IsScalar()) {
          out.template_output = clean_path(normalize_literal(f.Scalar(), Lang::other, false));
          out.template_line = f.Mark().line + 1;
        }
        YAML::Node fm = o["format"];
        if (fm && fm.IsScalar()) out.template_format = fm.Scalar();
      }
    }
  } catch (const YAML::Exception& e) {
    out.yaml_error = fmt::format("{}:{}: invalid {}: {}", e.mark.line + 1, e.mark.column + 1, json ? "JSON" : "YAML", e.msg);
  }
}

}  // namespace

bool database_env_name(const std::string& n) {
  if (n.rfind("SUPABASE", 0) == 0 || n.rfind("POSTGRES", 0) == 0 || n.rfind("PG", 0) == 0 || n.rfind("DB_", 0) == 0)
    return true;
  for (const char* s : {"DATABASE", "_DB_URL", "_DB_", "DB_URL", "DSN"})
    if (n.find(s) != std::string::npos) return true;
  return false;
}

bool worth_reading(const std::string& rel) {
  std::string e = ext_of(rel);
  static const std::set<std::string> skip = {"png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tiff", "svg", "pdf",
                                             "zip", "gz", "tgz", "bz2", "xz", "7z", "tar", "mp3", "mp4", "wav", "ogg",
                                             "mov", "avi", "woff", "woff2", "ttf", "otf", "eot", "so", "dll", "exe",
                                             "bin", "o", "a", "class", "jar", "pyc", "wasm", "db", "sqlite", "sqlite3",
                                             "parquet", "pkl", "npy", "npz", "lock", "map"};
  return !skip.count(e);
}

FileKind file_kind(const std::string& rel, const std::string& first_line) {
  std::string base = lower(base_of(rel));
  std::string e = ext_of(rel);
  if (base == ".env" || base.rfind(".env.", 0) == 0 || e == "env") return FileKind::env;
  if (base == "package.json" || base == "pyproject.toml" || base == "pipfile" ||
      (base.rfind("requirements", 0) == 0 && e == "txt"))
    return FileKind::dependencies;
  if (e == "py") return FileKind::python;
  if (e == "js" || e == "mjs" || e == "cjs" || e == "ts" || e == "tsx" || e == "jsx" || e == "mts" || e == "cts")
    return FileKind::js;
  if (e == "sh" || e == "bash" || e == "zsh") return FileKind::shell;
  if (e == "sql" || e == "psql" || e == "pgsql") return FileKind::sql;
  if (e == "yaml" || e == "yml") return FileKind::yaml;
  if (e == "json") return FileKind::json;
  if (e == "md" || e == "markdown" || e == "mdx") return FileKind::markdown;
  if (first_line.rfind("#!", 0) == 0) {
    if (contains(first_line, "python")) return FileKind::python;
    if (contains(first_line, "node") || contains(first_line, "deno") || contains(first_line, "bun")) return FileKind::js;
    if (contains(first_line, "sh")) return FileKind::shell;
  }
  if (e == "txt" || e == "csv" || e == "tsv" || e.empty()) return FileKind::text;
  return FileKind::other;
}

FileFacts scan_file(const std::string& rel, const std::string& text, FileKind kind) {
  FileFacts out;
  std::vector<std::string_view> lines = split_lines(text);
  Scanner sc{rel, kind, Lang::other, out, lines, 0, lines.size()};
  std::string low_all;
  auto mentions = [&](const char* what) {
    if (low_all.empty()) low_all = lower(text);
    return low_all.find(what) != std::string::npos;
  };
  switch (kind) {
    case FileKind::python:
    case FileKind::js:
    case FileKind::shell: {
      sc.lang = kind == FileKind::python ? Lang::python : kind == FileKind::js ? Lang::js : Lang::shell;
      sc.supabase_file = mentions("supabase");
      sc.pg_file = contains(text, "'pg'") || contains(text, "\"pg\"") || contains(text, "'postgres'") ||
                   contains(text, "\"postgres\"") || contains(text, "@neondatabase");
      sc.run_code();
      break;
    }
    case FileKind::sql:
      sc.run_sql();
      break;
    case FileKind::env: {
      static const std::regex var(R"(^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=)");
      std::smatch m;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string l(lines[i]);
        if (std::regex_search(l, m, var)) out.env.push_back({m[1].str(), sc.ev(i, "declared (value not read)")});
      }
      break;
    }
    case FileKind::dependencies: {
      static const std::regex word(R"(["']?(@?[A-Za-z0-9_.\-/]+)["']?)");
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string l = trim(lines[i]);
        if (l.empty() || l[0] == '#') continue;
        // package.json: "name": "version"; requirements: name>=1; pyproject: "name>=1", name = "^1"
        for (auto it = std::sregex_iterator(l.begin(), l.end(), word); it != std::sregex_iterator(); ++it) {
          std::string n = (*it)[1].str();
          auto cut = n.find_first_of("<>=~![;");
          if (cut != std::string::npos) n = n.substr(0, cut);
          if (const char* k = db_library(n)) {
            out.db.push_back({k, "", "depends", sc.ev(i, fmt::format("depends on `{}`", lower(n)))});
            break;
          }
        }
      }
      break;
    }
    case FileKind::yaml:
    case FileKind::json: {
      yaml_facts(text, out, kind == FileKind::json);
      static const std::regex envref(R"(\$\{([A-Z_][A-Z0-9_]*)(?::-[^}]*)?\})");
      static const std::regex urlkey(R"(^\s*["']?([\w-]*(?:url|uri|endpoint|webhook|api|host)[\w-]*)["']?\s*:\s*["']?((?:https?|postgres|postgresql)://[^\s"',]+))",
                                     std::regex::icase);
      std::smatch m;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view lv = lines[i];
        if (lv.find('$') != std::string_view::npos) {
          std::string l(lv);
          for (auto it = std::sregex_iterator(l.begin(), l.end(), envref); it != std::sregex_iterator(); ++it)
            out.env.push_back({(*it)[1].str(), sc.ev(i, fmt::format("reads `{}` (${{…}} in configuration)", (*it)[1].str()))});
        }
        if (lv.find("://") != std::string_view::npos) {
          std::string l(lv);
          if (std::regex_search(l, m, urlkey)) {
            std::string u = m[2].str();
            if (u.rfind("postgres", 0) == 0)
              out.db.push_back({"postgres", "", "connect", sc.ev(i, "a PostgreSQL connection URL in configuration (value not shown)")});
            else
              out.endpoints.push_back({Endpoint{"calls", "", redact_url(u), {}}, sc.ev(i, fmt::format("configured as `{}`", m[1].str()))});
          }
        }
      }
      break;
    }
    case FileKind::markdown: {
      // Fenced code blocks are scanned as the scripts they are; the prose for data paths.
      std::size_t prose = 0;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string t = trim(lines[i]);
        if (t.rfind("```", 0) != 0) continue;
        document_paths(rel, lines, prose, i, out);
        std::size_t close = i + 1;
        while (close < lines.size() && trim(lines[close]).rfind("```", 0) != 0) ++close;
        Lang l = fence_lang(t.substr(3));
        std::string info = lower(trim(t.substr(3)));
        // A README's code blocks install and run the pack; they touch no data of it.
        bool readme = lower(base_of(rel)).rfind("readme", 0) == 0 || lower(base_of(rel)).rfind("changelog", 0) == 0 ||
                      lower(base_of(rel)).rfind("contributing", 0) == 0;
        if (!readme && (l != Lang::other || info == "sql" || info == "postgres" || info == "postgresql" || info == "plpgsql")) {
          Scanner block{rel, kind, l, out, lines, i + 1, close};
          block.supabase_file = mentions("supabase");
          block.pg_file = false;
          if (l == Lang::other) block.run_sql();
          else block.run_code();
        }
        i = close;
        prose = close + 1;
      }
      document_paths(rel, lines, std::min(prose, lines.size()), lines.size(), out);
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace packdb::audit
