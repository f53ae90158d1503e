#include "compiler/backfill/rows.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "compiler/audit/walk.hpp"
#include "compiler/front/diagnostics.hpp"

namespace packdb::backfill {
namespace {

// Files over this size are rejected unread: a pack's outputs are documents, not dumps.
constexpr std::uintmax_t max_file_size = 64u << 20;

int line_of(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 1; }

const std::regex& json_number() {
  static const std::regex re(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
  return re;
}

// A YAML document's JSON may not grow past this: aliases (`*a`) repeat what they name, and a
// few lines of nested aliases would otherwise expand into gigabytes.
constexpr std::size_t max_json_size = 64u << 20;

// A YAML (or JSON) node as JSON text. Quoted scalars stay strings; plain ones that read as
// JSON numbers, booleans or null become those, as a YAML reader would take them.
void to_json(const YAML::Node& n, std::string& out) {
  if (out.size() > max_json_size)
    throw std::length_error("the document expands (through its aliases) past " + std::to_string(max_json_size) + " bytes");
  if (!n || n.IsNull()) {
    out += "null";
  } else if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    bool plain = n.Tag() != "!";
    if (plain && (s == "true" || s == "false")) out += s;
    else if (plain && std::regex_match(s, json_number())) out += s;
    else out += "\"" + json_escape(s) + "\"";
  } else if (n.IsSequence()) {
    out += '[';
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (i) out += ',';
      to_json(n[i], out);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& kv : n) {
      if (!first) out += ',';
      first = false;
      out += "\"" + json_escape(kv.first.Scalar()) + "\":";
      to_json(kv.second, out);
    }
    out += '}';
  }
}

std::string pg_array_element(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A scalar's text checked against the column's type where packdbc can tell; other types
// (dates, intervals …) are left for PostgreSQL to judge. Returns the reason it does not fit.
std::string check_scalar(const std::string& s, const model::SqlType& t) {
  static const std::regex integer(R"(-?[0-9]{1,18})");
  static const std::regex number(R"(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
  static const std::regex uuid(R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
  if (t.enum_type) {
    const auto& v = t.enum_type->values;
    if (std::find(v.begin(), v.end(), s) != v.end()) return "";
    return fmt::format("`{}` is not a value of enum `{}` ({})", s, t.enum_type->name, fmt::join(v, ", "));
  }
  if (t.is_integer() && !std::regex_match(s, integer)) return fmt::format("`{}` is not an integer", s);
  if (t.is_numeric() && !std::regex_match(s, number)) return fmt::format("`{}` is not a number", s);
  if (t.is_bool() && s != "true" && s != "false") return fmt::format("`{}` is not `true` or `false`", s);
  if (t.is_uuid() && !std::regex_match(s, uuid)) return fmt::format("`{}` is not a uuid", s);
  return "";
}

// A node as the text form of the column's type; the reason it does not fit otherwise. `whose`
// names what wants the type in that reason: the column, or a field's `as TYPE`.
std::string convert(const YAML::Node& n, const model::SqlType& t, std::string& out, const char* whose = "the column is") {
  if (t.is_json()) {
    to_json(n, out);
    return "";
  }
  if (t.is_vector()) {
    if (!n.IsSequence()) return "is not a list of numbers";
    long long want = t.params.empty() ? -1 : t.params[0];
    if (want >= 0 && static_cast<long long>(n.size()) != want)
      return fmt::format("has {} numbers; {} needs {}", n.size(), t.sql(), want);
    out = "[";
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar() || !std::regex_match(n[i].Scalar(), json_number()))
        return fmt::format("has a non-number at position {}", i);
      out += (i ? "," : "") + n[i].Scalar();
    }
    out += "]";
    return "";
  }
  if (t.array_dims > 0) {
    if (!n.IsSequence()) return fmt::format("is not a list, and {} {}", whose, t.sql());
    model::SqlType elem = t;
    elem.array_dims = 0;
    out = "{";
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) return fmt::format("has a non-scalar element at position {}", i);
      if (auto why = check_scalar(n[i].Scalar(), elem); !why.empty()) return why;
      out += (i ? "," : "") + pg_array_element(n[i].Scalar());
    }
    out += "}";
    return "";
  }
  if (!n.IsScalar()) return fmt::format("is a {}, and {} {}", n.IsSequence() ? "list" : "mapping", whose, t.sql());
  out = n.Scalar();
  return check_scalar(out, t);
}

