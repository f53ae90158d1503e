// The rest of the spec, once tables exist: queries and searches (and the index that
// serves each), views, seed rows, data flows, state items and needs.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/check/context.hpp"

namespace packdb::check {
namespace {

class ReadsResolver {
 public:
  explicit ReadsResolver(Context& cx) : cx_(cx), m_(cx.model) {}

  void run(const ast::File& spec) {
    for (const auto& n : spec.needs) m_.needs.push_back({n.kind.name, n.reason, n.span});
    for (const auto& q : spec.queries) query(q);
    for (const auto& s : spec.searches) search(s);
    for (const auto& v : spec.views) view(v);
    for (const auto& s : spec.seeds) seed(s);
    for (const auto& f : spec.flows) flow(f);
    for (const auto& s : spec.states) state(s);
    extensions();
  }

 private:
  model::Table* table(const ast::Ident& name) {
    int i = m_.table_index(name.name);
    if (i >= 0) return &m_.tables[i];
    if (cx_.spec_tables.count(name.name) || cx_.poisoned.count(name.name)) return nullptr;  // reported already
    std::vector<std::string> names;
    for (const auto& t : m_.tables) names.push_back(t.name);
    cx_.unknown("E0201", name, "table", names);
    return nullptr;
  }

  void name_check(const ast::Ident& id, std::set<std::string>& seen, const char* what) {
    if (!seen.insert(id.name).second) cx_.diags.error("E0101", id.span, fmt::format("{} `{}` is defined twice", what, id.name));
    if (id.name.size() > 63) cx_.diags.error("E0105", id.span, fmt::format("{} name is longer than 63 bytes", what));
  }

  // Whether some index — a declared one, or the one behind a unique key or the primary key —
  // leads with the pinned columns (in any order) and then the order-by columns.
  static bool served(const model::Table& t, const std::vector<std::string>& eq,
                     const std::vector<model::IndexColumn>& order) {
    // Each key: its columns with their direction (unique keys and the primary key ascend).
    std::vector<std::vector<model::IndexColumn>> keys;
    auto ascending = [](const std::vector<std::string>& cols) {
      std::vector<model::IndexColumn> k;
      for (const auto& c : cols) k.push_back({c, "", false});
      return k;
    };
    keys.push_back(ascending(t.primary_key));
    for (const auto& u : t.uniques) keys.push_back(ascending(u.columns));
    for (const auto& ix : t.indexes)
      if (ix.method == model::IndexMethod::btree && ix.where_sql.empty()) keys.push_back(ix.columns);
    for (const auto& key : keys) {
      if (key.size() < eq.size() + order.size()) continue;
      std::set<std::string> lead;
      for (std::size_t i = 0; i < eq.size(); ++i) lead.insert(key[i].name);
      if (lead != std::set<std::string>(eq.begin(), eq.end())) continue;
      // An index can be read backwards, so (a, b) serves `order by a desc, b desc` too, but
      // not `order by a, b desc`: every direction must match, or every one be reversed.
      bool same = true, reversed = true;
      for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& k = key[eq.size() + i];
        if (k.name != order[i].name) same = reversed = false;
        if (k.descending != order[i].descending) same = false;
        if (k.descending == order[i].descending) reversed = false;
      }
      if (same || reversed) return true;
    }
    return false;
  }

  void query(const ast::Query& aq) {
    name_check(aq.name, query_names_, "query");
    model::Table* t = table(aq.table);
    if (!t) return;
    model::Query q;
    q.name = aq.name.name;
    q.table = m_.table_index(t->name);
    q.span = aq.span;
    q.limit = aq.limit;
    if (aq.where) {
      Scope scope;
      scope.table = t;
      scope.allow_me = true;
      scope.allow_params = true;
      scope.param_prefix = ":";
      scope.params = &q.params;
      auto w = cx_.predicate_sql(*aq.where, scope);
      if (!w) return;
      q.where_sql = *w;
      q.equality_columns = Context::equality_columns(*aq.where, *t, m_.profile);
    }
    for (const auto& o : aq.order_by) {
      auto c = cx_.column_of(*t, o.name);
      if (!c) return;
      q.order_by.push_back({*c, "", o.descending});
    }
    std::vector<std::string> eq;
    for (const auto& c : q.equality_columns)
      if (std::find(eq.begin(), eq.end(), c) == eq.end()) eq.push_back(c);
    q.served = served(*t, eq, q.order_by);
    if (!q.served && (!eq.empty() || !q.order_by.empty())) {
      std::vector<std::string> cols = eq;
      for (const auto& o : q.order_by) cols.push_back(o.name + (o.descending ? " desc" : ""));
      auto& d = cx_.diags.error("E0601", aq.name.span,
                                fmt::format("no index serves query `{}` on `{}`", q.name, t->name));
      d.help = fmt::format("add `index ({})` to table `{}`", fmt::join(cols, ", "), t->name);
    }
    m_.queries.push_back(std::move(q));
  }

