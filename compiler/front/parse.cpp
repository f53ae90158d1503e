#include "compiler/front/parse.hpp"

#include <fmt/format.h>

#include <future>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "grammar/errors.hpp"
#include "grammar/packdb.hpp"

namespace packdb {
namespace g = grammar;
namespace pegtl = tao::pegtl;
using Node = pegtl::parse_tree::node;

namespace {

// The parse-tree nodes the converter reads; everything else is folded away.
template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        // literals and expressions
        g::dq_string, g::sq_string, g::number_lit, g::true_lit, g::false_lit, g::null_lit, g::me_lit, g::param_name,
        g::name_ref, g::call, g::op_eq, g::op_ne, g::op_le, g::op_ge, g::op_lt, g::op_gt, g::comparison, g::is_null_tail,
        g::is_not, g::in_tail, g::negation, g::and_expr, g::or_expr, g::predicate, g::default_value, g::paren_expr,
        // types and tables
        g::type_ref, g::type_name, g::type_param, g::array_suffix, g::nullable_mark, g::col_name, g::col_opclass,
        g::col_desc, g::column_ref, g::per_owner, g::od_cascade, g::od_restrict, g::od_set_null, g::od_set_default,
        g::od_no_action, g::col_default, g::col_unique, g::ref_table, g::ref_column, g::col_references, g::col_check,
        g::col_primary_key, g::column_def, g::unique_def, g::index_unique, g::index_name, g::m_btree, g::m_hash, g::m_gin,
        g::m_gist, g::m_brin, g::m_hnsw, g::m_ivfflat, g::mt_cosine, g::mt_l2, g::mt_ip, g::mt_l1, g::index_using,
        g::index_where, g::index_def, g::check_name, g::check_def, g::ac_owner, g::ac_inherited, g::ac_public_read,
        g::ac_authenticated_read, g::ac_service_only, g::policy_name, g::pc_all, g::pc_select, g::pc_insert, g::pc_update,
        g::pc_delete, g::policy_role, g::policy_using_sql, g::policy_check_sql, g::policy_restrictive, g::policy_def,
        g::no_timestamps, g::table_body,
        // declarations
        g::decl_name, g::pack_name, g::purpose, g::setting_key, g::setting_value, g::setting, g::pack_version, g::pack_decl,
        g::profile_decl, g::import_path, g::import_decl, g::need_reason, g::need_decl, g::flow_format, g::flow_location, g::target_table,
        g::target_column, g::flow_target, g::p_high, g::p_medium, g::p_low, g::fl_into, g::fl_keep, g::fl_volume_text,
        g::fl_description_text, g::field_name, g::flow_kind_input, g::flow_kind_output, g::flow_decl,
        g::ms_field_path, g::ms_type, g::ms_file, g::ms_document, g::ms_item, g::ms_index, g::ms_path, g::ms_source, g::map_column,
        g::map_item, g::map_each_path, g::fl_map, g::state_value,
        g::state_type, g::state_decl, g::enum_value, g::enum_decl, g::owned_by_user, g::parent_name, g::link_name,
        g::mixin_name, g::table_decl, g::mixin_decl, g::enable_rls, g::add_column, g::extend_decl, g::from_table,
        g::rd_where, g::rd_order, g::limit_value, g::query_decl, g::search_column, g::search_param, g::search_decl,
        g::view_column, g::view_decl, g::seed_column, g::seed_value, g::seed_pair, g::seed_decl, g::renamed_old,
        g::allow_drop_table, g::allow_drop_column, g::allow_drop_value, g::allow_change_type, g::allow_object,
        g::allow_member, g::allow_reason, g::allow_decl>>;

// The parse tree of the selected rules, built by a control of our own rather than by
// pegtl::parse_tree, which gives every unselected rule that can hold a selected one a
// temporary node of its own, allocated whenever the rule is tried and freed after: most of a
// parse's allocations. Here an unselected rule only notes how many children the innermost
// open node has, and a failure cuts them back to that. The tree is the one parse_tree makes.
struct TreeState {
  std::vector<std::unique_ptr<Node>> open;  // the root, then the selected rules being matched
  std::vector<std::size_t> marks;           // children counts, one per unselected rule being matched
  TreeState() { open.push_back(std::make_unique<Node>()); }
};

template <typename Rule>
struct tree_control : g::control<Rule> {
  static constexpr bool selected = selector<Rule>::value;
  // No selected rule below (pegtl's own test, to its depth of 8): nothing to note or undo.
  static constexpr bool leaf = pegtl::parse_tree::internal::is_leaf<8, typename Rule::subs_t, selector>;

