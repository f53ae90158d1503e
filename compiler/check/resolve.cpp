// The resolver's driver and its first pass: the pack header, the target's profile,
// enums and tables (columns, keys, uniques, checks, indexes) in dependency order.
#include "compiler/check/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <regex>

#include "compiler/check/context.hpp"
#include "compiler/front/parse.hpp"

namespace packdb::check {
namespace {

std::string setting_text(const ast::Setting& s) { return s.value ? s.value->text : ""; }

// Names must be plain lower-case SQL identifiers within PostgreSQL's 63 bytes.
void check_identifier(Context& cx, const ast::Ident& id, const char* what) {
  if (id.name.size() > max_identifier_bytes) {
    cx.diags.error("E0105", id.span,
                   fmt::format("{} name is {} bytes long; PostgreSQL keeps only 63", what, id.name.size()))
        .help = "choose a shorter name";
    return;
  }
  bool lower = std::all_of(id.name.begin(), id.name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!lower) {
    std::string fixed;
    for (char c : id.name) {
      if (c >= 'A' && c <= 'Z') {
        if (!fixed.empty() && fixed.back() != '_') fixed += '_';
        fixed += static_cast<char>(c - 'A' + 'a');
      } else {
        fixed += c;
      }
    }
    cx.diags.error("E0104", id.span, fmt::format("{} name `{}` is not lower snake_case", what, id.name)).help =
        fmt::format("PostgreSQL folds unquoted names to lower case; write `{}`", fixed);
    return;
  }
  if (model::is_sql_reserved(id.name)) {
    cx.diags.warning("W0106", id.span, fmt::format("`{}` is a reserved word in SQL; it will be quoted", id.name)).help =
        "every query will have to quote it too; a different name is kinder to users of the database";
  }
}

void apply_profile_settings(Context& cx, const std::vector<ast::Setting>& settings) {
  model::Profile& p = cx.model.profile;
  std::map<std::string, std::string*> text = {
      {"schema", &p.schema},           {"key_column", &p.key_column},     {"key_type", &p.key_type},
      {"key_default", &p.key_default}, {"created_column", &p.created_column},
      {"updated_column", &p.updated_column}, {"owner_column", &p.owner_column}, {"user_table", &p.user_table},
      {"user_key", &p.user_key},       {"current_user", &p.current_user_sql}, {"owner_default", &p.owner_default},
      {"extension_schema", &p.extension_schema}, {"user_role", &p.user_role}, {"anon_role", &p.anon_role},
      {"service_role", &p.service_role}, {"jwt_sub_setting", &p.jwt_sub_setting}};
  for (const auto& s : settings) {
    if (s.key.name == "require_rls" || s.key.name == "grant_tables") {
      (s.key.name == "require_rls" ? p.require_rls : p.grant_tables) = s.value->text == "true";
      continue;
    }
    auto it = text.find(s.key.name);
    if (it == text.end()) {
      std::vector<std::string> names{"require_rls", "grant_tables"};
      for (const auto& [k, v] : text) names.push_back(k);
      cx.unknown("E0110", s.key, "profile setting", names);
      continue;
    }
    *it->second = setting_text(s);
  }
}

model::SqlType key_type(const model::Profile& p) {
  model::SqlType t;
  t.base = p.key_type;
  return t;
}

const char* method_word(ast::IndexMethod m) {
  switch (m) {
    case ast::IndexMethod::unspecified:
    case ast::IndexMethod::btree: return "btree";
    case ast::IndexMethod::hash: return "hash";
    case ast::IndexMethod::gin: return "gin";
    case ast::IndexMethod::gist: return "gist";
    case ast::IndexMethod::brin: return "brin";
    case ast::IndexMethod::hnsw: return "hnsw";
    case ast::IndexMethod::ivfflat: return "ivfflat";
  }
  return "btree";
}

class TableResolver {
 public:
  TableResolver(Context& cx, const ast::File& spec) : cx_(cx), spec_(spec) {}

  void run() {
    order_tables();
    for (const ast::Table* t : ordered_) build(*t);
    // Extended tables come after the spec's own (indexes stay aligned with ordered_), and
    // before constraints, so a column may reference an extended table.
    for (const auto& x : spec_.extends) extend(x);
    for (std::size_t i = 0; i < ordered_.size(); ++i) constraints(*ordered_[i], cx_.model.tables[i]);
    for (auto& t : cx_.model.tables) index_foreign_keys(t);
  }

