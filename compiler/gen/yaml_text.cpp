#include "compiler/gen/yaml_text.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace packdb::yaml {
namespace {

bool reserved_word(std::string_view s) {
  // string_views, so that comparing is a length check first (no strlen per word).
  static constexpr std::string_view words[] = {"null", "Null", "NULL", "~",     "true", "True", "TRUE", "false", "False", "FALSE",
                                "yes",  "Yes",  "YES",  "no",    "No",   "NO",   "on",   "On",    "ON",    "off",
                                "Off",  "OFF",  "y",    "Y",     "n",    "N",    ".nan", ".NaN",  ".NAN",  ".inf",
                                ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", "<<"};
  for (std::string_view w : words)
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


// What a byte means inside a plain scalar: nothing (most), or the rule that looks at it.
enum : unsigned char { k_plain, k_control, k_flow, k_hash, k_never, k_colon, k_high };
constexpr std::array<unsigned char, 256> byte_kinds = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = k_control;
  t[0x7f] = k_control;
  for (unsigned char c : {',', '[', ']', '{', '}'}) t[c] = k_flow;
  t['#'] = k_hash;
  for (unsigned char c : {'"', '\\', '`'}) t[c] = k_never;
  t[':'] = k_colon;
  for (int c = 0x80; c < 0x100; ++c) t[c] = k_high;
  return t;
}();

// Bytes that need a look when quoting: controls, DEL, non-ASCII, `"` and `\`.
constexpr std::array<bool, 256> quote_notable = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x100; ++c) t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
  return t;
}();

