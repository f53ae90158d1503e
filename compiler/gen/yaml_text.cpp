#include "compiler/gen/yaml_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace packdb::yaml {
namespace {

bool reserved_word(std::string_view s) {
  static const char* words[] = {"null", "Null", "NULL", "~",     "true", "True", "TRUE", "false", "False", "FALSE",
                                "yes",  "Yes",  "YES",  "no",    "No",   "NO",   "on",   "On",    "ON",    "off",
                                "Off",  "OFF",  "y",    "Y",     "n",    "N",    ".nan", ".NaN",  ".NAN",  ".inf",
                                ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", "<<"};
  for (const char* w : words)
    if (s == w) return true;
  return false;
}

// Would a YAML 1.1 or 1.2 reader take it for a number, a date or a time? (12, -3.5, 1e3,
// 0x1f, 0o17, 1_000, 2025-10-27, 1:20)
bool looks_numeric(std::string_view s) {
  std::string_view t = s;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  if (t.empty() || !(std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '.')) return false;
  for (char c : t)
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-' || c == '+' ||
          c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 't' || c == 'T' || c == 'z' || c == 'Z' || c == ' '))
      return false;
  return true;  // conservative: anything made only of number-ish characters is quoted
}

bool utf8_ok(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

}  // namespace

bool plain_ok(std::string_view s, bool flow) {
  if (s.empty() || reserved_word(s) || looks_numeric(s) || !utf8_ok(s)) return false;
  unsigned char first = static_cast<unsigned char>(s.front());
  if (!(std::isalnum(first) || first >= 0x80 || first == '_' || first == '(' || first == '.' || first == '/' ||
        first == '$'))
    return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;  // well-formed UTF-8 (checked above) may stay plain
    switch (c) {
      case ',': case '[': case ']': case '{': case '}':
        if (flow) return false;
        break;
      case '#':
        if (i > 0 && s[i - 1] == ' ') return false;  // a comment
        break;
      case '"': case '\\': case '`':
        return false;
      case ':':
        if (i + 1 < s.size() && s[i + 1] == ' ') return false;
        break;
      default: break;
    }
  }
  return true;
}

std::string quoted(std::string_view s) {
  const bool utf8 = utf8_ok(s);
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) out += fmt::format("\\x{:02x}", c);
        else out += ch;  // well-formed UTF-8 passes through
    }
  }
  out += '"';
  return out;
}

// ---- the emitter -----------------------------------------------------------------------------

Emitter::Emitter() = default;

Emitter::Node* Emitter::open() {
  if (!root_open_) return nullptr;
  Node* n = &root_;
  for (std::size_t i : path_) n = &n->children[i];
  return n;
}

void Emitter::add(Node n) {
  bool collection = n.kind != Node::scalar;
  if (!has_root_) {
    root_ = std::move(n);
    has_root_ = true;
    root_open_ = collection;
    return;
  }
  Node* parent = open();
  if (!parent) {
    error_ = "a second document root";
    return;
  }
  if (parent->kind == Node::map) {
    if (expect_key_) {  // the key itself
      if (collection) {
        error_ = "a collection as a map key";
        return;
      }
      parent->keys.push_back(n.text);
      expect_key_ = false;
      return;
    }
    if (parent->children.size() + 1 != parent->keys.size()) {
      error_ = "a map value without a key";
      return;
    }
  }
  parent->children.push_back(std::move(n));
  if (collection) path_.push_back(parent->children.size() - 1);
}

Emitter& Emitter::operator<<(Manip m) {
  switch (m) {
    case BeginMap:
    case BeginSeq: {
      Node n;
      n.kind = m == BeginMap ? Node::map : Node::seq;
      n.flow = flow_next_;
      flow_next_ = false;
      add(std::move(n));
      break;
    }
    case EndMap:
    case EndSeq: {
      Node* n = open();
      if (!n || n->kind != (m == EndMap ? Node::map : Node::seq)) {
        error_ = "an unmatched end of a collection";
        break;
      }
      if (path_.empty()) root_open_ = false;
      else path_.pop_back();
      break;
    }
    case Key: expect_key_ = true; break;
    case Value: break;
    case Flow: flow_next_ = true; break;
    case DoubleQuoted: quote_next_ = true; break;
  }
  return *this;
}

Emitter& Emitter::operator<<(std::string_view s) {
  Node n;
  Node* parent = open();
  bool flow = flow_next_ || (parent && parent->flow);
  n.text = quote_next_ ? quoted(s) : scalar(s, flow);
  quote_next_ = false;
  add(std::move(n));
  return *this;
}

Emitter& Emitter::operator<<(bool b) {
  Node n;
  n.text = b ? "true" : "false";
  add(std::move(n));
  return *this;
}

Emitter& Emitter::operator<<(long long v) {
  Node n;
  n.text = std::to_string(v);
  add(std::move(n));
  return *this;
}

void Emitter::print_flow(const Node& n, std::string& out) {
  if (n.kind == Node::scalar) {
    out += n.text;
    return;
  }
  out += n.kind == Node::map ? '{' : '[';
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (i) out += ", ";
    if (n.kind == Node::map) out += n.keys[i] + ": ";
    print_flow(n.children[i], out);
  }
  out += n.kind == Node::map ? '}' : ']';
}

// `inline_start`: the first line continues a line already begun ("- " or "key: ").
void Emitter::print(const Node& n, int indent, bool inline_start, std::string& out) {
  if (n.kind == Node::scalar || n.flow || n.children.empty()) {
    if (n.kind != Node::scalar && n.children.empty()) out += n.kind == Node::map ? "{}" : "[]";
    else print_flow(n, out);
    out += '\n';
    return;
  }
  std::string pad(static_cast<std::size_t>(indent), ' ');
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (!(i == 0 && inline_start)) out += pad;
    const Node& c = n.children[i];
    bool block_child = c.kind != Node::scalar && !c.flow && !c.children.empty();
    if (n.kind == Node::seq) {
      out += "- ";
      print(c, indent + 2, true, out);
    } else {
      out += n.keys[i];
      out += ':';
      if (block_child) {
        out += '\n';
        print(c, indent + 2, false, out);
      } else {
        out += ' ';
        print(c, indent + 2, true, out);
      }
    }
  }
}

std::string Emitter::str() const {
  std::string out;
  if (has_root_) print(root_, 0, false, out);
  return out;
}

}  // namespace packdb::yaml