 private:
  // Parents (and referenced or linked tables) before the tables that point at them.
  void order_tables() {
    std::unordered_map<std::string, int> state;  // 0 new, 1 visiting, 2 done
    std::function<int(const ast::Table&, std::vector<const ast::Table*>&)> visit;
    visit = [&](const ast::Table& t, std::vector<const ast::Table*>& path) -> int {
      int& st = state[t.name.name];
      if (st == 2) return depth_[t.name.name];
      if (st == 1) {
        auto& d = cx_.diags.error("E0301", t.name.span, fmt::format("table `{}` is its own ancestor", t.name.name));
        std::string chain;
        for (const ast::Table* p : path) chain += p->name.name + " → ";
        d.notes.push_back({path.back()->span, fmt::format("the chain: {}{}", chain, t.name.name)});
        d.help = "a child-of (`in PARENT`), `links` or `references` chain must end at a root table";
        cx_.poisoned.insert(t.name.name);
        return 0;
      }
      st = 1;
      path.push_back(&t);
      int depth = 0;
      auto dep = [&](const ast::Ident& name, bool deeper) {
        auto it = cx_.spec_tables.find(name.name);
        if (it == cx_.spec_tables.end() || it->second == &t) return;
        int d = visit(*it->second, path);
        depth = std::max(depth, d + (deeper ? 1 : 0));
      };
      if (t.parent) dep(*t.parent, true);
      for (const auto& l : t.links) dep(l, true);
      auto refs = [&](const ast::TableBody& b) {
        for (const auto& c : b.columns)
          if (c.references) dep(c.references->table, false);
      };
      refs(t.body);
      for (const auto& m : t.mixins)
        if (auto it = cx_.mixins.find(m.name); it != cx_.mixins.end()) refs(it->second->body);
      path.pop_back();
      st = 2;
      depth_[t.name.name] = depth;
      ordered_.push_back(&t);
      return depth;
    };
    for (const auto& t : spec_.tables) {
      std::vector<const ast::Table*> path;
      if (cx_.spec_tables[t.name.name] == &t) visit(t, path);
    }
  }

  void add_column(model::Table& t, model::Column c) {
    bool implicit = c.origin != model::ColumnOrigin::spec && c.origin != model::ColumnOrigin::mixin;
    if (model::Column* prev = const_cast<model::Column*>(t.column(c.name)); prev && implicit &&
        (prev->origin == model::ColumnOrigin::spec || prev->origin == model::ColumnOrigin::mixin)) {
      // The spec declared a column the conventions add: point at the spec's column.
      auto& d = cx_.diags.error("E0107", prev->span, fmt::format("column `{}` is added by the `{}` conventions", c.name,
                                                                  cx_.model.profile.name));
      d.help = c.origin == model::ColumnOrigin::created || c.origin == model::ColumnOrigin::updated
                   ? "remove it, or write `no timestamps` in the table to manage timestamps yourself"
                   : "remove it";
      return;
    }
    if (const model::Column* prev = t.column(c.name)) {
      auto& d = cx_.diags.error("E0107", c.span, fmt::format("duplicate column `{}` in table `{}`", c.name, t.name));
      if (prev->origin != model::ColumnOrigin::spec && prev->origin != model::ColumnOrigin::mixin)
        d.help = fmt::format("`{}` is added by the `{}` conventions; remove this column", c.name,
                             cx_.model.profile.name);
      else
        d.notes.push_back({prev->span, "first defined here"});
      return;
    }
    t.columns.push_back(std::move(c));
  }

  model::Column spec_column(const ast::Column& c, model::ColumnOrigin origin) {
    model::Column col;
    col.name = c.name.name;
    col.span = c.name.span;
    col.nullable = c.nullable;
    col.origin = origin;
    col.source = &c;
    if (c.renamed_from) {
      check_identifier(cx_, *c.renamed_from, "column");
      col.renamed_from = c.renamed_from->name;
    }
    check_identifier(cx_, c.name, "column");
    if (auto t = cx_.resolve_type(c.type)) col.type = *t;
    else col.type.base = "text", bad_columns_.insert(&c);
    if (c.default_value && !bad_columns_.count(&c)) {
      if (c.default_value->kind == ast::ExprKind::null_lit && !c.nullable) {
        cx_.diags.error("E0204", c.default_value->span,
                        fmt::format("column `{}` is not nullable, so its default cannot be null", col.name))
            .help = fmt::format("write `{} {}?` to allow null", col.name, c.type.name.name);
      } else if (auto v = cx_.value_sql(*c.default_value, col.type, fmt::format("column `{}`", col.name))) {
        col.default_sql = *v;
      }
    }
    return col;
  }

