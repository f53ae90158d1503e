#include "compiler/gen/yaml_read.hpp"

#include <cstdint>

#include "compiler/gen/yaml_text.hpp"

namespace packdb::yaml {

const Tree* Tree::find(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

namespace {

struct NotMine {};  // the text uses YAML this reader does not take: yaml-cpp reads it instead

struct Line {
  int indent;
  std::string_view content;  // without the indent; never empty
  int number;                // 1-based
};

// yaml-cpp reads `\xHH` as the code point U+00HH, written back in UTF-8.
void append_code_point(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A double-quoted scalar at the start of `s`; `s` is left just past its closing quote.
std::string quoted_scalar(std::string_view& s) {
  std::string out;
  std::size_t i = 1;  // past the opening quote
  for (;;) {
    if (i >= s.size()) throw NotMine{};  // a quoted scalar over several lines
    const char c = s[i];
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20) throw NotMine{};  // yaml_text escapes controls
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= s.size()) throw NotMine{};
    switch (s[i + 1]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'x': {
        if (i + 3 >= s.size()) throw NotMine{};
        const int hi = hex_digit(s[i + 2]), lo = hex_digit(s[i + 3]);
        if (hi < 0 || lo < 0) throw NotMine{};
        append_code_point(out, static_cast<unsigned>(hi * 16 + lo));
        i += 2;
        break;
      }
      default: throw NotMine{};
    }
    i += 2;
  }
  // Bytes that are not UTF-8 are escaped by yaml_text; raw, yaml-cpp may read them otherwise.
  if (!utf8_ok(s.substr(1, i - 1))) throw NotMine{};
  s.remove_prefix(i + 1);
  return out;
}

Tree scalar(std::string text, int line) {
  Tree t;
  t.kind = Tree::Kind::scalar;
  t.text = std::move(text);
  t.line = line;
  return t;
}

// A scalar filling `s`, in block (`flow` false) or flow position.
Tree whole_scalar(std::string_view s, bool flow, int line) {
  if (!s.empty() && s.front() == '"') {
    std::string v = quoted_scalar(s);
    if (!s.empty()) throw NotMine{};  // something after the closing quote
    return scalar(std::move(v), line);
  }
  // yaml_text would have quoted it (but it writes booleans plain): not ours.
  if (!plain_ok(s, flow) && s != "true" && s != "false") throw NotMine{};
  return scalar(std::string(s), line);
}

// A value on its key's line: [] {} [a, "b"] or a scalar.
Tree inline_value(std::string_view v, int line) {
  Tree t;
  t.line = line;
  if (v == "[]") {
    t.kind = Tree::Kind::seq;
    return t;
  }
  if (v == "{}") {
    t.kind = Tree::Kind::map;
    return t;
  }
  if (v.front() != '[') return whole_scalar(v, false, line);
  t.kind = Tree::Kind::seq;
  v.remove_prefix(1);
  for (;;) {
    if (v.empty()) throw NotMine{};
    std::string_view item;
    if (v.front() == '"') {
      std::string_view rest = v;
      std::string text = quoted_scalar(rest);
      t.items.push_back(scalar(std::move(text), line));
      v = rest;
    } else {
      const std::size_t end = v.find_first_of(",]");
      if (end == std::string_view::npos) throw NotMine{};
      item = v.substr(0, end);
      t.items.push_back(whole_scalar(item, true, line));
      v.remove_prefix(end);
    }
    if (v == "]") return t;
    if (v.substr(0, 2) != ", ") throw NotMine{};
    v.remove_prefix(2);
  }
}

class Reader {
 public:
  explicit Reader(std::string_view text) {
    int number = 0;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view l = text.substr(at, nl - at);
      at = nl + 1;
      ++number;
      std::size_t indent = 0;
      while (indent < l.size() && l[indent] == ' ') ++indent;
      l.remove_prefix(indent);
      if (l.empty() || l.front() == '#') continue;
      if (l.back() == '\r' || l.back() == ' ' || l.find('\t') != std::string_view::npos) throw NotMine{};
      if (l == "---" || l == "...") throw NotMine{};
      lines_.push_back({static_cast<int>(indent), l, number});
    }
  }

  Tree document() {
    if (lines_.empty() || lines_.front().indent != 0) throw NotMine{};
    Tree t = block(0);
    if (at_ != lines_.size()) throw NotMine{};  // a line less indented than it should be
    return t;
  }

 private:
  static bool is_dash(std::string_view c) { return c == "-" || c.substr(0, 2) == "- "; }

  // The block starting at the current line, whose indent is `indent`.
  Tree block(int indent) { return is_dash(lines_[at_].content) ? sequence(indent) : map(indent); }

  Tree sequence(int indent) {
    Tree t;
    t.kind = Tree::Kind::seq;
    t.line = lines_[at_].number;
    while (at_ < lines_.size() && lines_[at_].indent == indent && is_dash(lines_[at_].content)) {
      Line& l = lines_[at_];
      if (l.content == "-") throw NotMine{};  // an item on the next lines: not written so
      std::string_view rest = l.content.substr(2);
      if (rest.empty() || rest.front() == ' ') throw NotMine{};
      if (key_end(rest) != std::string_view::npos) {
        // A map starting on the dash's line: read it as if that line were indented to its key.
        l.indent = indent + 2;
        l.content = rest;
        t.items.push_back(map(indent + 2));
      } else {
        t.items.push_back(inline_value(rest, l.number));
        ++at_;
      }
    }
    return t;
  }

  // Where `c` ends a map key (`key:` or `key: …`), or npos. Keys are plain words.
  static std::size_t key_end(std::string_view c) {
    const std::size_t colon = c.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::string_view::npos;
    if (colon + 1 < c.size() && c[colon + 1] != ' ') return std::string_view::npos;
    for (std::size_t i = 0; i < colon; ++i) {
      const char ch = c[i];
      if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
        return std::string_view::npos;
    }
    return colon;
  }

  Tree map(int indent) {
    Tree t;
    t.kind = Tree::Kind::map;
    t.line = lines_[at_].number;
    while (at_ < lines_.size() && lines_[at_].indent == indent && !is_dash(lines_[at_].content)) {
      const Line l = lines_[at_++];
      const std::size_t colon = key_end(l.content);
      if (colon == std::string_view::npos) throw NotMine{};
      std::string key(l.content.substr(0, colon));
      if (t.find(key)) throw NotMine{};  // a key twice
      if (colon + 1 < l.content.size()) {
        t.keys.push_back(std::move(key));
        t.items.push_back(inline_value(l.content.substr(colon + 2), l.number));
        continue;
      }
      // `key:` and its block on the next lines: more indented, or a sequence at the same indent.
      if (at_ == lines_.size()) throw NotMine{};
      const Line& next = lines_[at_];
      if (next.indent > indent || (next.indent == indent && is_dash(next.content))) {
        t.keys.push_back(std::move(key));
        t.items.push_back(block(next.indent));
      } else {
        throw NotMine{};  // an empty value: yaml_text writes `[]` or `{}`
      }
    }
    if (at_ < lines_.size() && lines_[at_].indent > indent) throw NotMine{};
    return t;
  }

  std::vector<Line> lines_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<Tree> read_written(std::string_view text) {
  try {
    return Reader(text).document();
  } catch (const NotMine&) {
    return std::nullopt;
  }
}

}  // namespace packdb::yaml
