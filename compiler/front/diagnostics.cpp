#include "compiler/front/diagnostics.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace packdb {

Diagnostic& Diagnostics::error(std::string code, Span span, std::string message) {
  return add({Severity::error, std::move(code), span, std::move(message), {}, {}});
}

Diagnostic& Diagnostics::warning(std::string code, Span span, std::string message) {
  return add({Severity::warning, std::move(code), span, std::move(message), {}, {}});
}

Diagnostic& Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) ++errors_;
  if (d.severity == Severity::warning) ++warnings_;
  if (errors_ > max_errors) {
    truncated_ = true;
    overflow_ = std::move(d);
    return overflow_;
  }
  list_.push_back(std::move(d));
  return list_.back();
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = list_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    return a.span.begin < b.span.begin;
  });
  return out;
}

static const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

// Replaces tabs, control bytes and invalid UTF-8 so the caret line stays aligned and the
// terminal gets only printable text.
static std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      out.push_back(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= line.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(line.substr(i, len));
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

static void render_snippet(std::string& out, const Source& src, Span span, const std::string& label) {
  LineCol lc = src.line_col(span.begin);
  std::string_view line = src.line_text(lc.line);
  std::string gutter = fmt::format("{}", lc.line);
  std::string pad(gutter.size(), ' ');
  out += fmt::format("{} |\n{} | {}\n", pad, gutter, printable(line));
  std::size_t col0 = lc.col - 1;
  std::size_t width = 1;
  if (span.end > span.begin) {
    // Underline up to the end of the span or the end of the line, whichever is first.
    std::size_t line_rest = line.size() > col0 ? line.size() - col0 : 0;
    width = std::max<std::size_t>(1, std::min<std::size_t>(span.end - span.begin, line_rest));
  }
  // Columns count bytes: UTF-8 continuation bytes take no screen column.
  std::size_t screen_col = 0;
  for (std::size_t i = 0; i < col0 && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++screen_col;
  if (col0 > line.size()) screen_col += col0 - line.size();
  std::size_t screen_width = 0;
  for (std::size_t i = col0; i < col0 + width && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++screen_width;
  screen_width = std::max<std::size_t>(1, screen_width);
  out += fmt::format("{} | {}^{}", pad, std::string(screen_col, ' '), std::string(screen_width - 1, '~'));
  if (!label.empty()) out += " " + label;
  out += "\n";
}

std::string render_one(const Diagnostic& d, const SourceSet& sources, bool color) {
  std::string out;
  const char* sev = severity_name(d.severity);
  if (d.span.file < sources.size()) {
    const Source& src = sources.get(d.span.file);
    LineCol lc = src.line_col(d.span.begin);
    out += fmt::format("{}:{}:{}: {}[{}]: {}\n", src.name(), lc.line, lc.col, sev, d.code, d.message);
    render_snippet(out, src, d.span, "");
  } else {
    out += fmt::format("{}[{}]: {}\n", sev, d.code, d.message);
  }
  for (const Label& n : d.notes) {
    if (n.span.file < sources.size()) {
      const Source& src = sources.get(n.span.file);
      LineCol lc = src.line_col(n.span.begin);
      out += fmt::format("note: {}:{}:{}: {}\n", src.name(), lc.line, lc.col, n.message);
      render_snippet(out, src, n.span, "");
    } else {
      out += fmt::format("note: {}\n", n.message);
    }
  }
  if (!d.help.empty()) out += fmt::format("help: {}\n", d.help);
  (void)color;
  return out;
}

std::string render_text(const Diagnostics& diags, const SourceSet& sources, bool color) {
  std::string out;
  for (const Diagnostic& d : diags.sorted()) out += render_one(d, sources, color);
  if (diags.truncated())
    out += fmt::format("error: too many errors ({} in all); only the first {} are shown\n", diags.error_count(),
                       Diagnostics::max_errors);
  return out;
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

static std::string json_span(const SourceSet& sources, Span span, const std::string& label, bool primary) {
  if (span.file >= sources.size()) return "";
  const Source& src = sources.get(span.file);
  LineCol b = src.line_col(span.begin), e = src.line_col(span.end);
  return fmt::format(
      "{{\"file\":\"{}\",\"byte_start\":{},\"byte_end\":{},\"line_start\":{},\"column_start\":{},\"line_end\":{},"
      "\"column_end\":{},\"is_primary\":{},\"label\":\"{}\"}}",
      json_escape(src.name()), span.begin, span.end, b.line, b.col, e.line, e.col, primary ? "true" : "false",
      json_escape(label));
}

std::string render_json(const Diagnostics& diags, const SourceSet& sources) {
  std::string out = "[";
  bool first = true;
  for (const Diagnostic& d : diags.sorted()) {
    if (!first) out += ",";
    first = false;
    std::string spans;
    std::string s = json_span(sources, d.span, "", true);
    if (!s.empty()) spans += s;
    for (const Label& n : d.notes) {
      std::string ns = json_span(sources, n.span, n.message, false);
      if (ns.empty()) continue;
      if (!spans.empty()) spans += ",";
      spans += ns;
    }
    out += fmt::format("\n  {{\"code\":\"{}\",\"level\":\"{}\",\"message\":\"{}\",\"spans\":[{}],\"help\":{}}}", d.code,
                       severity_name(d.severity), json_escape(d.message), spans,
                       d.help.empty() ? "null" : "\"" + json_escape(d.help) + "\"");
  }
  out += first ? "]" : "\n]";
  return out;
}

static std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (c.size() > name.size() + best_d || name.size() > c.size() + best_d) continue;
    std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace packdb
