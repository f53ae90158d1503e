// Types: column types, literal values against a column type, and predicates — each
// type-checked and turned into SQL. An enum literal that is not a value of its enum
// is an error here (the seed's own design has `where status = 'active'`).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "compiler/check/context.hpp"

namespace packdb::check {
namespace {

struct BuiltinType {
  const char* spelling;
  const char* canonical;
  int max_params;
};

constexpr BuiltinType builtin_types[] = {
    {"text", "text", 0},         {"varchar", "varchar", 1},       {"char", "char", 1},
    {"int", "integer", 0},       {"integer", "integer", 0},       {"int4", "integer", 0},
    {"bigint", "bigint", 0},     {"int8", "bigint", 0},           {"smallint", "smallint", 0},
    {"int2", "smallint", 0},     {"bool", "boolean", 0},          {"boolean", "boolean", 0},
    {"uuid", "uuid", 0},         {"jsonb", "jsonb", 0},           {"json", "json", 0},
    {"timestamptz", "timestamptz", 0}, {"timestamp", "timestamp", 0}, {"date", "date", 0},
    {"time", "time", 0},         {"interval", "interval", 0},     {"numeric", "numeric", 2},
    {"decimal", "numeric", 2},   {"real", "real", 0},             {"float4", "real", 0},
    {"double", "double precision", 0}, {"float8", "double precision", 0}, {"bytea", "bytea", 0},
    {"inet", "inet", 0},         {"vector", "vector", 1},
};

const char* type_word(const model::SqlType& t) {
  if (t.array_dims) return "an array";
  if (t.enum_type) return "an enum";
  if (t.is_vector()) return "a vector";
  if (t.is_text()) return "text";
  if (t.is_integer()) return "an integer";
  if (t.is_numeric()) return "a number";
  if (t.is_bool()) return "a boolean";
  if (t.is_uuid()) return "a uuid";
  if (t.is_json()) return "json";
  if (t.is_temporal()) return "a date/time";
  return "a value";
}

bool is_uuid_text(const std::string& s) {
  static const std::regex re("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(s, re);
}

// Two column types that may be compared with each other.
bool comparable(const model::SqlType& a, const model::SqlType& b) {
  if (a.enum_type || b.enum_type) return a.enum_type == b.enum_type;
  if (a.is_numeric() && b.is_numeric()) return true;
  if (a.is_text() && b.is_text()) return true;
  if (a.is_temporal() && b.is_temporal()) return true;
  return a == b;
}

// The rank of an integer type: a smaller one's values are all values of a larger one.
int integer_rank(const model::SqlType& t) { return t.base == "smallint" ? 1 : t.base == "integer" ? 2 : 3; }

bool scalar_fills(const model::SqlType& from, const model::SqlType& to) {
  if (from == to) return true;
  if (from.enum_type || to.enum_type) return to.is_text() && from.enum_type;  // a value's name is text
  if (to.is_text()) return !from.is_json();                                  // every scalar has a text form
  if (to.is_integer()) return from.is_integer() && integer_rank(from) <= integer_rank(to);
  if (to.is_numeric()) return from.is_numeric();
  if (to.base == "timestamptz" || to.base == "timestamp")
    return from.base == "date" || from.base == "timestamp" || from.base == "timestamptz";
  return false;
}

}  // namespace

bool fills_type(const model::SqlType& from, const model::SqlType& to) {
  if (to.is_json()) return true;    // any value of a document is json
  if (from.is_json()) return false; // and a json value may be anything
  if (to.is_vector())               // a vector of the same size, or a list of numbers (its size checked per file)
    return from.is_vector() ? from.params == to.params : from.array_dims == 1 && !from.enum_type && [&] {
      model::SqlType e = from;
      e.array_dims = 0;
      return e.is_numeric();
    }();
  if (from.is_vector()) return false;
  if (from.array_dims != to.array_dims) return false;
  model::SqlType f = from, t = to;
  f.array_dims = t.array_dims = 0;
  return scalar_fills(f, t);
}

std::vector<std::string> Context::spec_table_names() const {
  std::vector<std::string> names;
  names.reserve(spec_tables.size());
  for (const auto& [k, v] : spec_tables) names.push_back(k);
  std::sort(names.begin(), names.end());
  return names;
}

const model::CatalogTable* Context::catalog_table(const std::string& name) const {
  return catalog ? catalog->table(model.profile.schema, name) : nullptr;
}

Diagnostic& Context::unknown(const std::string& code, const ast::Ident& id, const std::string& what,
                             const std::vector<std::string>& candidates) {
  auto& d = diags.error(code, id.span, fmt::format("unknown {} `{}`", what, id.name));
  if (auto near = closest_name(id.name, candidates)) d.help = fmt::format("did you mean `{}`?", *near);
  return d;
}

std::optional<model::SqlType> Context::resolve_type(const ast::TypeRef& t) {
  model::SqlType out;
  out.params = t.params;
  out.array_dims = t.array_dims;
  if (const model::Enum* e = model.find_enum(t.name.name)) {
    if (!t.params.empty()) {
      diags.error("E0203", t.span, fmt::format("enum type `{}` takes no parameters", t.name.name));
      return std::nullopt;
    }
    out.base = e->name;
    out.enum_type = e;
    return out;
  }
  for (const auto& b : builtin_types) {
    if (t.name.name != b.spelling) continue;
    out.base = b.canonical;
    if (static_cast<int>(t.params.size()) > b.max_params) {
      diags.error("E0203", t.span,
                  b.max_params == 0
                      ? fmt::format("type `{}` takes no parameters", t.name.name)
                      : fmt::format("type `{}` takes at most {} parameter{}", t.name.name, b.max_params,
                                    b.max_params == 1 ? "" : "s"));
      return std::nullopt;
    }
    if (out.base == "vector") {
      if (t.params.size() != 1 || t.params[0] < 1 || t.params[0] > 16000) {
        diags.error("E0203", t.span, "a vector type needs its dimension, from 1 to 16000, as in `vector(1536)`");
        return std::nullopt;
      }
      if (t.array_dims) {
        diags.error("E0203", t.span, "arrays of vectors are not supported");
        return std::nullopt;
      }
    }
    return out;
  }
  std::vector<std::string> names;
  for (const auto& b : builtin_types) names.emplace_back(b.spelling);
  for (const auto& e : model.enums) names.push_back(e.name);
  auto& d = diags.error("E0202", t.name.span, fmt::format("unknown type `{}`", t.name.name));
  if (auto near = closest_name(t.name.name, names)) d.help = fmt::format("did you mean `{}`?", *near);
  else d.help = "use a PostgreSQL type (text, int, bigint, uuid, jsonb, timestamptz, vector(N), …) or an enum of the spec";
  return std::nullopt;
}

std::optional<std::string> Context::value_sql(const ast::Expr& e, const model::SqlType& want, const std::string& what) {
  auto mismatch = [&](const char* got) -> std::optional<std::string> {
    diags.error("E0204", e.span, fmt::format("mismatched types: {} is {}, but this is {}", what, type_word(want), got));
    return std::nullopt;
  };
  auto enum_value = [&](const std::string& v) -> std::optional<std::string> {
    const auto& vals = want.enum_type->values;
    if (std::find(vals.begin(), vals.end(), v) == vals.end()) {
      auto& d = diags.error("E0205", e.span,
                            fmt::format("`{}` is not a value of enum `{}`", v, want.enum_type->name));
      if (auto near = closest_name(v, vals)) d.help = fmt::format("did you mean `{}`?", *near);
      else d.help = fmt::format("the values are: {}", fmt::join(vals, ", "));
      return std::nullopt;
    }
    return model::quote_literal(v);
  };
  switch (e.kind) {
    case ast::ExprKind::null_lit: return std::string("null");
    case ast::ExprKind::string_lit:
      if (want.enum_type) return enum_value(e.text);
      if (want.array_dims) return model::quote_literal(e.text);
      if (want.is_text()) return model::quote_literal(e.text);
      if (want.is_uuid()) {
        if (!is_uuid_text(e.text)) {
          diags.error("E0204", e.span, fmt::format("`{}` is not a valid uuid", e.text));
          return std::nullopt;
        }
        return model::quote_literal(e.text) + "::uuid";
      }
      if (want.is_temporal() || want.is_json() || want.base == "inet" || want.base == "bytea")
        return model::quote_literal(e.text) + "::" + want.base;
      return mismatch("a string");
    case ast::ExprKind::number_lit:
      if (want.is_integer() && e.text.find('.') != std::string::npos) return mismatch("a decimal number");
      if (want.is_numeric()) return e.text;
      return mismatch("a number");
    case ast::ExprKind::bool_lit:
      if (want.is_bool()) return e.text;
      return mismatch("a boolean");
    case ast::ExprKind::name:
      if (want.enum_type) return enum_value(e.text);
      diags.error("E0204", e.span,
                  fmt::format("expected a value for {}, found the name `{}`", what, e.text))
          .help = want.is_text() ? "write text in quotes" : "";
      return std::nullopt;
    case ast::ExprKind::call: {
      static const std::map<std::string, std::string> functions = {{"now", "timestamptz"},
                                                                   {"current_timestamp", "timestamptz"},
                                                                   {"current_date", "date"},
                                                                   {"gen_random_uuid", "uuid"}};
      auto it = functions.find(e.text);
      if (it == functions.end()) {
        std::vector<std::string> names;
        for (const auto& [k, v] : functions) names.push_back(k);
        auto& d = diags.error("E0206", e.span, fmt::format("unknown function `{}` in a default value", e.text));
        if (auto near = closest_name(e.text, names)) d.help = fmt::format("did you mean `{}()`?", *near);
        return std::nullopt;
      }
      if (!e.args.empty()) {
        diags.error("E0206", e.span, fmt::format("`{}()` takes no arguments", e.text));
        return std::nullopt;
      }
      bool ok = it->second == "uuid" ? want.is_uuid() : want.is_temporal();
      if (!ok) return mismatch(it->second == "uuid" ? "a uuid" : "a date/time");
      return e.text + "()";
    }
    default:
      diags.error("E0204", e.span, fmt::format("expected a literal value for {}", what));
      return std::nullopt;
  }
}

std::optional<std::string> Context::column_of(const model::Table& t, const ast::Ident& name) {
  if (name.name == "owner") {
    if (t.owned) return model.profile.owner_column;
    diags.error("E0207", name.span, fmt::format("table `{}` has no owner", t.name)).help =
        "declare the table `owned by user`, or name a column";
    return std::nullopt;
  }
  if (t.has_column(name.name)) return name.name;
  // A parent or linked table's name stands for its foreign-key column.
  for (const auto& fk : t.foreign_keys)
    if (fk.ref_table == name.name && fk.columns.size() == 1) return fk.columns[0];
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  unknown("E0201", name, "column", names).message += fmt::format(" in table `{}`", t.name);
  return std::nullopt;
}

std::vector<std::string> Context::equality_columns(const ast::Expr& e, const model::Table& t,
                                                   const model::Profile& p) {
  std::vector<std::string> out;
  auto name_of = [&](const ast::Expr& x) -> std::optional<std::string> {
    if (x.kind != ast::ExprKind::name) return std::nullopt;
    if (x.text == "owner" && t.owned) return p.owner_column;
    if (t.has_column(x.text)) return x.text;
    for (const auto& fk : t.foreign_keys)
      if (fk.ref_table == x.text && fk.columns.size() == 1) return fk.columns[0];
    return std::nullopt;
  };
  for (const ast::Expr* x : conjuncts(e)) {
    if (x->kind != ast::ExprKind::binary || x->text != "=") continue;
    if (auto n = name_of(*x->args[0])) out.push_back(*n);
    else if (auto m = name_of(*x->args[1])) out.push_back(*m);
  }
  return out;
}

std::vector<const ast::Expr*> conjuncts(const ast::Expr& e) {
  std::vector<const ast::Expr*> out;
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == ast::ExprKind::binary && x->text == "and") {
      stack.push_back(x->args[1].get());
      stack.push_back(x->args[0].get());
    } else {
      out.push_back(x);
    }
  }
  return out;
}