// `a.b.0.c`: mappings by key, lists by position. A missing step gives an undefined node.
YAML::Node at_path(const YAML::Node& root, const std::string& path) {
  if (path.empty() || path == ".") return root;
  YAML::Node cur = root;
  std::size_t b = 0;
  while (b <= path.size()) {
    std::size_t e = path.find('.', b);
    std::string step = path.substr(b, e == std::string::npos ? std::string::npos : e - b);
    const YAML::Node c = cur;
    // Built by copy, never by `=`: a missing key gives an invalid node, which yaml-cpp lets
    // one copy and test but not assign.
    const YAML::Node next = c.IsMap() ? c[step]
                            : c.IsSequence() && !step.empty() && step.size() < 10 &&
                                      std::all_of(step.begin(), step.end(), ::isdigit) && std::stoul(step) < c.size()
                                ? c[std::stoul(step)]
                                : YAML::Node(YAML::NodeType::Undefined);
    if (!next) return YAML::Node(YAML::NodeType::Undefined);
    // reset(), not `=`: assigning to a node that refers into a tree writes into that tree.
    cur.reset(next);
    if (!cur) return cur;
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return cur;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || c == 0 || i + n >= s.size() + (n == 0)) return false;
    for (int k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n + 1;
  }
  return true;
}

class FileReader {
 public:
  // `captures`: the values of the location's path variables in this file's path, in order.
  FileReader(const model::Model& m, const model::DataFlow& f, FileRows& out, const std::vector<std::string>& captures)
      : m_(m), f_(f), t_(m.tables[f.into_table]), out_(out), captures_(captures) {}

  void read(const std::string& text) {
    const model::FlowMapping& map = *f_.mapping;
    YAML::Node doc;
    if (structured()) {
      try {
        doc.reset(YAML::Load(text));
      } catch (const YAML::Exception& e) {
        reject(e.mark.line >= 0 ? e.mark.line + 1 : 1, fmt::format("not valid {}: {}", f_.format, e.msg));
        return;
      }
    }
    if (map.each.empty()) {
      Row r;
      if (fill(r, text, doc, YAML::Node(), 0)) out_.rows.push_back(std::move(r));
      return;
    }
    YAML::Node list = at_path(doc, map.each);
    if (!list || !list.IsSequence()) {
      reject(list ? line_of(list) : 1, list ? fmt::format("`{}` is not a list", map.each)
                                            : fmt::format("there is no list `{}`", map.each));
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      Row r;
      if (!fill(r, text, doc, list[i], static_cast<int>(i))) return;
      out_.rows.push_back(std::move(r));
    }
  }

 private:
  bool structured() const { return f_.format == "yaml" || f_.format == "yml" || f_.format == "json"; }

  bool reject(int line, std::string why) {
    out_.rows.clear();
    out_.rejection = Rejection{out_.file, line, std::move(why)};
    return false;
  }

  bool fill(Row& r, const std::string& text, const YAML::Node& doc, const YAML::Node& elem, int index) {
    bool each = !f_.mapping->each.empty();
    r.line = each ? line_of(elem) : 1;
    for (std::size_t i = 0; i < captures_.size() && i < f_.mapping->variables.size(); ++i) {
      const model::PathVariable& v = f_.mapping->variables[i];
      const std::string& value = captures_[i];
      if (!v.parent_column.empty()) {
        const model::Table& parent = m_.tables[t_.parent];
        if (auto why = check_scalar(value, parent.column(v.parent_column)->type); !why.empty())
          return reject(1, fmt::format("path variable `{{{}}}`: {}", v.name, why));
        r.parent_column = v.parent_column;
        r.parent_value = value;
        r.key_column = v.column;
        continue;
      }
      if (auto why = check_scalar(value, t_.column(v.column)->type); !why.empty())
        return reject(1, fmt::format("path variable `{{{}}}`: {}", v.name, why));
      r.values.push_back({v.column, value, false});
    }
    for (const auto& mc : f_.mapping->columns) {
      const model::Column& c = *t_.column(mc.column);
      Value v{mc.column, "", false};
      switch (mc.source) {
        case ast::MapSource::file:
          if (!valid_utf8(text)) return reject(1, "not UTF-8 text");
          v.text = text;
          break;
        case ast::MapSource::path: v.text = out_.file; break;
        case ast::MapSource::index: v.text = std::to_string(index); break;
        case ast::MapSource::source:
          v.text = fmt::format("{{\"file\":\"{}\",\"line\":{}}}", json_escape(out_.file), r.line);
          break;
        case ast::MapSource::document: to_json(doc, v.text); break;
        case ast::MapSource::item:
        case ast::MapSource::field: {
          YAML::Node base = mc.source == ast::MapSource::item || each ? elem : doc;
          YAML::Node n = mc.source == ast::MapSource::item ? base : at_path(base, mc.field);
          std::string what = mc.source == ast::MapSource::item ? "the element" : fmt::format("field `{}`", mc.field);
          if (!n || n.IsNull()) {
            if (c.nullable) {
              v.null = true;
              if (c.type.is_vector()) r.lacking.push_back(c.name);
              break;
            }
            if (!c.default_sql.empty()) continue;  // the column's default applies
            return reject(n ? line_of(n) : r.line,
                          fmt::format("{} is missing, and `{}.{}` is required", what, t_.name, c.name));
          }
          if (mc.type) {  // `field "v" as TYPE`: the file holds the spec to its word first
            std::string ignored;
            if (auto why = convert(n, *mc.type, ignored, "the spec declares it"); !why.empty())
              return reject(line_of(n), fmt::format("{}{}{}", what, why.front() == '`' ? ": " : " ", why));
          }
          if (auto why = convert(n, c.type, v.text); !why.empty())
            return reject(line_of(n), fmt::format("{}{}{}", what, why.front() == '`' ? ": " : " ", why));
          break;
        }
      }
      r.values.push_back(std::move(v));
    }
    return true;
  }