  void build(const ast::Table& at) {
    const model::Profile& p = cx_.model.profile;
    model::Table t;
    t.name = at.name.name;
    t.span = at.name.span;
    t.purpose = at.purpose.value_or("");
    if (at.renamed_from) t.renamed_from = at.renamed_from->name;
    t.depth = depth_[t.name];
    check_identifier(cx_, at.name, "table");
    std::vector<const ast::TableBody*> bodies;
    for (const auto& m : at.mixins) {
      auto it = cx_.mixins.find(m.name);
      if (it == cx_.mixins.end()) {
        std::vector<std::string> names;
        for (const auto& [k, v] : cx_.mixins) names.push_back(k);
        cx_.unknown("E0201", m, "mixin", names);
        continue;
      }
      bodies.push_back(&it->second->body);
    }
    bodies.push_back(&at.body);
    bodies_[t.name] = bodies;

    bool explicit_pk = false;
    for (const auto* b : bodies)
      for (const auto& c : b->columns) explicit_pk |= c.primary_key;
    bool link_table = !at.links.empty();
    if (!explicit_pk && !link_table) {
      model::Column id;
      id.name = p.key_column;
      id.type = key_type(p);
      id.default_sql = p.key_default;
      id.origin = model::ColumnOrigin::key;
      id.span = at.name.span;
      t.columns.push_back(id);
      t.primary_key = {p.key_column};
    }
    if (at.owned_by_user) {
      t.owned = true;
      model::Column o;
      o.name = p.owner_column;
      o.type.base = "uuid";
      o.default_sql = p.owner_default;
      o.origin = model::ColumnOrigin::owner;
      o.span = at.owned_span;
      t.columns.push_back(o);
      if (!p.user_table.empty()) {
        model::ForeignKey fk;
        fk.name = fit_name(t.name + "_" + o.name + "_fkey");
        fk.columns = {o.name};
        fk.ref_table = p.user_table;
        fk.ref_columns = {p.user_key};
        fk.on_delete = model::OnDelete::cascade;
        fk.to_user = true;
        fk.span = at.owned_span;
        t.foreign_keys.push_back(fk);
      }
    }
    auto link_to = [&](const ast::Ident& parent, bool is_parent) {
      auto it = cx_.spec_tables.find(parent.name);
      if (it == cx_.spec_tables.end()) {
        cx_.unknown("E0201", parent, "table", cx_.spec_table_names());
        return;
      }
      int pi = cx_.model.table_index(parent.name);
      if (pi < 0) return;  // part of a reported cycle
      const model::Table& pt = cx_.model.tables[pi];
      if (pt.primary_key.size() != 1) {
        cx_.diags.error("E0303", parent.span, fmt::format("table `{}` has a composite key and cannot be a parent", pt.name));
        return;
      }
      model::Column c;
      c.name = singular(pt.name) + "_" + pt.primary_key[0];
      c.type = pt.column(pt.primary_key[0])->type;
      c.origin = is_parent ? model::ColumnOrigin::parent : model::ColumnOrigin::link;
      c.span = parent.span;
      add_column(t, c);
      model::ForeignKey fk;
      fk.name = fit_name(t.name + "_" + c.name + "_fkey");
      fk.columns = {c.name};
      fk.ref_table = pt.name;
      fk.ref_columns = {pt.primary_key[0]};
      fk.on_delete = model::OnDelete::cascade;
      fk.to_parent = true;
      fk.span = parent.span;
      t.foreign_keys.push_back(fk);
      if (is_parent) t.parent = pi;
      else t.links.push_back(pi);
    };
    if (at.parent) link_to(*at.parent, true);
    for (const auto& l : at.links) link_to(l, false);
    if (link_table) {
      if (at.links.size() == 2 && at.links[0].name == at.links[1].name)
        cx_.diags.error("E0304", at.links[1].span, "a table cannot link a table with itself")
            .help = "use a column that `references` the same table instead";
      for (const auto& fk : t.foreign_keys)
        if (fk.to_parent) t.primary_key.push_back(fk.columns[0]);
    }
    for (const auto* b : bodies) {
      auto origin = b == &at.body ? model::ColumnOrigin::spec : model::ColumnOrigin::mixin;
      for (const auto& c : b->columns) {
        model::Column col = spec_column(c, origin);
        if (c.primary_key) t.primary_key.push_back(col.name);
        add_column(t, std::move(col));
      }
    }
    bool timestamps = !at.body.no_timestamps;
    if (timestamps && !p.created_column.empty()) {
      model::Column c;
      c.name = p.created_column;
      c.type.base = "timestamptz";
      c.default_sql = "now()";
      c.origin = model::ColumnOrigin::created;
      c.span = at.name.span;
      add_column(t, c);
    }
    if (timestamps && !p.updated_column.empty()) {
      model::Column c;
      c.name = p.updated_column;
      c.type.base = "timestamptz";
      c.default_sql = "now()";
      c.origin = model::ColumnOrigin::updated;
      c.span = at.name.span;
      add_column(t, c);
      t.has_updated_at = true;
    }
    cx_.model.tables.push_back(std::move(t));
  }

  // Adds a unique key, refusing one that repeats or is implied by another.
  void add_unique(model::Table& t, std::vector<std::string> cols, Span span) {
    auto subset = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
      return std::all_of(a.begin(), a.end(), [&](const std::string& x) { return std::count(b.begin(), b.end(), x); });
    };
    std::vector<std::pair<std::vector<std::string>, Span>> existing;
    if (!t.primary_key.empty()) existing.push_back({t.primary_key, t.span});
    for (const auto& u : t.uniques) existing.push_back({u.columns, u.span});
    for (const auto& [other, ospan] : existing) {
      bool same = subset(other, cols) && subset(cols, other);
      if (same) {
        auto& d = cx_.diags.error("E0402", span, fmt::format("duplicate unique constraint on ({})", fmt::join(cols, ", ")));
        d.notes.push_back({ospan, "the same columns are already unique here"});
        return;
      }
      if (subset(other, cols)) {
        auto& d = cx_.diags.error(
            "E0401", span,
            fmt::format("redundant unique constraint: ({}) is already unique on its own", fmt::join(other, ", ")));
        d.notes.push_back({ospan, "made unique here"});
        d.help = "keep one: a globally unique column is unique per owner too; drop `unique` from the column if "
                 "uniqueness per owner is what you mean";
        return;
      }
      if (subset(cols, other)) {
        auto& d = cx_.diags.error(
            "E0401", ospan,
            fmt::format("redundant unique constraint: ({}) is implied by the unique ({})", fmt::join(other, ", "),
                        fmt::join(cols, ", ")));
        d.notes.push_back({span, "the narrower unique constraint is here"});
        d.help = "keep one: a globally unique column is unique per owner too; drop `unique` from the column if "
                 "uniqueness per owner is what you mean";
        return;
      }
    }
    model::UniqueKey u;
    u.columns = cols;
    u.name = fit_name(t.name + "_" + fmt::format("{}", fmt::join(cols, "_")) + "_key");
    u.span = span;
    t.uniques.push_back(std::move(u));
  }