// The first byte at or after `i` that `table` marks, else s.size(). The table marks what is not
// printable ASCII and `specials` (at most 11 characters): sixteen bytes at a time where SSE2 is
// there (every x86-64), since nearly every byte of the tens of megabytes of YAML a large compile
// writes needs no look at all; byte by byte for the last few.
template <typename Table, std::size_t N>
std::size_t next_notable(std::string_view s, std::size_t i, const Table& table, const char (&specials)[N]) {
  static_assert(N >= 2 && N <= 12, "a literal of 1 to 11 characters");
#ifdef __SSE2__
  if (s.size() >= 16) {
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
    __m128i wanted[N - 1];
    for (std::size_t k = 0; k + 1 < N; ++k) wanted[k] = _mm_set1_epi8(specials[k]);
    for (; i + 16 <= s.size(); i += 16) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      // Signed: bytes of 0x80 and more are negative, so one compare finds controls and non-ASCII.
      __m128i hit = _mm_or_si128(_mm_cmplt_epi8(b, space), _mm_cmpeq_epi8(b, del));
      for (std::size_t k = 0; k + 1 < N; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(b, wanted[k]));
      if (int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  while (i < s.size() && !table[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// What byte_kinds marks besides controls, DEL and non-ASCII.
constexpr const char plain_specials[] = ",[]{}#\"\\`:";

bool plain_first(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '_' ||
         c == '(' || c == '.' || c == '/' || c == '$';
}

}  // namespace

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

// One pass over the bytes; the rarer rules (YAML's words, numbers, UTF-8) only where they can
// apply. Every YAML file packdbc writes goes through here: tens of millions of calls at scale.
bool plain_ok(std::string_view s, bool flow) {
  if (s.empty()) return false;
  const auto first = static_cast<unsigned char>(s.front());
  if (!plain_first(first)) return false;  // also rules out `~`, `<<`, a sign or an indicator first
  if (s.size() <= 6 && reserved_word(s)) return false;
  if (((first >= '0' && first <= '9') || first == '.') && looks_numeric(s)) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  bool ascii = true;
  for (std::size_t i = next_notable(s, 0, byte_kinds, plain_specials); i < s.size(); i = next_notable(s, i + 1, byte_kinds, plain_specials)) {
    switch (byte_kinds[static_cast<unsigned char>(s[i])]) {
      case k_plain: break;
      case k_control: return false;  // well-formed UTF-8 (checked below) may stay plain
      case k_flow:
        if (flow) return false;
        break;
      case k_hash:
        if (i > 0 && s[i - 1] == ' ') return false;  // a comment
        break;
      case k_never: return false;
      case k_colon:
        if (i + 1 < s.size() && s[i + 1] == ' ') return false;
        break;
      case k_high: ascii = false; break;
    }
  }
  return ascii || utf8_ok(s);
}

void append_quoted(std::string& out, std::string_view s) {
  std::optional<bool> utf8;  // asked only when a byte is not ASCII
  out += '"';
  std::size_t run = 0;  // the start of the bytes that pass through as they are
  for (std::size_t i = next_notable(s, 0, quote_notable, "\"\\"); i < s.size(); i = next_notable(s, i + 1, quote_notable, "\"\\")) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : nullptr;
    if (c >= 0x80 && !utf8) utf8 = utf8_ok(s);
    const bool hex = !esc && (c < 0x20 || c == 0x7f || (c >= 0x80 && !*utf8));
    if (!esc && !hex) continue;  // well-formed UTF-8 passes through
    out.append(s, run, i - run);
    if (esc) out += esc;
    else out += fmt::format("\\x{:02x}", c);
    run = i + 1;
  }
  out.append(s, run, std::string_view::npos);
  out += '"';
}

void append_scalar(std::string& out, std::string_view s, bool flow) {
  if (plain_ok(s, flow)) out += s;
  else append_quoted(out, s);
}

std::string quoted(std::string_view s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

// ---- the emitter -----------------------------------------------------------------------------

Emitter::Emitter() = default;

bool Emitter::before_value(bool block_collection) {
  if (stack_.empty()) {
    if (has_root_) {
      error_ = "a second document root";
      return false;
    }
    has_root_ = true;
    return true;
  }
  Frame& f = stack_.back();
  if (f.map && !f.has_key) {
    error_ = "a map value without a key";
    return false;
  }
  if (f.flow) {
    if (f.count) out_ += ", ";
    if (f.map) {
      out_ += f.key;
      out_ += ": ";
    }
  } else {
    if (f.count == 0 && f.sep_pending) {  // the collection has an item: it is a block
      out_ += '\n';
      f.sep_pending = false;
    }
    if (!(f.count == 0 && f.inline_start)) out_.append(static_cast<std::size_t>(f.indent), ' ');
    if (f.map) {
      out_ += f.key;
      out_ += ':';
      if (!block_collection) out_ += ' ';
    } else {
      out_ += "- ";
    }
  }
  ++f.count;
  f.has_key = false;
  return true;
}

void Emitter::scalar_item(std::string text) {
  if (!stack_.empty() && stack_.back().map && expect_key_) {
    stack_.back().key = std::move(text);
    stack_.back().has_key = true;
    expect_key_ = false;
    return;
  }
  if (!before_value(false)) return;
  out_ += text;
  if (stack_.empty() || !stack_.back().flow) out_ += '\n';
}

void Emitter::begin(bool map) {
  if (!stack_.empty() && stack_.back().map && expect_key_) {
    error_ = "a collection as a map key";
    return;
  }
  const bool in_flow = !stack_.empty() && stack_.back().flow;
  Frame f;
  f.map = map;
  f.flow = flow_next_ || in_flow;
  flow_next_ = false;
  const bool parent_map = !stack_.empty() && stack_.back().map;
  const bool parent_seq = !stack_.empty() && !stack_.back().map;
  if (!before_value(!f.flow)) return;
  if (f.flow) {
    out_ += map ? '{' : '[';
  } else {
    f.indent = stack_.empty() ? 0 : stack_.back().indent + 2;
    f.inline_start = parent_seq;
    f.sep_pending = parent_map;
  }
  stack_.push_back(std::move(f));
}

void Emitter::end(bool map) {
  if (stack_.empty() || stack_.back().map != map) {
    error_ = "an unmatched end of a collection";
    return;
  }
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  const bool in_flow = !stack_.empty() && stack_.back().flow;
  if (f.flow) {
    out_ += map ? '}' : ']';
    if (!in_flow) out_ += '\n';
  } else if (f.count == 0) {
    if (f.sep_pending) out_ += ' ';
    out_ += map ? "{}" : "[]";
    out_ += '\n';
  }
}

Emitter& Emitter::operator<<(Manip m) {
  switch (m) {
    case BeginMap: begin(true); break;
    case BeginSeq: begin(false); break;
    case EndMap: end(true); break;
    case EndSeq: end(false); break;
    case Key: expect_key_ = true; break;
    case Value: break;
    case Flow: flow_next_ = true; break;
    case DoubleQuoted: quote_next_ = true; break;
  }
  return *this;
}

Emitter& Emitter::operator<<(std::string_view s) {
  bool flow = flow_next_ || (!stack_.empty() && stack_.back().flow);
  std::string text = quote_next_ ? quoted(s) : scalar(s, flow);
  quote_next_ = false;
  scalar_item(std::move(text));
  return *this;
}

Emitter& Emitter::operator<<(bool b) {
  scalar_item(b ? "true" : "false");
  return *this;
}

Emitter& Emitter::operator<<(long long v) {
  scalar_item(std::to_string(v));
  return *this;
}

}  // namespace packdb::yaml