  template <typename ParseInput>
  static void start(const ParseInput& in, TreeState& s) {
    if constexpr (selected) {
      s.open.push_back(std::make_unique<Node>());
      s.open.back()->template start<Rule>(in);
    } else if constexpr (!leaf) {
      s.marks.push_back(s.open.back()->children.size());
    }
  }
  template <typename ParseInput>
  static void success(const ParseInput& in, TreeState& s) {
    if constexpr (selected) {
      std::unique_ptr<Node> n = std::move(s.open.back());
      s.open.pop_back();
      n->template success<Rule>(in);
      s.open.back()->children.push_back(std::move(n));
    } else if constexpr (!leaf) {
      s.marks.pop_back();
    }
  }
  template <typename ParseInput>
  static void failure(const ParseInput&, TreeState& s) {
    if constexpr (selected) {
      s.open.pop_back();
    } else if constexpr (!leaf) {
      s.open.back()->children.resize(s.marks.back());
      s.marks.pop_back();
    }
  }
};

// One declaration's tree (its root holds the declaration), or null if none starts here.
std::unique_ptr<Node> parse_declaration(pegtl::memory_input<>& in) {
  TreeState s;
  if (!pegtl::parse<g::declaration_step, pegtl::nothing, tree_control>(in, s)) return nullptr;
  return std::move(s.open.front());
}

class Converter {
 public:
  Converter(const char* base, std::uint32_t file_id, Diagnostics& diags)
      : base_(base), file_(file_id), diags_(diags) {}

  Span span(const Node& n) const {
    return {file_, static_cast<std::uint32_t>(n.m_begin.data - base_), static_cast<std::uint32_t>(n.m_end.data - base_)};
  }

  ast::Ident ident(const Node& n) const { return {n.string(), span(n)}; }

  // The first child of type R, or null.
  template <typename R>
  static const Node* child(const Node& n) {
    for (const auto& c : n.children)
      if (c->is_type<R>()) return c.get();
    return nullptr;
  }

  template <typename R>
  static std::vector<const Node*> children(const Node& n) {
    std::vector<const Node*> out;
    for (const auto& c : n.children)
      if (c->is_type<R>()) out.push_back(c.get());
    return out;
  }