  void search(const ast::Search& as) {
    name_check(as.name, query_names_, "search");
    if (as.name.name.size() > 63 || std::any_of(as.name.name.begin(), as.name.name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      cx_.diags.error("E0104", as.name.span, "a search's name becomes a function name: lower snake_case, at most 63 bytes");
    model::Table* t = table(as.table);
    if (!t) return;
    model::Search s;
    s.name = as.name.name;
    s.table = m_.table_index(t->name);
    s.span = as.span;
    s.param = as.param.name;
    s.limit = as.limit.value_or(10);
    const model::Column* col = t->column(as.column.name);
    if (!col) {
      std::vector<std::string> names;
      for (const auto& c : t->columns) names.push_back(c.name);
      cx_.unknown("E0201", as.column, "column", names).message += fmt::format(" in table `{}`", t->name);
      return;
    }
    if (!col->type.is_vector()) {
      cx_.diags.error("E0602", as.column.span,
                      fmt::format("`{}.{}` is {}, not a vector; a search needs a vector column", t->name, col->name,
                                  col->type.sql()));
      return;
    }
    s.column = col->name;
    s.vector_type = col->type;
    const model::Index* vix = nullptr;
    for (const auto& ix : t->indexes)
      if ((ix.method == model::IndexMethod::hnsw || ix.method == model::IndexMethod::ivfflat) &&
          ix.columns[0].name == col->name)
        vix = &ix;
    if (!vix) {
      cx_.diags.error("E0603", as.name.span, fmt::format("search `{}` has no vector index on `{}.{}`", s.name, t->name, col->name))
          .help = fmt::format("add `index ({}) using hnsw cosine` to table `{}`", col->name, t->name);
      return;
    }
    const std::string& op = vix->columns[0].opclass;
    std::string dist;
    if (op == "vector_cosine_ops") s.metric_operator = "<=>";
    else if (op == "vector_l2_ops") s.metric_operator = "<->";
    else if (op == "vector_ip_ops") s.metric_operator = "<#>";
    else s.metric_operator = "<+>";
    // Columns are qualified by the table's name, the function's parameters by the function's.
    std::string alias = model::quote_ident(t->name) + ".";
    std::string d = fmt::format("({}{} operator({}.{}) {}.{})", alias, model::quote_ident(col->name), m_.profile.extension_schema,
                                s.metric_operator, s.name, s.param);
    // Similarity grows as the distance shrinks: 1 - cosine distance; the inner product
    // operator returns the negative product; l1/l2 map into (0, 1].
    if (s.metric_operator == "<=>") s.similarity_sql = "1 - " + d;
    else if (s.metric_operator == "<#>") s.similarity_sql = "-" + d;
    else s.similarity_sql = "1 / (1 + " + d + ")";
    if (as.where) {
      Scope scope;
      scope.table = t;
      scope.prefix = alias;
      scope.allow_params = true;
      scope.param_prefix = s.name + ".";
      scope.params = &s.filter_params;
      auto w = cx_.predicate_sql(*as.where, scope);
      if (!w) return;
      s.where_sql = *w;
      for (const auto& p : s.filter_params)
        if (p.name == s.param || p.name == "match_count")
          cx_.diags.error("E0604", as.span, fmt::format("parameter `${}` is used twice in search `{}`", p.name, s.name));
    }
    for (const auto& c : t->columns)
      if (!c.type.is_vector() && c.origin != model::ColumnOrigin::owner) s.returned_columns.push_back(c.name);
    m_.searches.push_back(std::move(s));
  }

  void view(const ast::View& av) {
    model::Table* t = table(av.table);
    if (!t) return;
    if (av.name.name.size() > 63 || std::any_of(av.name.name.begin(), av.name.name.end(), [](char c) {
          return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        }))
      cx_.diags.error("E0104", av.name.span, fmt::format("view name `{}` must be lower snake_case, at most 63 bytes", av.name.name));
    model::View v;
    v.name = av.name.name;
    v.table = m_.table_index(t->name);
    v.span = av.span;
    if (av.where) {
      Scope scope;
      scope.table = t;
      auto w = cx_.predicate_sql(*av.where, scope);
      if (!w) return;
      v.where_sql = *w;
    }
    for (const auto& c : av.columns)
      if (auto col = cx_.column_of(*t, c)) v.columns.push_back(*col);
    m_.views.push_back(std::move(v));
  }

  void seed(const ast::Seed& as) {
    model::Table* t = table(as.table);
    if (!t) return;
    model::SeedRow row;
    row.table = m_.table_index(t->name);
    row.span = as.span;
    std::set<std::string> given;
    for (const auto& [col, value] : as.values) {
      if (col.name == "owner" && t->owned) {
        if (value->kind != ast::ExprKind::string_lit) {
          cx_.diags.error("E0701", value->span, "the seed's owner must be the user's uuid, in quotes");
          continue;
        }
        model::SqlType u;
        u.base = "uuid";
        if (cx_.value_sql(*value, u, "the owner")) row.owner_literal = value->text;
        given.insert(m_.profile.owner_column);
        continue;
      }
      auto name = cx_.column_of(*t, col);
      if (!name) continue;
      if (!given.insert(*name).second) {
        cx_.diags.error("E0101", col.span, fmt::format("column `{}` is given twice in this seed row", *name));
        continue;
      }
      const model::Column* c = t->column(*name);
      if (value->kind == ast::ExprKind::null_lit && !c->nullable) {
        cx_.diags.error("E0204", value->span, fmt::format("column `{}` is not nullable", *name));
        continue;
      }
      if (auto v = cx_.value_sql(*value, c->type, fmt::format("column `{}`", *name))) row.values.push_back({*name, *v});
    }
    for (const auto& c : t->columns) {
      if (c.nullable || !c.default_sql.empty() || given.count(c.name)) continue;
      if (c.origin == model::ColumnOrigin::owner) continue;
      cx_.diags.error("E0702", as.table.span, fmt::format("seed row for `{}` has no value for `{}`", t->name, c.name))
          .help = fmt::format("`{}` is required (not nullable, no default)", c.name);
    }
    if (t->owned && row.owner_literal.empty() && !given.count(m_.profile.owner_column))
      cx_.diags.error("E0702", as.table.span, fmt::format("seed row for `{}` needs its `owner` (a user's uuid)", t->name));
    m_.seeds.push_back(std::move(row));
  }

  // `into table` or `into table.column`; returns false after reporting an unknown name.
  bool target(const ast::FlowTarget& ft, int& table, std::string& column) {
    model::Table* t = this->table(ft.table);
    if (!t) return false;
    table = m_.table_index(t->name);
    if (ft.column) {
      auto c = cx_.column_of(*t, *ft.column);
      if (!c) return false;
      column = *c;
    }
    return true;
  }

  void flow(const ast::DataFlow& af) {
    name_check(af.name, flow_names_, "data flow");
    model::DataFlow f;
    f.kind = af.kind;
    f.name = af.name.name;
    f.format = af.format.name;
    f.location = af.location;
    f.volume = af.volume.value_or("");
    f.description = af.description.value_or("");
    for (const auto& x : af.fields) f.fields.push_back(x.name);
    f.persistence = af.persistence;
    f.keep_files = af.keep_files;
    f.span = af.span;
    if (af.into && !target(*af.into, f.into_table, f.into_column)) return;
    if (af.into && af.keep_files)
      cx_.diags.error("E0801", af.keep_span, fmt::format("`{}` goes `into` a table and also keeps files; choose one", f.name))
          .help = "keeping the files during a transition is the default: `into` alone is enough";
    resolve_mapping(cx_, af, f);
    m_.flows.push_back(std::move(f));
  }

  void state(const ast::State& as) {
    name_check(as.name, flow_names_, "state");
    model::StateItem s;
    s.name = as.name.name;
    s.keep_files = as.keep_files;
    s.span = as.span;
    for (const auto& v : as.values) s.values.push_back(v.name);
    if (as.target) {
      if (!target(*as.target, s.table, s.column)) return;
      if (s.column.empty()) {
        cx_.diags.error("E0802", as.target->span, "a state item maps to a column: write `-> table.column`");
        return;
      }
      const model::Column* c = m_.tables[s.table].column(s.column);
      if (!as.values.empty()) {
        if (!c->type.enum_type) {
          cx_.diags.error("E0803", as.target->span,
                          fmt::format("state `{}` is a set of states, but `{}.{}` is {}, not an enum", s.name,
                                      m_.tables[s.table].name, s.column, c->type.sql()))
              .help = "declare an enum with these states and give the column that type";
        } else {
          for (const auto& v : as.values) {
            const auto& vals = c->type.enum_type->values;
            if (std::find(vals.begin(), vals.end(), v.name) != vals.end()) continue;
            auto& d = cx_.diags.error("E0804", v.span,
                                      fmt::format("state `{}` is not a value of enum `{}`", v.name, c->type.enum_type->name));
            if (auto near = closest_name(v.name, vals)) d.help = fmt::format("did you mean `{}`?", *near);
            else d.help = fmt::format("add it to the enum, or use one of: {}", fmt::join(vals, ", "));
          }
        }
      }
      if (as.type) {
        if (auto t = cx_.resolve_type(*as.type); t && !(*t == c->type))
          cx_.diags.error("E0805", as.type->span,
                          fmt::format("state `{}` is {}, but `{}.{}` is {}", s.name, t->sql(), m_.tables[s.table].name,
                                      s.column, c->type.sql()));
      }
    }
    m_.states.push_back(std::move(s));
  }

  void extensions() {
    for (const auto& t : m_.tables)
      for (const auto& c : t.columns)
        if (c.type.is_vector() && std::find(m_.extensions.begin(), m_.extensions.end(), "vector") == m_.extensions.end())
          m_.extensions.push_back("vector");
  }

  Context& cx_;
  model::Model& m_;
  std::set<std::string> query_names_, flow_names_;
};

}  // namespace

void resolve_reads(Context& cx, const ast::File& spec) { ReadsResolver(cx).run(spec); }

}  // namespace packdb::check