  std::optional<std::vector<std::string>> column_refs(model::Table& t, const std::vector<ast::ColumnRef>& refs) {
    std::vector<std::string> out;
    bool ok = true;
    for (const auto& r : refs) {
      if (auto c = cx_.column_of(t, r.name)) out.push_back(*c);
      else ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
  }

  void references(model::Table& t, const ast::Column& c) {
    const ast::Reference& r = *c.references;
    int ti = cx_.model.table_index(r.table.name);
    bool outside_spec = !cx_.spec_tables.count(r.table.name) && (ti < 0 || cx_.model.tables[ti].existing);
    if (outside_spec) {
      if (const model::CatalogTable* ct = cx_.catalog_table(r.table.name)) return references_existing(t, c, *ct);
      if (ti >= 0) {  // `extend table` of it, but the database's version of the table is unknown
        cx_.diags.error("E0305", r.table.span,
                        fmt::format("the key of the existing table `{}` is not known", r.table.name))
            .help = "pass the current database with --db URL or --schema FILE, so its key can be referenced";
        return;
      }
    }
    if (ti < 0) {
      if (!cx_.spec_tables.count(r.table.name)) {
        cx_.unknown("E0201", r.table, "table", cx_.spec_table_names());
      }
      return;
    }
    const model::Table& rt = cx_.model.tables[ti];
    std::string rcol = r.column ? r.column->name : (rt.primary_key.size() == 1 ? rt.primary_key[0] : "");
    const model::Column* target = rt.column(rcol);
    if (!target) {
      std::vector<std::string> names;
      for (const auto& col : rt.columns) names.push_back(col.name);
      if (r.column) cx_.unknown("E0201", *r.column, "column", names).message += fmt::format(" in table `{}`", rt.name);
      else cx_.diags.error("E0305", r.table.span, fmt::format("table `{}` has no single-column key to reference", rt.name));
      return;
    }
    bool unique = rt.primary_key == std::vector<std::string>{rcol};
    for (const auto& u : rt.uniques) unique |= u.columns == std::vector<std::string>{rcol};
    if (!unique) {
      auto& d = cx_.diags.error("E0305", r.column ? r.column->span : r.table.span,
                                fmt::format("`{}.{}` is not unique, so it cannot be referenced", rt.name, rcol));
      d.notes.push_back({target->span, "declared here"});
      d.help = fmt::format("mark `{}` as `unique`, or reference the key of `{}`", rcol, rt.name);
      return;
    }
    const model::Column* self = t.column(c.name.name);
    if (self && !(self->type == target->type)) {
      cx_.diags.error("E0306", c.type.span,
                      fmt::format("column `{}` is {} but references `{}.{}` of type {}", c.name.name, self->type.sql(),
                                  rt.name, rcol, target->type.sql()));
      return;
    }
    add_reference(t, c, rt.name, rcol);
  }

  // A `references` to a table of the current database (--db / --schema) that the spec does
  // not declare: its key must be unique there and of the same type. The foreign key points at
  // the existing table; nothing of that table is created or dropped.
  void references_existing(model::Table& t, const ast::Column& c, const model::CatalogTable& rt) {
    const ast::Reference& r = *c.references;
    std::string rcol = r.column ? r.column->name : (rt.primary_key.columns.size() == 1 ? rt.primary_key.columns[0] : "");
    const model::CatalogColumn* target = rt.column(rcol);
    if (!target) {
      std::vector<std::string> names;
      for (const auto& col : rt.columns) names.push_back(col.name);
      if (r.column)
        cx_.unknown("E0201", *r.column, "column", names).message += fmt::format(" in the existing table `{}`", rt.name);
      else
        cx_.diags.error("E0305", r.table.span,
                        fmt::format("the existing table `{}` has no single-column key to reference", rt.name));
      return;
    }
    bool unique = rt.primary_key.columns == std::vector<std::string>{rcol};
    for (const auto& u : rt.uniques) unique |= u.columns == std::vector<std::string>{rcol};
    for (const auto& ix : rt.indexes)
      unique |= ix.unique && ix.predicate.empty() && ix.columns == std::vector<std::string>{rcol};
    if (!unique) {
      cx_.diags.error("E0305", r.column ? r.column->span : r.table.span,
                      fmt::format("`{}.{}` is not unique in the database, so it cannot be referenced", rt.name, rcol))
          .help = fmt::format("reference the key of `{}`", rt.name);
      return;
    }
    const model::Column* self = t.column(c.name.name);
    if (self && catalog_spelling(self->type) != target->type) {
      cx_.diags.error("E0306", c.type.span,
                      fmt::format("column `{}` is {} but references `{}.{}` of type {} in the database", c.name.name,
                                  self->type.sql(), rt.name, rcol, target->type));
      return;
    }
    add_reference(t, c, rt.name, rcol);
    t.foreign_keys.back().to_existing = true;
  }

  // How format_type() spells a type, for comparing a spec column with a catalog column.
  static std::string catalog_spelling(const model::SqlType& ty) {
    static const std::map<std::string, std::string> names = {{"varchar", "character varying"},
                                                             {"char", "character"},
                                                             {"timestamptz", "timestamp with time zone"},
                                                             {"timestamp", "timestamp without time zone"},
                                                             {"time", "time without time zone"}};
    model::SqlType t = ty;
    t.enum_type = nullptr;
    if (auto it = names.find(t.base); it != names.end()) t.base = it->second;
    return t.sql();
  }

  void add_reference(model::Table& t, const ast::Column& c, const std::string& ref_table, const std::string& rcol) {
    const ast::Reference& r = *c.references;
    const model::Column* self = t.column(c.name.name);
    model::ForeignKey fk;
    fk.name = fit_name(t.name + "_" + c.name.name + "_fkey");
    fk.columns = {c.name.name};
    fk.ref_table = ref_table;
    fk.ref_columns = {rcol};
    fk.span = r.span;
    using OD = ast::OnDelete;
    switch (r.on_delete) {
      case OD::cascade: fk.on_delete = model::OnDelete::cascade; break;
      case OD::restrict: fk.on_delete = model::OnDelete::restrict; break;
      case OD::set_null: fk.on_delete = model::OnDelete::set_null; break;
      case OD::set_default: fk.on_delete = model::OnDelete::set_default; break;
      case OD::no_action: fk.on_delete = model::OnDelete::no_action; break;
      case OD::unspecified:
        fk.on_delete = model::OnDelete::no_action;
        fk.on_delete_given = false;
        break;
    }
    if (fk.on_delete == model::OnDelete::set_null && self && !self->nullable) {
      cx_.diags.error("E0307", r.on_delete_span,
                      fmt::format("`on delete set null` needs a nullable column, but `{}` is not nullable", c.name.name))
          .help = fmt::format("write `{} {}?`", c.name.name, c.type.name.name);
    }
    if (fk.on_delete == model::OnDelete::set_default && self && self->default_sql.empty()) {
      cx_.diags.error("E0307", r.on_delete_span,
                      fmt::format("`on delete set default` needs a default on `{}`", c.name.name));
    }
    t.foreign_keys.push_back(std::move(fk));
  }

  void index(model::Table& t, const ast::Index& ai) {
    auto cols = column_refs(t, ai.columns);
    if (!cols) return;
    model::Index ix;
    ix.unique = ai.unique;
    ix.span = ai.span;
    using AM = ast::IndexMethod;
    bool vector_method = ai.method == AM::hnsw || ai.method == AM::ivfflat;
    const model::Column* first = t.column(cols->at(0));
    bool on_vector = first && first->type.is_vector();
    for (const auto& r : ai.columns) {
      if (r.opclass && r.opclass->name.rfind("vector_", 0) == 0 && !vector_method) {
        cx_.diags.error("E0413", r.opclass->span,
                        fmt::format("operator class `{}` belongs to hnsw or ivfflat indexes, never {}", r.opclass->name,
                                    method_word(ai.method)))
            .help = "write `using hnsw cosine` and let packdbc choose the operator class";
        return;
      }
    }
    if (vector_method && !on_vector) {
      cx_.diags.error("E0411", ai.columns[0].name.span,
                      fmt::format("an {} index needs a vector column, but `{}` is {}", ai.method == AM::hnsw ? "hnsw" : "ivfflat",
                                  cols->at(0), first ? first->type.sql() : "unknown"));
      return;
    }
    if (on_vector && !vector_method) {
      auto& d = cx_.diags.error("E0412", ai.method == AM::unspecified ? ai.span : ai.method_span,
                                fmt::format("vector column `{}` needs an hnsw or ivfflat index", cols->at(0)));
      d.help = "write `index (" + cols->at(0) + ") using hnsw cosine` (or l2, inner_product)";
      return;
    }
    if (vector_method && cols->size() != 1) {
      cx_.diags.error("E0411", ai.span, "a vector index covers exactly one vector column");
      return;
    }
    if (ai.metric != ast::Metric::unspecified && !vector_method) {
      cx_.diags.error("E0415", ai.metric_span, "a distance metric applies only to hnsw and ivfflat indexes");
      return;
    }
    std::string opclass;
    if (vector_method) {
      if (ai.unique) {
        cx_.diags.error("E0411", ai.span, "a vector index cannot be unique");
        return;
      }
      if (ai.columns[0].opclass) {
        opclass = ai.columns[0].opclass->name;
      } else {
        switch (ai.metric) {
          case ast::Metric::cosine: opclass = "vector_cosine_ops"; break;
          case ast::Metric::l2: opclass = "vector_l2_ops"; break;
          case ast::Metric::inner_product: opclass = "vector_ip_ops"; break;
          case ast::Metric::l1:
            if (ai.method == AM::ivfflat) {
              cx_.diags.error("E0416", ai.metric_span, "ivfflat does not support the l1 metric").help =
                  "use hnsw for l1, or another metric";
              return;
            }
            opclass = "vector_l1_ops";
            break;
          case ast::Metric::unspecified:
            cx_.diags.error("E0414", ai.method_span, "a vector index needs a distance metric")
                .help = "write `using hnsw cosine`, `using hnsw l2` or `using hnsw inner_product`";
            return;
        }
      }
    }
    switch (ai.method) {
      case AM::unspecified:
      case AM::btree: ix.method = model::IndexMethod::btree; break;
      case AM::hash: ix.method = model::IndexMethod::hash; break;
      case AM::gin: ix.method = model::IndexMethod::gin; break;
      case AM::gist: ix.method = model::IndexMethod::gist; break;
      case AM::brin: ix.method = model::IndexMethod::brin; break;
      case AM::hnsw: ix.method = model::IndexMethod::hnsw; break;
      case AM::ivfflat: ix.method = model::IndexMethod::ivfflat; break;
    }
    for (std::size_t i = 0; i < cols->size(); ++i) {
      model::IndexColumn c;
      c.name = (*cols)[i];
      c.descending = ai.columns[i].descending;
      c.opclass = vector_method ? opclass : (ai.columns[i].opclass ? ai.columns[i].opclass->name : "");
      ix.columns.push_back(c);
    }
    if (ai.where) {
      Scope scope;
      scope.table = &t;
      auto w = cx_.predicate_sql(*ai.where, scope);
      if (!w) return;
      ix.where_sql = *w;
    }
    std::string base = ai.name ? ai.name->name : t.name + "_" + fmt::format("{}", fmt::join(*cols, "_")) + "_idx";
    if (ai.name) check_identifier(cx_, *ai.name, "index");
    ix.name = fit_name(base);
    for (const auto& other : t.indexes) {
      bool same = other.method == ix.method && other.where_sql == ix.where_sql && other.unique == ix.unique &&
                  other.columns.size() == ix.columns.size();
      for (std::size_t i = 0; same && i < ix.columns.size(); ++i)
        same = other.columns[i].name == ix.columns[i].name && other.columns[i].opclass == ix.columns[i].opclass;
      if (same) {
        cx_.diags.error("E0417", ai.span, "duplicate index").notes.push_back({other.span, "the same index is declared here"});
        return;
      }
      if (other.name == ix.name) ix.name = fit_name(base + "_" + std::to_string(t.indexes.size()));
    }
    t.indexes.push_back(std::move(ix));
  }

  // Finds, for the generated tests' sample rows, a value that satisfies a check's simple
  // conjuncts on one column: `col >= 5`, `col < 0`, `col = 'x'`, `col in ('a', 'b')`.
  void sample_from_check(model::Table& t, const ast::Expr& e) {
    // Right to left, as before: where two conjuncts pin one column, the leftmost wins.
    auto parts = conjuncts(e);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      const ast::Expr* x = *it;
      auto column_named = [&](const ast::Expr& n) -> model::Column* {
        if (n.kind != ast::ExprKind::name) return nullptr;
        for (auto& c : t.columns)
          if (c.name == n.text) return &c;
        return nullptr;
      };
      if (x->kind == ast::ExprKind::in_list && x->args.size() > 1) {
        model::Column* c = column_named(*x->args[0]);
        if (c && x->args[1]->kind != ast::ExprKind::name)
          if (auto v = cx_.value_sql(*x->args[1], c->type, "the sample")) c->sample_sql = *v;
        continue;
      }
      if (x->kind != ast::ExprKind::binary || x->args.size() != 2) continue;
      std::string op = x->text;
      model::Column* c = column_named(*x->args[0]);
      const ast::Expr* lit = x->args[1].get();
      if (!c) {
        c = column_named(*x->args[1]);
        lit = x->args[0].get();
        // `5 <= col` is `col >= 5`.
        if (op == "<") op = ">";
        else if (op == ">") op = "<";
        else if (op == "<=") op = ">=";
        else if (op == ">=") op = "<=";
      }
      if (!c) continue;
      if (op == "=" && lit->kind != ast::ExprKind::name && lit->kind != ast::ExprKind::null_lit) {
        if (auto v = cx_.value_sql(*lit, c->type, "the sample")) c->sample_sql = *v;
        continue;
      }
      if (lit->kind != ast::ExprKind::number_lit || !c->type.is_numeric()) continue;
      double n = std::stod(lit->text);
      bool integer = c->type.is_integer();
      double step = integer ? 1 : 0.5;
      double v = op == ">=" || op == "<=" ? n : op == ">" ? n + step : op == "<" ? n - step : 1;
      c->sample_sql = integer ? std::to_string(static_cast<long long>(v)) : fmt::format("{}", v);
    }
  }