  // Unquotes a string literal: "…" with backslash escapes, '…' with doubled quotes.
  static std::string unquote(const Node& n) {
    std::string_view s = n.string_view();
    std::string out;
    if (s.size() < 2) return out;
    char q = s.front();
    s = s.substr(1, s.size() - 2);
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (q == '"' && s[i] == '\\' && i + 1 < s.size()) {
        char e = s[++i];
        out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else if (q == '\'' && s[i] == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
        out.push_back('\'');
        ++i;
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
  }

  static std::string string_of(const Node& n) {
    // A wrapper (purpose, need_reason, …) holds the string literal as its only child.
    if (n.is_type<g::dq_string>() || n.is_type<g::sq_string>()) return unquote(n);
    for (const auto& c : n.children)
      if (c->is_type<g::dq_string>() || c->is_type<g::sq_string>()) return unquote(*c);
    return n.string();
  }

  // ---------------------------------------------------------------- expressions
  ast::ExprPtr expr(const Node& n) {
    auto e = std::make_unique<ast::Expr>();
    e->span = span(n);
    if (n.is_type<g::predicate>() || n.is_type<g::default_value>() || n.is_type<g::paren_expr>() ||
        n.is_type<g::setting_value>() || n.is_type<g::seed_value>()) {
      if (n.children.size() == 1) return expr(*n.children[0]);
    }
    if (n.is_type<g::or_expr>() || n.is_type<g::and_expr>()) {
      // or_expr/and_expr nodes exist only when they had operands; fold left.
      const char* op = n.is_type<g::or_expr>() ? "or" : "and";
      if (n.children.size() == 1) return expr(*n.children[0]);
      ast::ExprPtr acc = expr(*n.children[0]);
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        auto b = std::make_unique<ast::Expr>();
        b->kind = ast::ExprKind::binary;
        b->text = op;
        b->span = {file_, acc->span.begin, span(*n.children[i]).end};
        b->args.push_back(std::move(acc));
        b->args.push_back(expr(*n.children[i]));
        acc = std::move(b);
      }
      return acc;
    }
    if (n.is_type<g::negation>()) {
      e->kind = ast::ExprKind::unary_not;
      e->args.push_back(expr(*n.children.at(0)));
      return e;
    }
    if (n.is_type<g::comparison>()) {
      if (n.children.size() == 1) return expr(*n.children[0]);
      const Node& lhs = *n.children[0];
      const Node& tail = *n.children[1];
      if (tail.is_type<g::is_null_tail>()) {
        e->kind = ast::ExprKind::is_null;
        e->negated = child<g::is_not>(tail) != nullptr;
        e->args.push_back(expr(lhs));
        return e;
      }
      if (tail.is_type<g::in_tail>()) {
        e->kind = ast::ExprKind::in_list;
        e->args.push_back(expr(lhs));
        for (const auto& c : tail.children) e->args.push_back(expr(*c));
        return e;
      }
      // cmp_tail is not stored: its operator and operand are folded into the comparison.
      e->kind = ast::ExprKind::binary;
      std::string_view op = n.children[1]->string_view();
      e->text = op == "<>" ? "!=" : std::string(op);
      e->args.push_back(expr(lhs));
      e->args.push_back(expr(*n.children.at(2)));
      return e;
    }
    if (n.is_type<g::dq_string>() || n.is_type<g::sq_string>()) {
      e->kind = ast::ExprKind::string_lit;
      e->text = unquote(n);
    } else if (n.is_type<g::number_lit>()) {
      e->kind = ast::ExprKind::number_lit;
      e->text = n.string();
    } else if (n.is_type<g::true_lit>() || n.is_type<g::false_lit>()) {
      e->kind = ast::ExprKind::bool_lit;
      e->text = n.string();
    } else if (n.is_type<g::null_lit>()) {
      e->kind = ast::ExprKind::null_lit;
    } else if (n.is_type<g::me_lit>()) {
      e->kind = ast::ExprKind::me;
    } else if (n.is_type<g::param_name>()) {
      e->kind = ast::ExprKind::param;
      e->text = n.string();
      e->span.begin -= 1;  // include the `$`
    } else if (n.is_type<g::call>()) {
      e->kind = ast::ExprKind::call;
      e->text = n.children.at(0)->string();
      for (std::size_t i = 1; i < n.children.size(); ++i) e->args.push_back(expr(*n.children[i]));
    } else if (n.is_type<g::name_ref>()) {
      e->kind = ast::ExprKind::name;
      e->text = n.string();
    } else {
      e->kind = ast::ExprKind::name;
      e->text = n.string();
    }
    return e;
  }

  // ---------------------------------------------------------------- types and columns
  ast::TypeRef type_ref(const Node& n) {
    ast::TypeRef t;
    t.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::type_name>()) t.name = ident(*c);
      else if (c->is_type<g::type_param>()) t.params.push_back(std::stoll(c->string()));
      else if (c->is_type<g::array_suffix>()) ++t.array_dims;
    }
    return t;
  }

  ast::ColumnRef column_ref(const Node& n) {
    ast::ColumnRef r;
    for (const auto& c : n.children) {
      if (c->is_type<g::col_name>()) r.name = ident(*c);
      else if (c->is_type<g::col_desc>()) r.descending = true;
      else if (c->is_type<g::col_opclass>()) r.opclass = ident(*c);
    }
    return r;
  }

  std::vector<ast::ColumnRef> column_refs(const Node& n) {
    std::vector<ast::ColumnRef> out;
    for (const Node* c : children<g::column_ref>(n)) out.push_back(column_ref(*c));
    return out;
  }

  static ast::OnDelete on_delete(const Node& n) {
    if (n.is_type<g::od_cascade>()) return ast::OnDelete::cascade;
    if (n.is_type<g::od_restrict>()) return ast::OnDelete::restrict;
    if (n.is_type<g::od_set_null>()) return ast::OnDelete::set_null;
    if (n.is_type<g::od_set_default>()) return ast::OnDelete::set_default;
    return ast::OnDelete::no_action;
  }

  static bool is_on_delete(const Node& n) {
    return n.is_type<g::od_cascade>() || n.is_type<g::od_restrict>() || n.is_type<g::od_set_null>() ||
           n.is_type<g::od_set_default>() || n.is_type<g::od_no_action>();
  }

