// The `map` block of a data flow (docs/language.md#backfill-map): which row each file becomes.
// Checked here like the rest of the spec, so that `packdbc backfill` never meets a mapping
// that cannot fit the table — only files that do not fit it, which it reports per file.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/check/context.hpp"

namespace packdb::check {
namespace {

const char* source_word(ast::MapSource s) {
  static const char* words[] = {"file", "document", "field", "item", "index", "path", "source"};
  return words[static_cast<int>(s)];
}

bool structured(const std::string& format) { return format == "yaml" || format == "yml" || format == "json"; }

// `{name}` placeholders of a location, with their byte offset in it.
std::vector<std::pair<std::string, std::size_t>> variables(const std::string& location) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (std::size_t b = location.find('{'); b != std::string::npos; b = location.find('{', b + 1)) {
    std::size_t e = location.find('}', b);
    if (e == std::string::npos) break;
    out.push_back({location.substr(b + 1, e - b - 1), b});
  }
  return out;
}

// What a source can fill; empty when any column type will do (checked per file at run time).
std::string fits(ast::MapSource s, const model::SqlType& t) {
  switch (s) {
    case ast::MapSource::file:
    case ast::MapSource::path: return t.is_text() ? "" : "a text column";
    case ast::MapSource::document:
    case ast::MapSource::source: return t.is_json() ? "" : "a json or jsonb column";
    case ast::MapSource::index: return t.is_integer() ? "" : "an integer column";
    default: return "";
  }
}

class MappingResolver {
 public:
  MappingResolver(Context& cx, const ast::DataFlow& af, model::DataFlow& f) : cx_(cx), af_(af), f_(f) {}

  void run() {
    const ast::FlowMap& am = *af_.map;
    if (!af_.into || af_.into->column) {
      auto& d = cx_.diags.error("E0821", am.span,
                                fmt::format("`map` fills rows of a table, but `{}` {}", af_.name.name,
                                            af_.into ? "goes into one column" : "goes into no table"));
      d.help = af_.into ? fmt::format("write `into {}` and map `{} <- document` in the block", af_.into->table.name,
                                      af_.into->column->name)
                        : "add `into TABLE`";
      return;
    }
    if (f_.into_table < 0) return;  // the table is unknown: reported already
    t_ = &cx_.model.tables[f_.into_table];
    model::FlowMapping m;
    m.span = am.span;
    if (am.each) m.each = *am.each;
    if (am.each && !structured(af_.format.name)) unstructured(am.each_span, "each");
    path_variables(m);
    for (const auto& it : am.items) item(it, am.each.has_value(), m);
    required(am);
    if (ok_) f_.mapping = std::move(m);
  }

 private:
  void unstructured(Span at, const char* what) {
    ok_ = false;
    cx_.diags.error("E0825", at, fmt::format("`{}` reads a YAML or JSON document, but `{}` holds {} files", what,
                                             af_.name.name, af_.format.name))
        .help = "map `file` (its whole text) instead, or declare the flow's format `yaml` or `json`";
  }

  void path_variables(model::FlowMapping& m) {
    const model::Table* parent = t_->parent >= 0 ? &cx_.model.tables[t_->parent] : nullptr;
    for (const auto& [name, offset] : variables(af_.location)) {
      // The location literal's first byte is its quote; escapes are rare enough in paths.
      Span at{af_.location_span.file, static_cast<std::uint32_t>(af_.location_span.begin + 1 + offset),
              static_cast<std::uint32_t>(af_.location_span.begin + 1 + offset + name.size() + 2)};
      if (const model::Column* c = t_->column(name); c && settable(*c)) {
        if (c->type.is_json() || c->type.is_vector() || c->type.array_dims > 0) {
          wrong_type(at, fmt::format("path variable `{{{}}}`", name), *c, "a column of a type a path can spell");
          continue;
        }
        fill(name, at);
        m.variables.push_back({name, name, ""});
        continue;
      }
      if (parent && parent->has_column(name) && unique_in(*parent, name)) {
        std::string fk = parent_key();
        fill(fk, at);
        m.variables.push_back({name, fk, name});
        continue;
      }
      ok_ = false;
      std::vector<std::string> names;
      for (const auto& c : t_->columns)
        if (settable(c)) names.push_back(c.name);
      auto& d = cx_.diags.error("E0822", at, fmt::format("path variable `{{{}}}` names no column of `{}`{}", name,
                                                         t_->name, parent ? " nor a unique column of its parent `" +
                                                                                parent->name + "`"
                                                                          : ""));
      if (auto near = closest_name(name, names)) d.help = fmt::format("did you mean `{{{}}}`?", *near);
      else
        d.help = parent ? fmt::format("name a column of `{}`, or a unique column of `{}` to find the parent row",
                                      t_->name, parent->name)
                        : fmt::format("name a column of `{}`", t_->name);
    }
  }

