// One diagnostic model for every pass: severity, code, primary span, message,
// labelled secondary spans and a help line. Rendered as clang/rustc do, or as JSON.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "compiler/front/source.hpp"

namespace packdb {

enum class Severity { error, warning, note };

struct Label {
  Span span;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;     // e.g. "E0101"; documented in docs/checks.md
  Span span;
  std::string message;  // short, lowercase, no trailing period
  std::vector<Label> notes;
  std::string help;     // the fix, when there is one
};

class Diagnostics {
 public:
  // Stops recording after this many errors so a hostile input cannot flood the output.
  static constexpr std::size_t max_errors = 100;

  Diagnostic& error(std::string code, Span span, std::string message);
  Diagnostic& warning(std::string code, Span span, std::string message);
  Diagnostic& add(Diagnostic d);  // returns the stored diagnostic (or a scratch one past the limit)

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return warnings_; }
  bool truncated() const { return truncated_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  // Sorted by file and position, so output does not depend on pass order.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> list_;
  Diagnostic overflow_;  // receives diagnostics past the limit
  std::size_t errors_ = 0, warnings_ = 0;
  bool truncated_ = false;
};

// "file:line:col: error[CODE]: message", the source line, a ^~~~ underline, notes, help.
std::string render_text(const Diagnostics& diags, const SourceSet& sources, bool color = false);
std::string render_one(const Diagnostic& d, const SourceSet& sources, bool color = false);
// A JSON array of objects with rustc-like fields (code, level, message, spans[], help).
std::string render_json(const Diagnostics& diags, const SourceSet& sources);

// "did you mean" by edit distance; returns the closest candidate within a sensible distance.
std::optional<std::string> closest_name(const std::string& name, const std::vector<std::string>& candidates);

std::string json_escape(std::string_view s);

}  // namespace packdb