  ast::Column column(const Node& n) {
    ast::Column col;
    col.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::col_name>()) col.name = ident(*c);
      else if (c->is_type<g::type_ref>()) col.type = type_ref(*c);
      else if (c->is_type<g::nullable_mark>()) col.nullable = true;
      else if (c->is_type<g::col_default>()) col.default_value = expr(*c->children.at(0));
      else if (c->is_type<g::col_unique>()) {
        col.unique = true;
        col.unique_per_owner = child<g::per_owner>(*c) != nullptr;
        col.unique_span = span(*c);
      } else if (c->is_type<g::col_references>()) {
        ast::Reference r;
        r.span = span(*c);
        for (const auto& rc : c->children) {
          if (rc->is_type<g::ref_table>()) r.table = ident(*rc);
          else if (rc->is_type<g::ref_column>()) r.column = ident(*rc);
          else if (is_on_delete(*rc)) {
            r.on_delete = on_delete(*rc);
            r.on_delete_span = span(*rc);
          }
        }
        col.references = std::move(r);
      } else if (c->is_type<g::col_check>()) {
        col.check = expr(*c->children.at(0));
      } else if (c->is_type<g::col_primary_key>()) {
        col.primary_key = true;
      } else if (c->is_type<g::renamed_old>()) {
        col.renamed_from = ident(*c);
      }
    }
    return col;
  }

  ast::Index index(const Node& n) {
    ast::Index ix;
    ix.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::index_unique>()) ix.unique = true;
      else if (c->is_type<g::index_name>()) ix.name = ident(*c);
      else if (c->is_type<g::column_ref>()) ix.columns.push_back(column_ref(*c));
      else if (c->is_type<g::index_using>()) {
        for (const auto& u : c->children) {
          using M = ast::IndexMethod;
          using T = ast::Metric;
          if (u->is_type<g::m_btree>()) ix.method = M::btree;
          else if (u->is_type<g::m_hash>()) ix.method = M::hash;
          else if (u->is_type<g::m_gin>()) ix.method = M::gin;
          else if (u->is_type<g::m_gist>()) ix.method = M::gist;
          else if (u->is_type<g::m_brin>()) ix.method = M::brin;
          else if (u->is_type<g::m_hnsw>()) ix.method = M::hnsw;
          else if (u->is_type<g::m_ivfflat>()) ix.method = M::ivfflat;
          else if (u->is_type<g::mt_cosine>()) ix.metric = T::cosine;
          else if (u->is_type<g::mt_l2>()) ix.metric = T::l2;
          else if (u->is_type<g::mt_ip>()) ix.metric = T::inner_product;
          else if (u->is_type<g::mt_l1>()) ix.metric = T::l1;
          if (u->is_type<g::mt_cosine>() || u->is_type<g::mt_l2>() || u->is_type<g::mt_ip>() || u->is_type<g::mt_l1>())
            ix.metric_span = span(*u);
          else
            ix.method_span = span(*u);
        }
      } else if (c->is_type<g::index_where>()) {
        ix.where = expr(*c->children.at(0));
      }
    }
    return ix;
  }

  ast::Policy policy(const Node& n) {
    ast::Policy p;
    p.span = span(n);
    for (const auto& c : n.children) {
      using C = ast::PolicyCommand;
      if (c->is_type<g::policy_name>()) p.name = ident(*c);
      else if (c->is_type<g::pc_all>()) p.command = C::all;
      else if (c->is_type<g::pc_select>()) p.command = C::select;
      else if (c->is_type<g::pc_insert>()) p.command = C::insert;
      else if (c->is_type<g::pc_update>()) p.command = C::update;
      else if (c->is_type<g::pc_delete>()) p.command = C::delete_;
      else if (c->is_type<g::policy_restrictive>()) p.restrictive = true;
      else if (c->is_type<g::policy_role>()) p.roles.push_back(ident(*c));
      else if (c->is_type<g::policy_using_sql>()) {
        p.using_sql = string_of(*c);
        p.using_span = span(*c);
      } else if (c->is_type<g::policy_check_sql>()) {
        p.check_sql = string_of(*c);
        p.check_span = span(*c);
      }
    }
    return p;
  }

  void table_item(const Node& c, ast::TableBody& body) {
    if (c.is_type<g::column_def>()) body.columns.push_back(column(c));
    else if (c.is_type<g::unique_def>()) {
      ast::Unique u;
      u.span = span(c);
      u.columns = column_refs(c);
      u.per_owner = child<g::per_owner>(c) != nullptr;
      body.uniques.push_back(std::move(u));
    } else if (c.is_type<g::index_def>()) body.indexes.push_back(index(c));
    else if (c.is_type<g::check_def>()) {
      ast::Check ck;
      ck.span = span(c);
      if (const Node* nm = child<g::check_name>(c)) ck.name = ident(*nm);
      ck.expr = expr(*child<g::predicate>(c));
      body.checks.push_back(std::move(ck));
    } else if (c.is_type<g::ac_owner>()) body.access.push_back({ast::AccessKind::owner, span(c)});
    else if (c.is_type<g::ac_inherited>()) body.access.push_back({ast::AccessKind::inherited, span(c)});
    else if (c.is_type<g::ac_public_read>()) body.access.push_back({ast::AccessKind::public_read, span(c)});
    else if (c.is_type<g::ac_authenticated_read>()) body.access.push_back({ast::AccessKind::authenticated_read, span(c)});
    else if (c.is_type<g::ac_service_only>()) body.access.push_back({ast::AccessKind::service_only, span(c)});
    else if (c.is_type<g::policy_def>()) body.policies.push_back(policy(c));
    else if (c.is_type<g::no_timestamps>()) {
      body.no_timestamps = true;
      body.no_timestamps_span = span(c);
    }
  }

  ast::TableBody table_body(const Node& n) {
    ast::TableBody body;
    for (const auto& c : n.children) table_item(*c, body);
    return body;
  }

  // ---------------------------------------------------------------- declarations
  std::vector<ast::Setting> settings(const Node& n) {
    std::vector<ast::Setting> out;
    for (const Node* s : children<g::setting>(n)) {
      ast::Setting st;
      st.span = span(*s);
      st.key = ident(*child<g::setting_key>(*s));
      st.value = expr(*child<g::setting_value>(*s));
      out.push_back(std::move(st));
    }
    return out;
  }

  ast::FlowTarget flow_target(const Node& n) {
    ast::FlowTarget t;
    t.span = span(n);
    t.table = ident(*child<g::target_table>(n));
    if (const Node* c = child<g::target_column>(n)) t.column = ident(*c);
    return t;
  }

  ast::DataFlow flow(const Node& n) {
    ast::DataFlow f;
    f.span = span(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::flow_kind_input>()) f.kind = ast::FlowKind::input;
      else if (c->is_type<g::flow_kind_output>()) f.kind = ast::FlowKind::output;
      else if (c->is_type<g::decl_name>()) f.name = ident(*c);
      else if (c->is_type<g::flow_format>()) f.format = ident(*c);
      else if (c->is_type<g::flow_location>()) {
        f.location = string_of(*c);
        f.location_span = span(*c);
      } else if (c->is_type<g::fl_into>()) f.into = flow_target(*c->children.at(0));
      else if (c->is_type<g::fl_keep>()) {
        f.keep_files = true;
        f.keep_span = span(*c);
      } else if (c->is_type<g::p_high>() || c->is_type<g::p_medium>() || c->is_type<g::p_low>()) {
        f.persistence = c->is_type<g::p_high>()     ? ast::Persistence::high
                        : c->is_type<g::p_medium>() ? ast::Persistence::medium
                                                    : ast::Persistence::low;
        f.persistence_span = span(*c);
      } else if (c->is_type<g::fl_volume_text>()) f.volume = string_of(*c);
      else if (c->is_type<g::fl_description_text>()) f.description = string_of(*c);
      else if (c->is_type<g::field_name>()) f.fields.push_back(ident(*c));
      else if (c->is_type<g::fl_map>()) {
        if (f.map)  // two maps would be two answers to one question
          diags_.error("E0820", span(*c), fmt::format("data flow `{}` has two `map` blocks", f.name.name))
              .notes.push_back({f.map->span, "the first is here"});
        else
          f.map = flow_map(*c);
      }
    }
    return f;
  }

  ast::FlowMap flow_map(const Node& n) {
    ast::FlowMap m;
    m.span = span(n);
    if (const Node* e = child<g::map_each_path>(n)) {
      m.each = string_of(*e);
      m.each_span = span(*e);
    }
    for (const Node* it : children<g::map_item>(n)) {
      ast::MapItem mi;
      mi.span = span(*it);
      mi.column = ident(*child<g::map_column>(*it));
      const Node* declared = child<g::ms_type>(*it);  // `as TYPE`, after the field's path
      const Node& src = *it->children.at(it->children.size() - (declared ? 2 : 1));
      mi.source_span = span(src);
      if (src.is_type<g::ms_field_path>()) {
        mi.source = ast::MapSource::field;
        mi.field = string_of(src);
        if (declared) mi.type = type_ref(*declared);
      } else if (src.is_type<g::ms_file>()) mi.source = ast::MapSource::file;
      else if (src.is_type<g::ms_document>()) mi.source = ast::MapSource::document;
      else if (src.is_type<g::ms_item>()) mi.source = ast::MapSource::item;
      else if (src.is_type<g::ms_index>()) mi.source = ast::MapSource::index;
      else if (src.is_type<g::ms_path>()) mi.source = ast::MapSource::path;
      else mi.source = ast::MapSource::source;
      m.items.push_back(std::move(mi));
    }
    return m;
  }

  void declaration(const Node& n, ast::File& file) {
    if (n.is_type<g::pack_decl>()) {
      ast::PackHeader p;
      p.span = span(n);
      p.name = ident(*child<g::pack_name>(n));
      if (const Node* v = child<g::pack_version>(n)) {
        p.version = string_of(*v);
        p.version_span = span(*v);
      }
      p.settings = settings(n);
      if (file.pack) {
        diags_.error("E0102", p.name.span, "a file has one `pack` header")
            .notes.push_back({file.pack->name.span, "the first header is here"});
      } else {
        file.pack = std::move(p);
      }
    } else if (n.is_type<g::profile_decl>()) {
      file.profiles.push_back({ident(*child<g::decl_name>(n)), settings(n), span(n)});
    } else if (n.is_type<g::import_decl>()) {
      for (const auto& m : n.children) {
        if (m->is_type<g::decl_name>()) file.imports.push_back({ident(*m), span(*m), {}});
        else if (m->is_type<g::import_path>()) file.imports.push_back({{string_of(*m), span(*m)}, span(*m), string_of(*m)});
      }
    } else if (n.is_type<g::need_decl>()) {
      file.needs.push_back({ident(*child<g::decl_name>(n)), string_of(*child<g::need_reason>(n)), span(n)});
    } else if (n.is_type<g::flow_decl>()) {
      file.flows.push_back(flow(n));
    } else if (n.is_type<g::state_decl>()) {
      ast::State s;
      s.span = span(n);
      s.name = ident(*child<g::decl_name>(n));
      for (const Node* v : children<g::state_value>(n)) s.values.push_back(ident(*v));
      if (const Node* t = child<g::state_type>(n)) s.type = type_ref(*t->children.at(0));
      if (const Node* t = child<g::flow_target>(n)) s.target = flow_target(*t);
      s.keep_files = child<g::fl_keep>(n) != nullptr;
      file.states.push_back(std::move(s));
    } else if (n.is_type<g::enum_decl>()) {
      ast::Enum e;
      e.span = span(n);
      e.name = ident(*child<g::decl_name>(n));
      for (const Node* v : children<g::enum_value>(n)) e.values.push_back(ident(*v));
      file.enums.push_back(std::move(e));
    } else if (n.is_type<g::table_decl>()) {
      ast::Table t;
      t.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::decl_name>()) t.name = ident(*c);
        else if (c->is_type<g::owned_by_user>()) {
          t.owned_by_user = true;
          t.owned_span = span(*c);
        } else if (c->is_type<g::parent_name>()) {
          if (t.parent)
            diags_.error("E0115", span(*c), "a table has one parent").notes.push_back({t.parent->span, "the parent is already given here"});
          t.parent = ident(*c);
        }
        else if (c->is_type<g::link_name>()) t.links.push_back(ident(*c));
        else if (c->is_type<g::mixin_name>()) t.mixins.push_back(ident(*c));
        else if (c->is_type<g::purpose>()) t.purpose = string_of(*c);
        else if (c->is_type<g::renamed_old>()) t.renamed_from = ident(*c);
        else if (c->is_type<g::table_body>()) t.body = table_body(*c);
      }
      file.tables.push_back(std::move(t));
    } else if (n.is_type<g::mixin_decl>()) {
      ast::Mixin m;
      m.span = span(n);
      m.name = ident(*child<g::decl_name>(n));
      m.body = table_body(*child<g::table_body>(n));
      file.mixins.push_back(std::move(m));
    } else if (n.is_type<g::extend_decl>()) {
      ast::ExtendTable x;
      x.span = span(n);
      x.name = ident(*child<g::decl_name>(n));
      for (const auto& c : n.children) {
        if (c->is_type<g::enable_rls>()) x.enable_rls = true;
        else if (c->is_type<g::add_column>()) x.added.columns.push_back(column(*c->children.at(0)));
        else if (!c->is_type<g::decl_name>()) table_item(*c, x.added);
      }
      file.extends.push_back(std::move(x));
    } else if (n.is_type<g::query_decl>()) {
      ast::Query q;
      q.span = span(n);
      q.name = ident(*child<g::decl_name>(n));
      q.table = ident(*child<g::from_table>(n));
      if (const Node* w = child<g::rd_where>(n)) q.where = expr(*w->children.at(0));
      if (const Node* o = child<g::rd_order>(n)) q.order_by = column_refs(*o);
      if (const Node* l = child<g::limit_value>(n)) q.limit = std::stoll(l->string());
      file.queries.push_back(std::move(q));
    } else if (n.is_type<g::search_decl>()) {
      ast::Search s;
      s.span = span(n);
      s.name = ident(*child<g::decl_name>(n));
      s.table = ident(*child<g::from_table>(n));
      s.column = ident(*child<g::search_column>(n));
      const Node* p = child<g::search_param>(n);
      s.param = ident(*p->children.at(0));
      if (const Node* w = child<g::rd_where>(n)) s.where = expr(*w->children.at(0));
      if (const Node* l = child<g::limit_value>(n)) s.limit = std::stoll(l->string());
      file.searches.push_back(std::move(s));
    } else if (n.is_type<g::view_decl>()) {
      ast::View v;
      v.span = span(n);
      v.name = ident(*child<g::decl_name>(n));
      v.table = ident(*child<g::from_table>(n));
      if (const Node* w = child<g::rd_where>(n)) v.where = expr(*w->children.at(0));
      for (const Node* c : children<g::view_column>(n)) v.columns.push_back(ident(*c));
      file.views.push_back(std::move(v));
    } else if (n.is_type<g::allow_decl>()) {
      ast::Allow a;
      a.span = span(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::allow_drop_table>()) a.kind = ast::AllowKind::drop_table;
        else if (c->is_type<g::allow_drop_column>()) a.kind = ast::AllowKind::drop_column;
        else if (c->is_type<g::allow_drop_value>()) a.kind = ast::AllowKind::drop_value;
        else if (c->is_type<g::allow_change_type>()) a.kind = ast::AllowKind::change_type;
        else if (c->is_type<g::allow_object>()) a.object = ident(*c);
        else if (c->is_type<g::allow_member>()) a.member = ident(*c);
        else if (c->is_type<g::allow_reason>()) a.reason = string_of(*c);
      }
      file.allows.push_back(std::move(a));
    } else if (n.is_type<g::seed_decl>()) {
      ast::Seed s;
      s.span = span(n);
      s.table = ident(*child<g::from_table>(n));
      for (const Node* p : children<g::seed_pair>(n))
        s.values.push_back({ident(*child<g::seed_column>(*p)), expr(*child<g::seed_value>(*p))});
      file.seeds.push_back(std::move(s));
    }
  }

 private:
  const char* base_;
  std::uint32_t file_;
  Diagnostics& diags_;
};

