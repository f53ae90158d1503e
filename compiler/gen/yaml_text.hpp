// Writing YAML text: one rule for scalars, and a small block emitter.
//
// Every YAML file packdbc writes (the documentation outputs, `inspect` snapshots, the audit)
// goes through `yaml_scalar`, so they quote alike: a scalar is plain only when a YAML reader
// cannot take it for anything else (a number, a boolean, null, a date, a comment, a flow
// indicator…); otherwise it is double-quoted with escapes. yaml-cpp's own Emitter did the
// same analysis with a regex engine per character, which took half of `compile`'s time on
// large specs; this is a single pass.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace packdb::yaml {

// `flow`: the scalar stands inside [ ] or { }, where , [ ] { } would end it.
bool plain_ok(std::string_view s, bool flow = true);
std::string quoted(std::string_view s);
inline std::string scalar(std::string_view s, bool flow = true) { return plain_ok(s, flow) ? std::string(s) : quoted(s); }

// The manipulators of the emitter, spelled as yaml-cpp spells them.
enum Manip { BeginMap, EndMap, BeginSeq, EndSeq, Key, Value, Flow, DoubleQuoted };

// A block-style emitter for the subset the generators use: maps, sequences, flow sequences
// (`Flow` before `BeginSeq`), scalars. Empty block collections are written `{}` / `[]`; a map
// in a sequence starts on the dash's line. The document is built as a tree and printed by
// `str()`, so an empty collection is known before anything is printed.
class Emitter {
 public:
  Emitter();
  Emitter& operator<<(Manip m);
  Emitter& operator<<(std::string_view s);
  Emitter& operator<<(const std::string& s) { return *this << std::string_view(s); }
  Emitter& operator<<(const char* s) { return *this << std::string_view(s); }
  Emitter& operator<<(bool b);
  Emitter& operator<<(long long n);
  Emitter& operator<<(int n) { return *this << static_cast<long long>(n); }
  Emitter& operator<<(long n) { return *this << static_cast<long long>(n); }
  Emitter& operator<<(unsigned long n) { return *this << static_cast<long long>(n); }
  Emitter& operator<<(unsigned n) { return *this << static_cast<long long>(n); }

  bool good() const { return error_.empty(); }
  const std::string& last_error() const { return error_; }
  std::string str() const;  // the document, ending in a newline

 private:
  struct Node {
    enum Kind { scalar, map, seq } kind = scalar;
    bool flow = false;
    std::string text;                 // a scalar, already quoted as needed
    std::vector<std::string> keys;    // map keys (already quoted), parallel to children
    std::vector<Node> children;
  };
  void add(Node n);
  Node* open();  // the innermost open collection, or null
  static void print(const Node& n, int indent, bool inline_start, std::string& out);
  static void print_flow(const Node& n, std::string& out);

  Node root_;
  bool has_root_ = false;
  bool root_open_ = false;
  std::vector<std::size_t> path_;  // from the root, the child index of each open collection below it
  bool flow_next_ = false, quote_next_ = false, expect_key_ = false;
  std::string error_;
};

}  // namespace packdb::yaml