namespace {

struct Operand {
  std::string sql;
  std::optional<model::SqlType> type;  // none: a literal or parameter still to be typed
  const ast::Expr* expr = nullptr;
};

class PredicateTyper {
 public:
  PredicateTyper(Context& cx, Scope& scope) : cx_(cx), scope_(scope) {}

  std::optional<std::string> boolean(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::binary:
        if (e.text == "and" || e.text == "or") {
          auto a = boolean(*e.args[0]);
          auto b = boolean(*e.args[1]);
          if (!a || !b) return std::nullopt;
          return fmt::format("({} {} {})", *a, e.text, *b);
        }
        return comparison(e);
      case ast::ExprKind::unary_not: {
        auto a = boolean(*e.args[0]);
        if (!a) return std::nullopt;
        return fmt::format("(not {})", *a);
      }
      case ast::ExprKind::is_null: {
        auto a = operand(*e.args[0]);
        if (!a) return std::nullopt;
        if (!a->type) return error(e, "`is null` needs a column on its left");
        return fmt::format("{} is {}null", a->sql, e.negated ? "not " : "");
      }
      case ast::ExprKind::in_list: {
        auto a = operand(*e.args[0]);
        if (!a) return std::nullopt;
        if (!a->type) return error(*e.args[0], "`in` needs a column on its left");
        std::vector<std::string> items;
        bool ok = true;
        for (std::size_t i = 1; i < e.args.size(); ++i) {
          auto v = typed(*e.args[i], *a->type, a->sql);
          if (v) items.push_back(*v);
          else ok = false;
        }
        if (!ok) return std::nullopt;
        return fmt::format("{} in ({})", a->sql, fmt::join(items, ", "));
      }
      case ast::ExprKind::bool_lit: return e.text;
      case ast::ExprKind::name: {
        auto a = operand(e);
        if (!a) return std::nullopt;
        if (!a->type || !a->type->is_bool())
          return error(e, fmt::format("`{}` is not a boolean; compare it with a value", e.text));
        return a->sql;
      }
      default: return error(e, "expected a condition");
    }
  }