// Reports the first byte that is not valid UTF-8, so the error has a position.
std::optional<std::uint32_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return static_cast<std::uint32_t>(i);
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return static_cast<std::uint32_t>(i);
    if (len == 2 && c < 0xC2) return static_cast<std::uint32_t>(i);  // overlong
    i += len;
  }
  return std::nullopt;
}

// The offset of the first line after `off` that starts, in its first column, with a
// declaration's keyword; the end of the text if there is none.
std::size_t next_declaration_line(const std::string& text, std::size_t off) {
  for (std::size_t nl = text.find('\n', off); nl != std::string::npos; nl = text.find('\n', nl + 1)) {
    pegtl::memory_input in(text.data() + nl + 1, text.size() - nl - 1, "");
    if (pegtl::parse<g::declaration_start>(in)) return nl + 1;
  }
  return text.size() + 1;  // past the end: nothing is left to parse
}

// What parse_range read: the declarations of text[from, stop), converted.
struct Range {
  ast::File file;
  bool failed = false;   // a syntax error was reported
  std::size_t stop = 0;  // where parsing stopped: the end, or the first declaration at or after `until`
};

// Parses the declarations from `from` (the start of the file, or of a line that starts a
// declaration) until the end of the text, or until the first declaration that starts at or
// after `until`. One declaration's parse tree at a time, converted and freed before the next:
// the tree of a whole file is many times the size of its AST (a node per selected rule
// attempt), and a small tree stays in the cache.
Range parse_range(const std::string& text, std::uint32_t file_id, std::size_t from, std::size_t until, Diagnostics& diags) {
  Range r;
  r.file.file_id = file_id;
  Converter conv(text.data(), file_id, diags);
  // After a syntax error, parsing goes on at the next line that starts a declaration, so one run
  // reports the syntax errors of several declarations; what lies between is skipped, so it
  // cannot cascade into errors of its own. The file then yields no AST: its errors stand alone.
  std::size_t errors = 0;
  bool head = from == 0;
  while (from <= text.size()) {
    pegtl::memory_input in(text.data() + from, text.size() - from, "");
    try {
      if (head) pegtl::parse<g::file_head, pegtl::nothing, g::control>(in);
      head = false;
      while (!in.empty()) {
        if (static_cast<std::size_t>(in.current() - text.data()) >= until) {
          r.stop = static_cast<std::size_t>(in.current() - text.data());
          return r;
        }
        std::unique_ptr<Node> root = parse_declaration(in);
        if (!root) break;
        if (!r.failed)
          for (const auto& d : root->children) conv.declaration(*d, r.file);
      }
      pegtl::parse<g::file_end, pegtl::nothing, g::control>(in);
      break;
    } catch (const pegtl::parse_error& e) {
      const auto off = static_cast<std::uint32_t>(from + e.positions().front().byte);
      Diagnostic& d = diags.error("P0001", {file_id, off, off + 1}, std::string(e.message()));
      r.failed = true;
      if (++errors == max_syntax_errors) {
        d.help = fmt::format("{} syntax errors: the rest of the file was not read", max_syntax_errors);
        break;
      }
      from = next_declaration_line(text, off);
    }
  }
  r.stop = text.size();
  return r;
}