  void body_constraints(model::Table& t, const ast::TableBody& b) {
    for (const auto& c : b.columns) {
      if (bad_columns_.count(&c)) continue;
      if (c.unique) {
        if (c.unique_per_owner && !t.owned) {
          cx_.diags.error("E0403", c.unique_span,
                          fmt::format("`unique per owner` needs an owner, but table `{}` is not `owned by user`", t.name))
              .help = "declare the table `owned by user`, or write `unique`";
        } else if (c.unique_per_owner) {
          add_unique(t, {cx_.model.profile.owner_column, c.name.name}, c.unique_span);
        } else {
          add_unique(t, {c.name.name}, c.unique_span);
        }
      }
      if (c.references) references(t, c);
      if (c.check) {
        Scope scope;
        scope.table = &t;
        if (auto sql = cx_.predicate_sql(*c.check, scope)) {
          t.checks.push_back({fit_name(t.name + "_" + c.name.name + "_check"), *sql, c.check->span});
          sample_from_check(t, *c.check);
        }
      }
    }
    for (const auto& u : b.uniques) {
      if (u.per_owner && !t.owned) {
        cx_.diags.error("E0403", u.span,
                        fmt::format("`unique … per owner` needs an owner, but table `{}` is not `owned by user`", t.name));
        continue;
      }
      auto cols = column_refs(t, u.columns);
      if (!cols) continue;
      if (u.per_owner) cols->insert(cols->begin(), cx_.model.profile.owner_column);
      add_unique(t, *cols, u.span);
    }
    int n = 0;
    for (const auto& ck : b.checks) {
      Scope scope;
      scope.table = &t;
      ++n;
      if (auto sql = cx_.predicate_sql(*ck.expr, scope)) {
        std::string name = ck.name ? ck.name->name : t.name + "_check" + (n > 1 ? std::to_string(n) : "");
        t.checks.push_back({fit_name(name), *sql, ck.span});
        sample_from_check(t, *ck.expr);
      }
    }
    for (const auto& ix : b.indexes) index(t, ix);
  }

