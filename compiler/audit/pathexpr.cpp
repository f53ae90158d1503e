#include "compiler/audit/pathexpr.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace packdb::audit {

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// The last identifier in an embedded expression: `mind.slug` → slug, `m['id']` → id.
std::string placeholder_name(std::string_view expr) {
  // Drop a Python format spec or conversion: {i:03d}, {x!r}.
  int depth = 0;
  std::size_t cut = expr.size();
  for (std::size_t i = 0; i < expr.size(); ++i) {
    char c = expr[i];
    if (c == '(' || c == '[') ++depth;
    else if (c == ')' || c == ']') --depth;
    else if (depth == 0 && (c == ':' || c == '!') && !(c == '!' && i + 1 < expr.size() && expr[i + 1] == '=')) {
      cut = i;
      break;
    }
  }
  expr = expr.substr(0, cut);
  std::string last;
  for (std::size_t i = 0; i < expr.size();) {
    if (ident_start(expr[i]) && expr[i] != '$') {
      std::size_t j = i;
      while (j < expr.size() && ident_char(expr[j]) && expr[j] != '$') ++j;
      last = std::string(expr.substr(i, j - i));
      i = j;
    } else {
      ++i;
    }
  }
  for (auto& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return last.empty() ? "x" : last;
}

struct Val {
  std::string text;
  bool literal = false;  // a string literal contributed
  bool root = false;     // only "the script's folder"
};

bool is_root_name(std::string_view n) {
  return n == "__dirname" || n == "__file__" || n == "__filename" || n == "import.meta.dirname" ||
         n == "import.meta.url" || n == "process.cwd" || n == "os.getcwd" || n == "Path.cwd" || n == "BASE_DIR" ||
         n == "ROOT" || n == "ROOT_DIR" || n == "PACK_DIR" || n == "PACK_ROOT" || n == "HERE" || n == "SCRIPT_DIR";
}

bool is_join(std::string_view n) {
  return n == "Path" || n == "pathlib.Path" || n == "PurePath" || n == "os.path.join" || n == "path.join" ||
         n == "path.resolve" || n == "join" || n == "resolve" || n == "os.path.abspath" || n == "os.path.realpath" ||
         n == "os.path.normpath" || n == "path.normalize" || n == "String" || n == "str" || n == "fspath" ||
         n == "os.fspath" || n == "fileURLToPath" || n == "new URL" || n == "URL";
}

bool is_dirname(std::string_view n) {
  return n == "os.path.dirname" || n == "path.dirname" || n == "dirname" || n == "os.path.abspath" ||
         n == "os.path.realpath";
}

bool is_env_get(std::string_view n) {
  return n == "os.getenv" || n == "os.environ.get" || n == "getenv" || n == "environ.get" || n == "Deno.env.get";
}

Val join_vals(const std::vector<Val>& parts) {
  Val out;
  out.root = true;
  for (const auto& p : parts) {
    out.literal = out.literal || p.literal;
    if (p.root && p.text.empty()) continue;
    if (out.root) {
      out.text = p.text;
      out.root = p.root;
      continue;
    }
    if (!out.text.empty() && out.text.back() != '/') out.text += '/';
    std::string t = p.text;
    while (!t.empty() && t.front() == '/') t.erase(t.begin());
    out.text += t;
  }
  return out;
}

// `${OUT}/x` (JavaScript) or `{OUT}/x` (a Python f-string) with OUT a constant of the file:
// the constant's value, before the other placeholders are named.
std::string substitute_constants(const std::string& body, const Consts& consts, Lang lang) {
  if (consts.empty()) return body;
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::size_t open = std::string::npos;
    if (lang == Lang::js && body[i] == '$' && i + 1 < body.size() && body[i + 1] == '{') open = i + 2;
    else if (lang == Lang::python && body[i] == '{' && (i + 1 >= body.size() || body[i + 1] != '{')) open = i + 1;
    if (open != std::string::npos) {
      std::size_t close = body.find('}', open);
      if (close != std::string::npos) {
        std::string inner = body.substr(open, close - open);
        while (!inner.empty() && inner.front() == ' ') inner.erase(inner.begin());
        while (!inner.empty() && inner.back() == ' ') inner.pop_back();
        if (auto it = consts.find(inner); it != consts.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out.push_back(body[i]);
  }
  return out;
}

struct Parser {
  std::string_view s;
  std::size_t i = 0;
  const Consts& consts;
  Lang lang;
  int depth = 0;

  void ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool eat(std::string_view t) {
    ws();
    if (s.substr(i, t.size()) == t) {
      i += t.size();
      return true;
    }
    return false;
  }

  std::optional<Val> string_lit() {
    ws();
    std::size_t j = i;
    bool templated = false;
    while (j < s.size() && j - i < 2 && std::strchr("fFrRbBuU", s[j])) {
      if (s[j] == 'f' || s[j] == 'F') templated = true;
      ++j;
    }
    if (j >= s.size() || (s[j] != '"' && s[j] != '\'' && s[j] != '`')) return std::nullopt;
    if (j > i && lang != Lang::python) return std::nullopt;
    char q = s[j];
    if (q == '`') templated = true;
    std::size_t k = j + 1;
    std::string body;
    while (k < s.size() && s[k] != q) {
      if (s[k] == '\\' && k + 1 < s.size()) {
        body.push_back(s[k + 1]);
        k += 2;
        continue;
      }
      body.push_back(s[k++]);
    }
    if (k >= s.size()) return std::nullopt;
    i = k + 1;
    if (templated) body = substitute_constants(body, consts, lang);
    return Val{normalize_literal(body, lang, templated), true, false};
  }

  std::string name_chain() {
    ws();
    std::size_t j = i;
    if (s.substr(j, 4) == "new ") j += 4;
    if (j >= s.size() || !ident_start(s[j])) return "";
    std::size_t k = j;
    while (k < s.size() && (ident_char(s[k]) || (s[k] == '.' && k + 1 < s.size() && ident_start(s[k + 1])))) ++k;
    std::string n(s.substr(i, k - i));
    i = k;
    return n;
  }

  std::optional<std::vector<Val>> args() {
    // after '('
    std::vector<Val> out;
    ws();
    if (eat(")")) return out;
    while (true) {
      // keyword arguments (exist_ok=True) are skipped
      std::size_t save = i;
      std::string kw = name_chain();
      if (!kw.empty() && s.substr(i, 1) == "=" && s.substr(i, 2) != "==") {
        ++i;
        auto v = expr();
        (void)v;
      } else {
        i = save;
        auto v = expr();
        if (!v) return std::nullopt;
        out.push_back(*v);
      }
      if (eat(",")) continue;
      if (eat(")")) return out;
      return std::nullopt;
    }
  }

  std::optional<Val> term() {
    if (++depth > 32) return std::nullopt;
    struct D {
      int& d;
      ~D() { --d; }
    } guard{depth};
    ws();
    if (auto v = string_lit()) return v;
    if (eat("(")) {
      auto v = expr();
      if (!v || !eat(")")) return std::nullopt;
      return v;
    }
    std::string n = name_chain();
    if (n.empty()) return std::nullopt;
    Val v;
    if (eat("(")) {
      auto a = args();
      if (!a) return std::nullopt;
      if (is_root_name(n)) v = Val{"", false, true};
      else if (is_dirname(n) && a->size() == 1 && (*a)[0].root) v = Val{"", false, true};
      else if (is_env_get(n)) {
        if (a->size() >= 2) v = (*a)[1];
        else return std::nullopt;
      } else if (is_join(n)) v = join_vals(*a);
      else return std::nullopt;
    } else if (is_root_name(n)) {
      v = Val{"", false, true};
    } else if (auto it = consts.find(n); it != consts.end()) {
      v = Val{it->second, true, false};
    } else if (n.rfind("process.env.", 0) == 0) {
      v = Val{"{" + placeholder_name(n.substr(12)) + "}", false, false};
    } else {
      v = Val{"{" + placeholder_name(n) + "}", false, false};
    }
    // Subscripts and trailing attributes: m['slug'] → {slug}; Path(...).parent, .resolve()
    while (true) {
      ws();
      if (i < s.size() && s[i] == '[') {
        std::size_t close = s.find(']', i);
        if (close == std::string_view::npos) return std::nullopt;
        v = Val{"{" + placeholder_name(s.substr(i + 1, close - i - 1)) + "}", false, false};
        i = close + 1;
        continue;
      }
      if (i < s.size() && s[i] == '.') {
        std::size_t save = i;
        ++i;
        std::string attr = name_chain();
        if (attr == "parent" || attr == "resolve" || attr == "absolute" || attr == "expanduser" ||
            attr == "toString" || attr == "pathname") {
          if (attr == "parent" && !v.root) {
            auto slash = v.text.rfind('/');
            v.text = slash == std::string::npos ? "" : v.text.substr(0, slash);
            if (v.text.empty()) v.root = true;
          }
          if (eat("(")) {
            if (!args()) return std::nullopt;
          }
          continue;
        }
        i = save;
      }
      break;
    }
    return v;
  }

  std::optional<Val> expr() {
    auto left = term();
    if (!left) return std::nullopt;
    while (true) {
      ws();
      if (eat("||") || eat("??") || (lang == Lang::python && eat("or "))) {
        auto right = term();
        if (!right) return std::nullopt;
        if (!left->literal) left = right;
        continue;
      }
      if (i < s.size() && s[i] == '+' ) {
        ++i;
        auto right = term();
        if (!right) return std::nullopt;
        if (left->root && left->text.empty()) left = right;
        else left = Val{left->text + right->text, left->literal || right->literal, false};
        continue;
      }
      if (i < s.size() && s[i] == '/' && lang == Lang::python) {
        ++i;
        auto right = term();
        if (!right) return std::nullopt;
        left = join_vals({*left, *right});
        continue;
      }
      break;
    }
    return left;
  }
};

}  // namespace

std::string normalize_literal(std::string_view body, Lang lang, bool templated) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    // Handlebars / Jinja: {{ name }}
    if (c == '{' && i + 1 < body.size() && body[i + 1] == '{') {
      std::size_t close = body.find("}}", i + 2);
      if (close != std::string_view::npos) {
        out += "{" + placeholder_name(body.substr(i + 2, close - i - 2)) + "}";
        i = close + 1;
        continue;
      }
    }
    if (lang == Lang::js && templated && c == '$' && i + 1 < body.size() && body[i + 1] == '{') {
      std::size_t close = body.find('}', i + 2);
      if (close != std::string_view::npos) {
        out += "{" + placeholder_name(body.substr(i + 2, close - i - 2)) + "}";
        i = close;
        continue;
      }
    }
    if (lang == Lang::python && c == '{') {
      std::size_t close = body.find('}', i + 1);
      if (close != std::string_view::npos) {
        std::string_view inner = body.substr(i + 1, close - i - 1);
        out += "{" + (inner.empty() ? std::string("x") : placeholder_name(inner)) + "}";
        i = close;
        continue;
      }
    }
    if (lang == Lang::python && c == '%' && i + 1 < body.size() && std::strchr("sdrif", body[i + 1])) {
      out += "{x}";
      ++i;
      continue;
    }
    if (lang == Lang::shell && c == '$' && i + 1 < body.size()) {
      std::size_t j = i + 1;
      bool brace = body[j] == '{';
      if (brace) ++j;
      std::size_t k = j;
      while (k < body.size() && ident_char(body[k]) && body[k] != '$') ++k;
      if (k > j) {
        std::string name(body.substr(j, k - j));
        if (brace) {
          std::size_t close = body.find('}', k);
          k = close == std::string_view::npos ? body.size() : close + 1;
        }
        out += "{" + placeholder_name(name) + "}";
        i = k - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  (void)templated;
  return out;
}

std::optional<std::string> eval_path(std::string_view expr, const Consts& consts, Lang lang) {
  Parser p{expr, 0, consts, lang};
  auto v = p.expr();
  if (!v || !v->literal) return std::nullopt;
  p.ws();
  if (p.i != expr.size()) return std::nullopt;
  return clean_path(v->text);
}

std::optional<std::string_view> call_arguments(std::string_view text) {
  int depth = 1;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) return text.substr(0, i);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> split_arguments(std::string_view args) {
  std::vector<std::string_view> out;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    char c = args[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') --depth;
    else if (c == ',' && depth == 0) {
      out.push_back(args.substr(start, i - start));
      start = i + 1;
    }
  }
  if (start < args.size()) out.push_back(args.substr(start));
  for (auto& a : out) {
    while (!a.empty() && std::isspace(static_cast<unsigned char>(a.front()))) a.remove_prefix(1);
    while (!a.empty() && std::isspace(static_cast<unsigned char>(a.back()))) a.remove_suffix(1);
  }
  return out;
}

std::vector<Literal> string_literals(std::string_view line, Lang lang) {
  std::vector<Literal> out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '#' && (lang == Lang::python || lang == Lang::shell)) break;
    if (c == '/' && lang == Lang::js && i + 1 < line.size() && line[i + 1] == '/') break;
    if (c != '"' && c != '\'' && c != '`') continue;
    if (c == '`' && lang != Lang::js && lang != Lang::other) continue;
    bool templated = c == '`';
    if (lang == Lang::python && i > 0 && (line[i - 1] == 'f' || line[i - 1] == 'F')) templated = true;
    std::size_t k = i + 1;
    std::string body;
    while (k < line.size() && line[k] != c) {
      if (line[k] == '\\' && k + 1 < line.size() && c != '\'' ) {
        body.push_back(line[k + 1]);
        k += 2;
        continue;
      }
      if (line[k] == '\\' && k + 1 < line.size()) {
        body.push_back(line[k + 1]);
        k += 2;
        continue;
      }
      body.push_back(line[k++]);
    }
    if (k >= line.size()) break;
    bool tmpl = templated || (lang == Lang::shell && c == '"');
    out.push_back({normalize_literal(body, lang, tmpl), i});
    i = k;
  }
  return out;
}

std::string shell_word(std::string_view word, const Consts& consts) {
  std::string raw;
  char quote = 0;
  for (char c : word) {
    if (quote) {
      if (c == quote) quote = 0;
      else raw.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else {
      raw.push_back(c);
    }
  }
  // Expand the file's own constants before turning the rest into placeholders.
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '$' && i + 1 < raw.size()) {
      std::size_t j = i + 1;
      bool brace = raw[j] == '{';
      if (brace) ++j;
      std::size_t k = j;
      while (k < raw.size() && ident_char(raw[k]) && raw[k] != '$') ++k;
      if (k > j) {
        std::string name = raw.substr(j, k - j);
        std::size_t end = k;
        if (brace) {
          std::size_t close = raw.find('}', k);
          end = close == std::string::npos ? raw.size() : close + 1;
          // ${VAR:-default}
          if (close != std::string::npos && raw.compare(k, 2, ":-") == 0 && !consts.count(name)) {
            out += raw.substr(k + 2, close - k - 2);
            i = end - 1;
            continue;
          }
        }
        if (auto it = consts.find(name); it != consts.end()) out += it->second;
        else out += "{" + placeholder_name(name) + "}";
        i = end - 1;
        continue;
      }
    }
    out.push_back(raw[i]);
  }
  return clean_path(out);
}