template <typename T>
void append_all(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// A file's two halves, split at a line near the middle that starts with a declaration's keyword,
// each parsed on a thread of its own. The result stands only when it is what one pass gives: the
// first half's last declaration ended exactly at the split (the keyword was not inside a comment
// or a string), neither half said anything (no diagnostics to order or to cap), and the second
// half has no `pack` header (a second one is an error the first half would not see). Otherwise
// the caller parses the file in one pass.
std::optional<ast::File> parse_halves(const std::string& text, std::uint32_t file_id) {
  const std::size_t mid = next_declaration_line(text, text.size() / 2);
  if (mid >= text.size()) return std::nullopt;
  Diagnostics second_diags;
  auto second = std::async(std::launch::async, [&] { return parse_range(text, file_id, mid, std::string::npos, second_diags); });
  Diagnostics first_diags;
  Range a = parse_range(text, file_id, 0, mid, first_diags);
  Range b = second.get();
  if (a.stop != mid || !first_diags.all().empty() || !second_diags.all().empty() || b.file.pack) return std::nullopt;
  ast::File& f = a.file;
  // Every list of the file, in declaration order: a field added to ast::File must be added here.
  static_assert(sizeof(ast::File) == sizeof(std::uint32_t) * 2 + sizeof(std::optional<ast::PackHeader>) +
                                         14 * sizeof(std::vector<int>),
                "merge every field of ast::File");
  append_all(f.imports, b.file.imports);
  append_all(f.profiles, b.file.profiles);
  append_all(f.needs, b.file.needs);
  append_all(f.flows, b.file.flows);
  append_all(f.states, b.file.states);
  append_all(f.enums, b.file.enums);
  append_all(f.tables, b.file.tables);
  append_all(f.mixins, b.file.mixins);
  append_all(f.extends, b.file.extends);
  append_all(f.queries, b.file.queries);
  append_all(f.searches, b.file.searches);
  append_all(f.views, b.file.views);
  append_all(f.seeds, b.file.seeds);
  append_all(f.allows, b.file.allows);
  return std::move(f);
}

}  // namespace

