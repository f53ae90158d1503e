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

// Is `s` well-formed UTF-8?
bool utf8_ok(std::string_view s);
// `flow`: the scalar stands inside [ ] or { }, where , [ ] { } would end it.
bool plain_ok(std::string_view s, bool flow = true);
std::string quoted(std::string_view s);
inline std::string scalar(std::string_view s, bool flow = true) { return plain_ok(s, flow) ? std::string(s) : quoted(s); }
// The same, appended to `out` (no string made for each scalar).
void append_quoted(std::string& out, std::string_view s);
void append_scalar(std::string& out, std::string_view s, bool flow = true);

// The manipulators of the emitter, spelled as yaml-cpp spells them.
enum Manip { BeginMap, EndMap, BeginSeq, EndSeq, Key, Value, Flow, DoubleQuoted };

// A block-style emitter for the subset the generators use: maps, sequences, flow sequences
// (`Flow` before `BeginSeq`), scalars. Empty block collections are written `{}` / `[]`; a map
// in a sequence starts on the dash's line. Text is written as it comes (a 5,000-table spec
// makes tens of megabytes of YAML; a tree built first cost a fifth of compile's time): what
// follows `key:` — a space or a line break — is decided when the value's first item arrives.
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
  std::string str() const { return out_; }  // the document, ending in a newline

 private:
  struct Frame {
    bool map = false;
    bool flow = false;
    int indent = 0;             // block: where its items start
    bool inline_start = false;  // block: its first item continues the current line ("- ")
    bool sep_pending = false;   // block: "key:" was written; " " or "\n" still to come
    std::size_t count = 0;      // items (map: values) so far
    bool has_key = false;       // map: a key waits for its value
    std::string key;
  };
  void scalar_item(std::string text);
  void begin(bool map);
  void end(bool map);
  // Writes what goes before a value in the innermost collection; false on a structure error.
  bool before_value(bool block_collection);

  std::string out_;
  std::vector<Frame> stack_;
  bool has_root_ = false;
  bool flow_next_ = false, quote_next_ = false, expect_key_ = false;
  std::string error_;
};

}  // namespace packdb::yaml