 private:
  std::optional<std::string> error(const ast::Expr& e, const std::string& msg) {
    cx_.diags.error("E0204", e.span, msg);
    return std::nullopt;
  }

  // A column (or parent, or `owner`), `me`, a parameter, or a literal awaiting its type.
  std::optional<Operand> operand(const ast::Expr& e) {
    const model::Table& t = *scope_.table;
    switch (e.kind) {
      case ast::ExprKind::name: {
        if (e.text == "owner" && t.owned) return column_operand(cx_.model.profile.owner_column);
        if (t.has_column(e.text)) return column_operand(e.text);
        for (const auto& fk : t.foreign_keys)
          if (fk.ref_table == e.text && fk.columns.size() == 1) return column_operand(fk.columns[0]);
        return Operand{"", std::nullopt, &e};  // maybe an enum value; decided by the other side
      }
      case ast::ExprKind::me: {
        if (!scope_.allow_me) {
          error(e, "`me` (the signed-in user) can only be used in queries");
          return std::nullopt;
        }
        model::SqlType u;
        u.base = "uuid";
        return Operand{cx_.model.profile.current_user_sql, u, &e};
      }
      case ast::ExprKind::param:
        if (!scope_.allow_params) {
          error(e, fmt::format("parameter `${}` is not allowed here; parameters belong in queries and searches", e.text));
          return std::nullopt;
        }
        return Operand{"", std::nullopt, &e};
      case ast::ExprKind::call:
        if ((e.text == "now" || e.text == "current_timestamp") && e.args.empty()) {
          model::SqlType ts;
          ts.base = "timestamptz";
          return Operand{"now()", ts, &e};
        }
        error(e, fmt::format("unknown function `{}` in a condition", e.text));
        return std::nullopt;
      case ast::ExprKind::string_lit:
      case ast::ExprKind::number_lit:
      case ast::ExprKind::bool_lit:
      case ast::ExprKind::null_lit: return Operand{"", std::nullopt, &e};
      default: error(e, "expected a column or a value"); return std::nullopt;
    }
  }