std::string clean_path(std::string p) {
  if (p.find("://") != std::string::npos) return p;  // a URL, not a path
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  std::string out;
  for (char c : p) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  for (std::size_t at = out.find("/./"); at != std::string::npos; at = out.find("/./")) out.erase(at, 2);
  return out;
}

bool looks_like_path(const std::string& s) {
  if (s.empty() || s.size() > 240) return false;
  if (s.find("://") != std::string::npos || s.find_first_of(" \t\n<>|;*\"'`,()=") != std::string::npos) return false;
  if (s == "/" || s == "." || s == ".." || s[0] == '-' || s[0] == '@') return false;
  if (s.rfind("/dev/", 0) == 0 || s.rfind("/proc/", 0) == 0) return false;
  if (s.find('/') != std::string::npos) {
    // Mostly letters: not a MIME type (application/json), not a date (1/2).
    if (s.rfind("application/", 0) == 0 || s.rfind("text/", 0) == 0 || s.rfind("image/", 0) == 0) return false;
    return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  }
  auto dot = s.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= s.size()) return false;
  std::string ext = s.substr(dot + 1);
  static const char* exts[] = {"json", "jsonl", "ndjson", "yaml", "yml", "md", "markdown", "csv", "tsv", "txt",
                               "db", "sqlite", "sqlite3", "parquet", "xml", "html", "sql", "log", "pdf", "toml", "env"};
  for (const char* e : exts)
    if (ext == e) return true;
  return false;
}

}  // namespace packdb::audit