std::optional<ast::File> parse_file(const SourceSet& sources, std::uint32_t file_id, Diagnostics& diags,
                                   std::size_t parallel_from_bytes, std::size_t max_bytes) {
  const Source& src = sources.get(file_id);
  const std::string& text = src.text();
  if (text.size() > max_bytes) {
    diags.error("P0003", {file_id, 0, 0},
                fmt::format("file is too large ({} bytes; the limit is {} bytes)", text.size(), max_bytes));
    return std::nullopt;
  }
  if (auto bad = first_invalid_utf8(text)) {
    diags.error("P0002", {file_id, *bad, *bad + 1}, "invalid UTF-8 in the source")
        .help = "save the file as UTF-8";
    return std::nullopt;
  }
  if (text.find('\0') != std::string::npos) {
    auto at = static_cast<std::uint32_t>(text.find('\0'));
    diags.error("P0002", {file_id, at, at + 1}, "unexpected NUL byte; this looks like a binary file, not a .packdb spec");
    return std::nullopt;
  }
  // Halves of a large file are parsed at once on two threads (parsing is a sixth of a large
  // compile and serial), whenever that gives exactly what one pass gives; see parse_halves.
  if (text.size() >= parallel_from_bytes) {
    if (auto file = parse_halves(text, file_id)) return file;
  }
  Range r = parse_range(text, file_id, 0, std::string::npos, diags);
  if (r.failed) return std::nullopt;
  return std::move(r.file);
}

}  // namespace packdb