  Operand column_operand(const std::string& name) {
    const model::Column* c = scope_.table->column(name);
    return Operand{scope_.prefix + model::quote_ident(name), c->type, nullptr};
  }

  // Renders an untyped operand (literal, parameter, enum value) as a value of `want`.
  std::optional<std::string> typed(const ast::Expr& e, const model::SqlType& want, const std::string& against) {
    if (e.kind == ast::ExprKind::param) {
      auto& params = *scope_.params;
      for (const auto& p : params)
        if (p.name == e.text) {
          if (!(p.type == want)) return error(e, fmt::format("parameter `${}` is used with two different types", e.text));
          return scope_.param_prefix + p.name;
        }
      params.push_back({e.text, want});
      return scope_.param_prefix + e.text;
    }
    if (e.kind == ast::ExprKind::name && !want.enum_type) {
      std::vector<std::string> names;
      for (const auto& c : scope_.table->columns) names.push_back(c.name);
      cx_.unknown("E0201", {e.text, e.span}, "column", names).message +=
          fmt::format(" in table `{}`", scope_.table->name);
      return std::nullopt;
    }
    if (e.kind == ast::ExprKind::null_lit) return error(e, "compare with `is null`, not `= null`");
    return cx_.value_sql(e, want, against.empty() ? "the column" : fmt::format("`{}`", against));
  }