  void constraints(const ast::Table& at, model::Table& t) {
    for (const auto* b : bodies_[t.name]) body_constraints(t, *b);
    (void)at;
  }

  // `extend table`: a table that exists already; only what is added is in the model.
  void extend(const ast::ExtendTable& x) {
    if (cx_.spec_tables.count(x.name.name)) {
      cx_.diags.error("E0108", x.name.span,
                      fmt::format("`{}` is declared in this spec; change its declaration instead of extending it",
                                  x.name.name));
      return;
    }
    check_identifier(cx_, x.name, "table");
    model::Table t;
    t.name = x.name.name;
    t.span = x.name.span;
    t.existing = true;
    t.rls = x.enable_rls;
    for (const auto& c : x.added.columns) {
      model::Column col = spec_column(c, model::ColumnOrigin::spec);
      if (!col.nullable && col.default_sql.empty()) {
        cx_.diags.error("E0109", c.span,
                        fmt::format("a new column `{}` on an existing table needs a default or `?`", col.name))
            .help = "existing rows would have no value for it; make it nullable or give it a default";
      }
      add_column(t, std::move(col));
    }
    body_constraints(t, x.added);
    cx_.model.tables.push_back(std::move(t));
  }

  // Every foreign key gets an index led by its columns (splinter: unindexed_foreign_keys).
  void index_foreign_keys(model::Table& t) {
    auto covered = [&](const std::vector<std::string>& cols) {
      auto leads = [&](const std::vector<std::string>& key) {
        return key.size() >= cols.size() && std::equal(cols.begin(), cols.end(), key.begin());
      };
      if (leads(t.primary_key)) return true;
      for (const auto& u : t.uniques)
        if (leads(u.columns)) return true;
      for (const auto& ix : t.indexes) {
        if (!ix.where_sql.empty() || ix.method != model::IndexMethod::btree) continue;
        std::vector<std::string> key;
        for (const auto& c : ix.columns) key.push_back(c.name);
        if (leads(key)) return true;
      }
      return false;
    };
    for (const auto& fk : t.foreign_keys) {
      if (covered(fk.columns)) continue;
      model::Index ix;
      ix.name = fit_name(t.name + "_" + fmt::format("{}", fmt::join(fk.columns, "_")) + "_idx");
      for (const auto& c : fk.columns) ix.columns.push_back({c, "", false});
      ix.origin = model::IndexOrigin::foreign_key;
      ix.span = fk.span;
      t.indexes.push_back(std::move(ix));
    }
  }