  void item(const ast::MapItem& it, bool each, model::FlowMapping& m) {
    const model::Column* c = t_->column(it.column.name);
    if (!c) {
      ok_ = false;
      std::vector<std::string> names;
      for (const auto& x : t_->columns) names.push_back(x.name);
      cx_.unknown("E0201", it.column, "column", names).message += fmt::format(" in table `{}`", t_->name);
      return;
    }
    if (!settable(*c)) {
      ok_ = false;
      cx_.diags.error("E0823", it.column.span,
                      fmt::format("`{}.{}` is filled by packdbc or the database, not by a map", t_->name, c->name))
          .help = c->origin == model::ColumnOrigin::owner ? "the owner is the user of `packdbc backfill --as-user`"
                  : c->origin == model::ColumnOrigin::parent
                      ? "put a unique column of the parent in the location, such as `{slug}`, to find the parent row"
                      : "leave it out of the map";
      return;
    }
    bool structured_source = it.source == ast::MapSource::field || it.source == ast::MapSource::document ||
                             it.source == ast::MapSource::item;
    if (structured_source && !structured(af_.format.name)) return unstructured(it.source_span, source_word(it.source));
    if ((it.source == ast::MapSource::item || it.source == ast::MapSource::index) && !each) {
      ok_ = false;
      cx_.diags.error("E0825", it.source_span,
                      fmt::format("`{}` is a list element's, but this map reads one row per file", source_word(it.source)))
          .help = "write `map each \"LIST\" { … }` to read one row per element of a list";
      return;
    }
    std::string want = fits(it.source, c->type);
    if (!want.empty()) return wrong_type(it.source_span, fmt::format("`{}`", source_word(it.source)), *c, want);
    std::optional<model::SqlType> declared;
    if (it.type) {
      declared = cx_.resolve_type(*it.type);  // an unknown type is E0202, a bad parameter E0203
      if (!declared) {
        ok_ = false;
        return;
      }
      if (!fills_type(*declared, c->type)) return wrong_field_type(it, *declared, *c);
    }
    if (!fill(c->name, it.column.span)) return;
    m.columns.push_back({c->name, it.source, it.field, declared, it.span});
  }

  // `field "v" as TYPE` where not every value of TYPE fits the column: files would fail.
  void wrong_field_type(const ast::MapItem& it, const model::SqlType& declared, const model::Column& c) {
    ok_ = false;
    std::string also = c.type.is_integer() && c.type.base != "smallint" ? " (or a smaller integer type)"
                       : c.type.is_vector()  ? " (or a list of numbers, such as `real[]`)"
                       : c.type.is_text()    ? " (or any type but json, a list or a vector)"
                       : c.type.is_numeric() ? " (or any number type)"
                                             : "";
    cx_.diags
        .error("E0824", it.type->span,
               fmt::format("`field \"{}\" as {}` cannot fill `{}.{}`, which is {}", it.field, spelling(declared),
                           t_->name, c.name, c.type.sql()))
        .help = fmt::format("declare the field `as {}`{}, if that is what the files hold; or map it to another column",
                            spelling(c.type), also);
  }

  // How a column's type is written in a spec (`double`, not `double precision`).
  static std::string spelling(const model::SqlType& t) {
    std::string out = t.base == "double precision" ? "double" : t.base;
    if (!t.params.empty()) out += fmt::format("({})", fmt::join(t.params, ","));
    for (int i = 0; i < t.array_dims; ++i) out += "[]";
    return out;
  }

  // Every column an insert must give a value is given one: a map that cannot make a valid row
  // is a spec error, not a surprise on every file.
  void required(const ast::FlowMap& am) {
    if (!ok_) return;
    for (const auto& c : t_->columns) {
      if (c.nullable || !c.default_sql.empty() || filled_.count(c.name)) continue;
      if (c.origin == model::ColumnOrigin::owner || c.origin == model::ColumnOrigin::key) continue;
      ok_ = false;
      auto& d = cx_.diags.error("E0823", am.span,
                                fmt::format("the map of `{}` leaves `{}.{}` empty, and it is required", af_.name.name,
                                            t_->name, c.name));
      d.help = c.origin == model::ColumnOrigin::parent
                   ? fmt::format("put a unique column of `{}` in the location, such as `{{slug}}`, to find the parent row",
                                 cx_.model.tables[t_->parent].name)
                   : fmt::format("map `{} <- …`, or give the column a default", c.name);
    }
  }

  void wrong_type(Span at, const std::string& what, const model::Column& c, const std::string& want) {
    ok_ = false;
    cx_.diags.error("E0824", at, fmt::format("{} cannot fill `{}.{}`, which is {}", what, t_->name, c.name, c.type.sql()))
        .help = fmt::format("it fills {}; map a `field` or another column", want);
  }

  bool fill(const std::string& column, Span at) {
    auto [it, fresh] = filled_.emplace(column, at);
    if (fresh) return true;
    ok_ = false;
    cx_.diags.error("E0823", at, fmt::format("`{}.{}` is filled twice by the map of `{}`", t_->name, column, af_.name.name))
        .notes.push_back({it->second, "first filled here"});
    return false;
  }

  static bool settable(const model::Column& c) {
    return c.origin == model::ColumnOrigin::spec || c.origin == model::ColumnOrigin::mixin;
  }

  // Whether `column` alone (or with the owner) is a unique key of `t`: then it finds one row.
  bool unique_in(const model::Table& t, const std::string& column) const {
    for (const auto& u : t.uniques) {
      std::vector<std::string> rest;
      for (const auto& c : u.columns)
        if (c != column && c != cx_.model.profile.owner_column) rest.push_back(c);
      if (rest.empty() && std::find(u.columns.begin(), u.columns.end(), column) != u.columns.end()) return true;
    }
    return false;
  }

  std::string parent_key() const {
    for (const auto& fk : t_->foreign_keys)
      if (fk.to_parent && fk.columns.size() == 1) return fk.columns[0];
    return "";
  }

  Context& cx_;
  const ast::DataFlow& af_;
  model::DataFlow& f_;
  const model::Table* t_ = nullptr;
  std::map<std::string, Span> filled_;
  bool ok_ = true;
};

}  // namespace

void resolve_mapping(Context& cx, const ast::DataFlow& af, model::DataFlow& f) {
  if (af.map) MappingResolver(cx, af, f).run();
}

}  // namespace packdb::check