  std::optional<std::string> comparison(const ast::Expr& e) {
    auto a = operand(*e.args[0]);
    auto b = operand(*e.args[1]);
    if (!a || !b) return std::nullopt;
    if (!a->type && !b->type) {
      // Neither side is a column: an unknown name is the likely cause.
      const ast::Expr& side = e.args[0]->kind == ast::ExprKind::name ? *e.args[0] : *e.args[1];
      if (side.kind == ast::ExprKind::name) {
        std::vector<std::string> names;
        for (const auto& c : scope_.table->columns) names.push_back(c.name);
        cx_.unknown("E0201", {side.text, side.span}, "column", names).message +=
            fmt::format(" in table `{}`", scope_.table->name);
        return std::nullopt;
      }
      return error(e, "a comparison needs a column on one side");
    }
    std::string ls = a->sql, rs = b->sql;
    if (!a->type) {
      auto v = typed(*a->expr, *b->type, b->sql);
      if (!v) return std::nullopt;
      ls = *v;
    } else if (!b->type) {
      auto v = typed(*b->expr, *a->type, a->sql);
      if (!v) return std::nullopt;
      rs = *v;
    } else if (!comparable(*a->type, *b->type)) {
      return error(e, fmt::format("mismatched types: cannot compare {} with {}", type_word(*a->type),
                                  type_word(*b->type)));
    }
    std::string op = e.text == "!=" ? "<>" : e.text;
    const model::SqlType& t = a->type ? *a->type : *b->type;
    if (op != "=" && op != "<>" && (t.enum_type == nullptr) && (t.is_bool() || t.is_json() || t.is_vector()))
      return error(e, fmt::format("`{}` does not apply to {}", e.text, type_word(t)));
    return fmt::format("{} {} {}", ls, op, rs);
  }

  Context& cx_;
  Scope& scope_;
};

}  // namespace

std::optional<std::string> Context::predicate_sql(const ast::Expr& e, Scope& scope) {
  std::vector<model::Param> local;
  if (!scope.params) scope.params = &local;
  PredicateTyper typer(*this, scope);
  auto out = typer.boolean(e);
  if (scope.params == &local) scope.params = nullptr;
  // Outer parentheses of a top-level and/or add nothing.
  if (out && out->size() > 2 && out->front() == '(' && out->back() == ')') {
    int depth = 0;
    bool wraps = true;
    for (std::size_t i = 0; i < out->size(); ++i) {
      depth += (*out)[i] == '(' ? 1 : (*out)[i] == ')' ? -1 : 0;
      if (depth == 0 && i + 1 < out->size()) wraps = false;
    }
    if (wraps) *out = out->substr(1, out->size() - 2);
  }
  return out;
}

std::string singular(const std::string& plural) {
  auto ends = [&](const char* s) {
    std::string suf(s);
    return plural.size() > suf.size() && plural.compare(plural.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (ends("ies")) return plural.substr(0, plural.size() - 3) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes")) return plural.substr(0, plural.size() - 2);
  if (ends("ss") || ends("us") || ends("is")) return plural;
  if (ends("s")) return plural.substr(0, plural.size() - 1);
  return plural;
}

std::string fit_name(const std::string& name) {
  if (name.size() <= 63) return name;
  // FNV-1a keeps the shortened name stable across runs and platforms.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return name.substr(0, 54) + fmt::format("_{:08x}", h);
}

}  // namespace packdb::check