  Context& cx_;
  const ast::File& spec_;
  std::vector<const ast::Table*> ordered_;
  std::unordered_map<std::string, int> depth_;
  std::unordered_map<std::string, std::vector<const ast::TableBody*>> bodies_;
  std::set<const ast::Column*> bad_columns_;
};

}  // namespace

void resolve_tables(Context& cx, const ast::File& spec) { TableResolver(cx, spec).run(); }

std::vector<ast::Ident> required_modules(const ast::File& spec) {
  std::vector<ast::Ident> out;
  ast::Ident target{"supabase", spec.pack ? spec.pack->name.span : Span{}};
  if (spec.pack)
    for (const auto& s : spec.pack->settings)
      if (s.key.name == "target" && s.value) target = {s.value->text, s.value->span};
  out.push_back(target);
  for (const auto& i : spec.imports)
    if (i.path.empty() && std::none_of(out.begin(), out.end(), [&](const ast::Ident& m) { return m.name == i.module.name; }))
      out.push_back(i.module);
  return out;
}

model::Model build_model(const ast::File& spec, const std::vector<const ast::File*>& modules, Diagnostics& diags,
                         const model::Catalog* catalog) {
  model::Model m;
  Context cx{diags, m, {}, {}, {}};
  cx.catalog = catalog;

  // ---- pack header
  if (!spec.pack) {
    diags.error("E0100", {spec.file_id, 0, 0}, "the spec has no `pack` header")
        .help = "start the file with `pack NAME version \"1.0.0\" { target supabase }`";
  } else {
    m.pack = spec.pack->name.name;
    m.pack_span = spec.pack->name.span;
    static const std::regex pack_name("^[a-z][a-z0-9_-]*$");
    if (!std::regex_match(m.pack, pack_name))
      diags.error("E0104", spec.pack->name.span, fmt::format("pack name `{}` must be lower case: letters, digits, `-`, `_`", m.pack));
    else if (m.pack.size() > 40)
      diags.error("E0105", spec.pack->name.span, "pack name is longer than 40 bytes; generated names would not fit");
    m.version = spec.pack->version.value_or("");
    for (const auto& s : spec.pack->settings) {
      const std::string& k = s.key.name;
      if (k == "description") m.description = setting_text(s);
      else if (k == "target") {
      } else if (k == "date") {
        static const std::regex date_re("^(\\d{4})-(\\d{2})-(\\d{2})$");
        std::smatch mt;
        std::string v = setting_text(s);
        if (!std::regex_match(v, mt, date_re) || std::stoi(mt[2]) < 1 || std::stoi(mt[2]) > 12 || std::stoi(mt[3]) < 1 ||
            std::stoi(mt[3]) > 31)
          diags.error("E0111", s.value->span, fmt::format("`{}` is not a date; write \"YYYY-MM-DD\"", v));
        else
          m.date = mt[1].str() + mt[2].str() + mt[3].str();
      } else {
        cx.unknown("E0110", s.key, "pack setting", {"description", "target", "date"});
      }
    }
  }

  // ---- the target's profile (stdlib), then the spec's own overrides
  auto mods = required_modules(spec);
  m.profile.name = mods[0].name;
  bool found_profile = false;
  for (const ast::File* f : modules)
    for (const auto& p : f->profiles)
      if (p.name.name == m.profile.name) {
        apply_profile_settings(cx, p.settings);
        found_profile = true;
      }
  if (!found_profile)
    diags.error("E0112", mods[0].span, fmt::format("target `{}` has no profile in the stdlib", m.profile.name))
        .help = "use `target supabase` or `target postgres`";
  for (const auto& p : spec.profiles) {
    if (p.name.name != m.profile.name) {
      diags.error("E0112", p.name.span,
                  fmt::format("profile `{}` does not match the target `{}`", p.name.name, m.profile.name));
      continue;
    }
    apply_profile_settings(cx, p.settings);
  }

  // ---- one namespace for tables, views and enums (PostgreSQL's relations and types)
  std::map<std::string, Span> names;
  auto declare = [&](const ast::Ident& id, const char* what) {
    auto [it, fresh] = names.emplace(id.name, id.span);
    if (!fresh) {
      diags.error("E0101", id.span, fmt::format("the name `{}` is defined twice", id.name))
          .notes.push_back({it->second, "first defined here"});
      cx.poisoned.insert(id.name);
      return false;
    }
    (void)what;
    return true;
  };
  std::vector<const ast::File*> all = modules;
  all.push_back(&spec);
  for (const ast::File* f : all)
    for (const auto& mx : f->mixins) {
      if (!cx.mixins.emplace(mx.name.name, &mx).second)
        diags.error("E0101", mx.name.span, fmt::format("mixin `{}` is defined twice", mx.name.name));
      // A mixin lends columns, keys, indexes and checks; who may reach rows is the table's call.
      for (const auto& a : mx.body.access)
        diags.error("E0114", a.span, "`access` is not allowed in a mixin").help = "give the table using the mixin its access rule";
      for (const auto& p : mx.body.policies)
        diags.error("E0114", p.span, "`policy` is not allowed in a mixin").help = "write the policy in the table using the mixin";
      if (mx.body.no_timestamps)
        diags.error("E0114", mx.body.no_timestamps_span, "`no timestamps` is not allowed in a mixin")
            .help = "write it in the table using the mixin";
    }
  for (const auto& e : spec.enums) {
    if (!declare(e.name, "enum")) continue;
    check_identifier(cx, e.name, "enum");
    model::Enum me{e.name.name, {}, e.name.span};
    if (e.values.empty()) diags.error("E0113", e.name.span, fmt::format("enum `{}` has no values", e.name.name));
    for (const auto& v : e.values) {
      if (std::count(me.values.begin(), me.values.end(), v.name)) {
        diags.error("E0101", v.span, fmt::format("enum value `{}` is listed twice", v.name));
        continue;
      }
      if (v.name.size() > max_identifier_bytes)
        diags.error("E0105", v.span, "enum value is longer than 63 bytes");
      me.values.push_back(v.name);
    }
    m.enums.push_back(std::move(me));
  }
  for (const auto& t : spec.tables)
    if (declare(t.name, "table")) cx.spec_tables[t.name.name] = &t;
  for (const auto& v : spec.views) declare(v.name, "view");

  resolve_tables(cx, spec);
  resolve_access(cx, spec);
  resolve_reads(cx, spec);
  resolve_evolution(cx, spec);
  return m;
}

}  // namespace packdb::check