  const model::Model& m_;
  const model::DataFlow& f_;
  const model::Table& t_;
  FileRows& out_;
  const std::vector<std::string>& captures_;
};

std::string escape_regex(char c) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  return special.find(c) != std::string::npos ? std::string("\\") + c : std::string(1, c);
}

}  // namespace

std::string location_regex(const std::string& location, std::vector<std::string>& variables) {
  std::string re;
  for (std::size_t i = 0; i < location.size(); ++i) {
    char c = location[i];
    std::size_t close = c == '{' ? location.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      variables.push_back(location.substr(i + 1, close - i - 1));
      re += "([^/]+?)";
      i = close;
    } else if (c == '*') {
      re += "[^/]*";
    } else {
      re += escape_regex(c);
    }
  }
  if (!location.empty() && location.back() == '/') re += "[^/]+";
  return re;
}

Plan plan(const model::Model& m, const std::string& pack_dir, const std::function<void(const std::string&)>& progress) {
  Plan out;
  std::vector<const model::DataFlow*> flows;
  for (const auto& f : m.flows) {
    if (f.mapping) flows.push_back(&f);
    else if (f.into_table >= 0) out.unmapped.push_back(f.name);
  }
  // Parents' rows first, so that a child's path variable finds its parent inserted this run.
  std::stable_sort(flows.begin(), flows.end(),
                   [](const model::DataFlow* a, const model::DataFlow* b) { return a->into_table < b->into_table; });
  auto walk = audit::walk_pack(pack_dir, progress);
  for (const auto& s : walk.skipped) out.notes.push_back(fmt::format("{}: {}", s.path, s.reason));
  std::size_t done = 0, total = 0;
  struct Match {
    std::string path;
    std::vector<std::string> captures;
  };
  std::vector<std::pair<const model::DataFlow*, std::vector<Match>>> matched;
  for (const model::DataFlow* f : flows) {
    std::vector<std::string> vars;
    std::regex re(location_regex(f->location, vars));
    auto& list = matched.emplace_back(f, std::vector<Match>{}).second;
    std::smatch sm;
    for (const auto& file : walk.files) {
      if (!std::regex_match(file.path, sm, re)) continue;
      Match mt{file.path, {}};
      for (std::size_t i = 1; i < sm.size(); ++i) mt.captures.push_back(sm[i].str());
      list.push_back(std::move(mt));
    }
    total += list.size();
  }
  for (const auto& [f, list] : matched) {
    for (const auto& mt : list) {
      FileRows fr;
      fr.flow = f;
      fr.table = f->into_table;
      fr.file = mt.path;
      std::string why;
      auto text = audit::read_text_file(std::filesystem::path(pack_dir) / mt.path, max_file_size, why);
      if (!text) fr.rejection = Rejection{mt.path, 1, why};
      else {
        try {
          FileReader(m, *f, fr, mt.captures).read(*text);
        } catch (const std::exception& e) {  // yaml-cpp throws on what its checks missed: a rejection, not a crash
          fr.rows.clear();
          fr.rejection = Rejection{mt.path, 1, e.what()};
        }
      }
      out.files.push_back(std::move(fr));
      if (progress && total >= 100 && (++done % 100 == 0 || done == total))
        progress(fmt::format("{}/{} files read", done, total));
    }
  }
  return out;
}

}  // namespace packdb::backfill
