// The .packdb language as PEGTL rules — rules only, nothing of the compiler.
// docs/language.md explains each construct; grammar/errors.hpp holds the messages
// raised when a `must<>` fails, so a user reads "expected a column type", never a rule name.
//
// The grammar is deliberately loose (a declaration may appear anywhere a declaration can),
// and the passes in compiler/check are strict; see STYLE in docs/architecture.md.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace packdb::grammar {
namespace pegtl = tao::pegtl;
using namespace pegtl;

// Deepest nesting of parentheses / `not` in an expression. A hostile spec with
// 10,000 nested parentheses gets an error instead of exhausting the stack.
inline constexpr std::size_t max_nesting = 256;

// Counts nesting depth for the recursive rules (parenthesised expressions, `not`).
template <typename Rule>
struct nest {
  using rule_t = nest;
  using subs_t = type_list<Rule>;
  template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    ++in.private_depth;
    struct guard {
      std::size_t& d;
      ~guard() { --d; }
    } g{in.private_depth};
    if (in.private_depth > max_nesting)
      throw parse_error("expression nested too deeply (the limit is 256 levels)", in);
    return Control<Rule>::template match<A, M, Action, Control>(in, st...);
  }
};

// `Rule`, tried only where `Head` (its first token) matches. A rule the parse tree keeps gets a
// node as soon as it is tried, matched or not; in a choice of such rules the lookahead, which
// makes no node, spares the allocations of the alternatives that cannot match (a column line
// would otherwise build and drop five nodes before its own). Same language, same errors.
template <typename Head, typename Rule>
struct led_by : seq<at<Head>, Rule> {};

// ---------------------------------------------------------------- lexical
struct line_comment : seq<two<'/'>, until<eolf>> {};
struct block_comment_end : string<'*', '/'> {};
struct block_comment_rest : until<block_comment_end> {};
struct block_comment : if_must<string<'/', '*'>, block_comment_rest> {};
struct comment : sor<line_comment, block_comment> {};
struct pad : sor<space, comment> {};                // one piece of whitespace or a comment
struct sp : star<pad> {};                            // whitespace and comments
struct hs : star<sor<blank, block_comment>> {};      // the same, within one line

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident : seq<ident_first, star<ident_other>> {};

#define PACKDB_KW(name, text) \
  struct kw_##name : TAO_PEGTL_KEYWORD(text) {}
PACKDB_KW(pack, "pack");
PACKDB_KW(version, "version");
PACKDB_KW(import, "import");
PACKDB_KW(need, "need");
PACKDB_KW(input, "input");
PACKDB_KW(output, "output");
PACKDB_KW(state, "state");
PACKDB_KW(enum_, "enum");
PACKDB_KW(table, "table");
PACKDB_KW(mixin, "mixin");
PACKDB_KW(extend, "extend");
PACKDB_KW(query, "query");
PACKDB_KW(search, "search");
PACKDB_KW(view, "view");
PACKDB_KW(seed, "seed");
PACKDB_KW(profile, "profile");
PACKDB_KW(owned, "owned");
PACKDB_KW(by, "by");
PACKDB_KW(user, "user");
PACKDB_KW(in, "in");
PACKDB_KW(links, "links");
PACKDB_KW(and_, "and");
PACKDB_KW(or_, "or");
PACKDB_KW(not_, "not");
PACKDB_KW(is, "is");
PACKDB_KW(null, "null");
PACKDB_KW(true_, "true");
PACKDB_KW(false_, "false");
PACKDB_KW(me, "me");
PACKDB_KW(uses, "uses");
PACKDB_KW(unique, "unique");
PACKDB_KW(per, "per");
PACKDB_KW(owner, "owner");
PACKDB_KW(index, "index");
PACKDB_KW(using_, "using");
PACKDB_KW(where, "where");
PACKDB_KW(check, "check");
PACKDB_KW(access, "access");
PACKDB_KW(policy, "policy");
PACKDB_KW(for_, "for");
PACKDB_KW(to, "to");
PACKDB_KW(with, "with");
PACKDB_KW(restrictive, "restrictive");
PACKDB_KW(references, "references");
PACKDB_KW(on, "on");
PACKDB_KW(delete_, "delete");
PACKDB_KW(cascade, "cascade");
PACKDB_KW(restrict_, "restrict");
PACKDB_KW(set, "set");
PACKDB_KW(default_, "default");
PACKDB_KW(no, "no");
PACKDB_KW(action, "action");
PACKDB_KW(timestamps, "timestamps");
PACKDB_KW(primary, "primary");
PACKDB_KW(key, "key");
PACKDB_KW(add, "add");
PACKDB_KW(column, "column");
PACKDB_KW(enable, "enable");
PACKDB_KW(rls, "rls");
PACKDB_KW(at, "at");
PACKDB_KW(into, "into");
PACKDB_KW(keep, "keep");
PACKDB_KW(files, "files");
PACKDB_KW(persist, "persist");
PACKDB_KW(volume, "volume");
PACKDB_KW(fields, "fields");
PACKDB_KW(description, "description");
PACKDB_KW(map, "map");
PACKDB_KW(each, "each");
PACKDB_KW(field, "field");
PACKDB_KW(as, "as");
PACKDB_KW(order, "order");
PACKDB_KW(asc, "asc");
PACKDB_KW(desc, "desc");
PACKDB_KW(limit, "limit");
PACKDB_KW(nearest, "nearest");
PACKDB_KW(select, "select");
PACKDB_KW(ops, "ops");
PACKDB_KW(public_, "public");
PACKDB_KW(read, "read");
PACKDB_KW(authenticated, "authenticated");
PACKDB_KW(service, "service");
PACKDB_KW(only, "only");
PACKDB_KW(inherited, "inherited");
PACKDB_KW(renamed, "renamed");
PACKDB_KW(from, "from");
PACKDB_KW(allow, "allow");
PACKDB_KW(drop, "drop");
PACKDB_KW(value, "value");
PACKDB_KW(change, "change");
PACKDB_KW(type, "type");
#undef PACKDB_KW

// ---------------------------------------------------------------- literals
struct escape : seq<one<'\\'>, any> {};
struct dq_body : star<sor<escape, not_one<'"', '\\', '\n', '\r'>>> {};
struct dq_close : one<'"'> {};
struct dq_string : if_must<one<'"'>, dq_body, dq_close> {};
struct sq_body : star<sor<two<'\''>, not_one<'\'', '\n', '\r'>>> {};
struct sq_close : one<'\''> {};
struct sq_string : if_must<one<'\''>, sq_body, sq_close> {};
struct string_lit : sor<led_by<one<'"'>, dq_string>, led_by<one<'\''>, sq_string>> {};
struct number_lit : seq<opt<one<'-'>>, plus<digit>, opt<one<'.'>, plus<digit>>> {};
struct integer : plus<digit> {};
struct true_lit : kw_true_ {};
struct false_lit : kw_false_ {};
struct null_lit : kw_null {};
struct me_lit : kw_me {};
struct param_name : ident {};
struct param : seq<one<'$'>, must<param_name>> {};

// ---------------------------------------------------------------- expressions
struct expr;
struct name_ref : ident {};
struct call_args : opt<list<expr, one<','>, pad>> {};
struct call_close : one<')'> {};
struct call : seq<name_ref, sp, one<'('>, sp, call_args, sp, must<call_close>> {};
struct paren_close : one<')'> {};
struct nested_expr : nest<expr> {};
struct paren_expr : if_must<one<'('>, sp, nested_expr, sp, paren_close> {};
struct call_head : seq<ident, sp, one<'('>> {};
struct operand : sor<led_by<one<'('>, paren_expr>, string_lit, led_by<sor<one<'-'>, digit>, number_lit>, param,
                     led_by<kw_true_, true_lit>, led_by<kw_false_, false_lit>, led_by<kw_null, null_lit>,
                     led_by<kw_me, me_lit>, led_by<call_head, call>, name_ref> {};
struct op_eq : one<'='> {};
struct op_ne : sor<string<'!', '='>, string<'<', '>'>> {};
struct op_le : string<'<', '='> {};
struct op_ge : string<'>', '='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct cmp_op : sor<op_ne, op_le, op_ge, op_eq, op_lt, op_gt> {};
struct rhs_operand : operand {};
struct cmp_tail : seq<cmp_op, sp, must<rhs_operand>> {};
struct is_not : kw_not_ {};
struct is_null_tail : if_must<kw_is, sp, opt<is_not, sp>, kw_null> {};
struct in_close : one<')'> {};
struct in_open : one<'('> {};
struct in_items : list<operand, one<','>, pad> {};
struct in_tail : if_must<kw_in, sp, in_open, sp, in_items, sp, in_close> {};
// The tail is tried after optional whitespace, but whitespace alone is never consumed: a
// column default must not eat the line break that ends its column.
struct comparison : seq<operand, opt<sp, sor<cmp_tail, is_null_tail, in_tail>>> {};
struct not_expr;
struct negation : seq<kw_not_, sp, nest<not_expr>> {};
struct not_expr : sor<led_by<kw_not_, negation>, comparison> {};
struct and_op : kw_and_ {};
struct or_op : kw_or_ {};
struct and_expr : seq<not_expr, star<sp, and_op, sp, must<not_expr>>> {};
struct or_expr : seq<and_expr, star<sp, or_op, sp, must<and_expr>>> {};
// seq<> rather than inheritance, so that or_expr appears in the parse tree.
struct expr : seq<or_expr> {};
struct predicate : expr {};  // the top of an expression; the converter starts here

// ---------------------------------------------------------------- types
struct type_name : ident {};
struct type_param : integer {};
struct type_params_close : one<')'> {};
struct type_param_list : list<type_param, one<','>, pad> {};
struct type_params : if_must<one<'('>, sp, type_param_list, sp, type_params_close> {};
struct array_suffix : string<'[', ']'> {};
struct type_ref : seq<type_name, hs, opt<type_params>, star<hs, array_suffix>> {};
struct nullable_mark : one<'?'> {};

// ---------------------------------------------------------------- table bodies
struct block_close : one<'}'> {};
struct col_name : ident {};
struct col_opclass : ident {};
struct col_desc : kw_desc {};
struct col_asc : kw_asc {};
struct col_ops : if_must<kw_ops, sp, col_opclass> {};
struct column_ref : seq<col_name, opt<sp, sor<col_desc, col_asc>>, opt<sp, col_ops>> {};
struct column_list_close : one<')'> {};
struct column_refs : list<column_ref, one<','>, pad> {};
struct column_list : if_must<one<'('>, sp, column_refs, sp, column_list_close> {};

struct per_owner : seq<kw_per, sp, must<kw_owner>> {};
struct od_cascade : kw_cascade {};
struct od_restrict : kw_restrict_ {};
struct od_set_null : seq<kw_set, sp, kw_null> {};
struct od_set_default : seq<kw_set, sp, kw_default_> {};
struct od_no_action : seq<kw_no, sp, kw_action> {};
struct on_delete_action : sor<od_cascade, od_restrict, od_set_null, od_set_default, od_no_action> {};
struct on_delete : if_must<kw_on, sp, kw_delete_, sp, on_delete_action> {};

struct default_value : expr {};
struct col_default : if_must<one<'='>, sp, default_value> {};
struct col_unique : seq<kw_unique, not_at<hs, one<'('>>, opt<hs, per_owner>> {};
struct ref_table : ident {};
struct ref_column : ident {};
struct col_references : if_must<kw_references, sp, ref_table, opt<one<'.'>, ref_column>, opt<sp, on_delete>> {};
struct check_open : one<'('> {};
struct check_close : one<')'> {};
struct col_check : if_must<kw_check, sp, check_open, sp, predicate, sp, check_close> {};
struct col_primary_key : seq<kw_primary, sp, must<kw_key>> {};
// `renamed from OLD` (a column or a table): the object existed under the old name in the
// migrations already generated, so the change is a rename, not a drop and a create.
struct renamed_old : ident {};
struct renamed_from : if_must<kw_renamed, sp, kw_from, sp, renamed_old> {};
struct column_modifier : sor<led_by<one<'='>, col_default>, led_by<kw_unique, col_unique>,
                             led_by<kw_references, col_references>, led_by<kw_check, col_check>,
                             led_by<kw_primary, col_primary_key>, renamed_from> {};
// A column is one line: its modifiers never run on to the next line, so a table-level
// `unique (…)` or `check (…)` below a column is not taken for the column's own.
struct column_def : seq<col_name, hs, must<type_ref>, opt<hs, nullable_mark>, star<hs, column_modifier>> {};

struct unique_def : seq<kw_unique, sp, column_list, opt<sp, per_owner>> {};
struct index_unique : kw_unique {};
struct index_name : ident {};
struct m_btree : TAO_PEGTL_KEYWORD("btree") {};
struct m_hash : TAO_PEGTL_KEYWORD("hash") {};
struct m_gin : TAO_PEGTL_KEYWORD("gin") {};
struct m_gist : TAO_PEGTL_KEYWORD("gist") {};
struct m_brin : TAO_PEGTL_KEYWORD("brin") {};
struct m_hnsw : TAO_PEGTL_KEYWORD("hnsw") {};
struct m_ivfflat : TAO_PEGTL_KEYWORD("ivfflat") {};
struct index_method : sor<m_btree, m_hash, m_gin, m_gist, m_brin, m_hnsw, m_ivfflat> {};
struct mt_cosine : TAO_PEGTL_KEYWORD("cosine") {};
struct mt_l2 : TAO_PEGTL_KEYWORD("l2") {};
struct mt_ip : sor<TAO_PEGTL_KEYWORD("inner_product"), TAO_PEGTL_KEYWORD("ip")> {};
struct mt_l1 : TAO_PEGTL_KEYWORD("l1") {};
struct index_metric : sor<mt_cosine, mt_l2, mt_ip, mt_l1> {};
struct index_using : if_must<kw_using_, sp, index_method, opt<sp, index_metric>> {};
struct index_where : if_must<kw_where, sp, predicate> {};
struct index_def : seq<opt<index_unique, sp>, kw_index, sp, opt<index_name, sp>, must<column_list>, opt<sp, index_using>,
                       opt<sp, index_where>> {};
struct check_name : ident {};
struct check_def : seq<kw_check, sp, opt<check_name, sp>, must<check_open>, sp, predicate, sp, must<check_close>> {};

struct ac_owner : kw_owner {};
struct ac_inherited : kw_inherited {};
struct ac_public_read : seq<kw_public_, sp, must<kw_read>> {};
struct ac_authenticated_read : seq<kw_authenticated, sp, must<kw_read>> {};
struct ac_service_only : seq<kw_service, sp, must<kw_only>> {};
struct access_kind : sor<ac_owner, ac_inherited, ac_public_read, ac_authenticated_read, ac_service_only> {};
struct access_list : list<access_kind, one<','>, pad> {};
struct access_def : if_must<kw_access, sp, access_list> {};

struct policy_name : ident {};
struct pc_all : TAO_PEGTL_KEYWORD("all") {};
struct pc_select : TAO_PEGTL_KEYWORD("select") {};
struct pc_insert : TAO_PEGTL_KEYWORD("insert") {};
struct pc_update : TAO_PEGTL_KEYWORD("update") {};
struct pc_delete : TAO_PEGTL_KEYWORD("delete") {};
struct policy_command : sor<pc_all, pc_select, pc_insert, pc_update, pc_delete> {};
struct policy_role : ident {};
struct policy_role_list : list<policy_role, one<','>, pad> {};
struct policy_roles : if_must<kw_to, sp, policy_role_list> {};
struct policy_using_sql : string_lit {};
struct policy_check_sql : string_lit {};
struct policy_using : if_must<kw_using_, sp, policy_using_sql> {};
struct policy_with_check : if_must<kw_with, sp, kw_check, sp, policy_check_sql> {};
struct policy_restrictive : kw_restrictive {};
struct policy_def : if_must<kw_policy, sp, policy_name, sp, kw_for_, sp, policy_command, opt<sp, policy_restrictive>,
                            opt<sp, policy_roles>, opt<sp, policy_using>, opt<sp, policy_with_check>> {};
struct no_timestamps : seq<kw_no, sp, kw_timestamps> {};

struct table_item : sor<led_by<kw_no, no_timestamps>, led_by<kw_unique, unique_def>,
                        led_by<sor<kw_unique, kw_index>, index_def>, led_by<kw_check, check_def>, access_def,
                        led_by<kw_policy, policy_def>, column_def> {};
struct table_body : if_must<one<'{'>, sp, star<table_item, sp>, block_close> {};

// ---------------------------------------------------------------- declarations
struct decl_name : ident {};
struct purpose : string_lit {};

struct setting_key : ident {};
struct setting_value : sor<string_lit, number_lit, true_lit, false_lit, name_ref> {};
struct setting : seq<setting_key, sp, must<setting_value>> {};
struct settings_block : if_must<one<'{'>, sp, star<setting, sp>, block_close> {};

struct pack_version : if_must<kw_version, sp, string_lit> {};
struct pack_name : seq<ident_first, star<sor<ident_other, one<'-'>>>> {};  // creator-os
struct pack_decl : if_must<kw_pack, sp, pack_name, opt<sp, pack_version>, opt<sp, settings_block>> {};
struct profile_decl : if_must<kw_profile, sp, decl_name, sp, settings_block> {};
struct import_path : string_lit {};  // import "common.packdb": a file beside the spec
struct import_list : list<sor<import_path, decl_name>, one<','>, pad> {};
struct import_decl : if_must<kw_import, sp, import_list> {};
struct need_reason : string_lit {};
struct need_decl : if_must<kw_need, sp, decl_name, sp, need_reason> {};

// data flows
struct flow_format : ident {};
struct flow_location : string_lit {};
struct target_table : ident {};
struct target_column : ident {};
struct flow_target : seq<target_table, opt<one<'.'>, must<target_column>>> {};
struct p_high : TAO_PEGTL_KEYWORD("high") {};
struct p_medium : TAO_PEGTL_KEYWORD("medium") {};
struct p_low : TAO_PEGTL_KEYWORD("low") {};
struct persistence : sor<p_high, p_medium, p_low> {};
struct fl_into : if_must<kw_into, sp, flow_target> {};
struct fl_keep : if_must<kw_keep, sp, kw_files> {};
struct fl_persist : if_must<kw_persist, sp, persistence> {};
struct fl_volume_text : string_lit {};
struct fl_volume : if_must<kw_volume, sp, fl_volume_text> {};
struct fl_description_text : string_lit {};
struct fl_description : if_must<kw_description, sp, fl_description_text> {};
struct field_name : ident {};
struct field_list : list<field_name, one<','>, pad> {};
struct fl_fields : if_must<kw_fields, sp, field_list> {};
// `map [each "PATH"] { column <- SOURCE … }`: how one file (or each element of an array in
// it) becomes a row of the `into` table, for `packdbc backfill`. The sources are words, not
// expressions: a mapping says where a value comes from, the checker decides if it fits.
struct ms_field_path : string_lit {};
// `field "version" as int`: the type the field's values have, so that the checker can tell
// whether it fits the column (and backfill holds each file to it).
struct ms_type : type_ref {};
struct ms_as : if_must<kw_as, sp, ms_type> {};
struct ms_field : if_must<kw_field, sp, ms_field_path, opt<hs, ms_as>> {};
struct ms_file : TAO_PEGTL_KEYWORD("file") {};  // its text; not `text`, which is a type
struct ms_document : TAO_PEGTL_KEYWORD("document") {};
struct ms_item : TAO_PEGTL_KEYWORD("item") {};
struct ms_index : TAO_PEGTL_KEYWORD("index") {};
struct ms_path : TAO_PEGTL_KEYWORD("path") {};
struct ms_source : TAO_PEGTL_KEYWORD("source") {};
struct map_source : sor<ms_field, ms_file, ms_document, ms_item, ms_index, ms_path, ms_source> {};
struct map_arrow : string<'<', '-'> {};
struct map_column : ident {};
struct map_item : seq<map_column, sp, must<map_arrow>, sp, must<map_source>> {};
struct map_each_path : string_lit {};
struct map_each : if_must<kw_each, sp, map_each_path> {};
struct map_open : one<'{'> {};
struct fl_map : if_must<kw_map, sp, opt<map_each, sp>, map_open, sp, star<map_item, sp>, block_close> {};
struct flow_clause : sor<fl_into, fl_keep, fl_persist, fl_volume, fl_description, fl_fields, fl_map> {};
struct flow_block : if_must<one<'{'>, sp, star<flow_clause, sp>, block_close> {};
struct flow_at : if_must<kw_at, sp, flow_location> {};
struct flow_kind_input : kw_input {};
struct flow_kind_output : kw_output {};
struct flow_decl : if_must<sor<flow_kind_input, flow_kind_output>, sp, decl_name, sp, flow_format, sp, flow_at,
                           star<sp, flow_clause>, opt<sp, flow_block>> {};

struct state_value : ident {};
struct state_values_close : one<']'> {};
struct state_value_list : list<state_value, one<','>, pad> {};
struct state_values : if_must<one<'['>, sp, state_value_list, sp, state_values_close> {};
struct state_type : if_must<one<':'>, sp, type_ref> {};
struct state_arrow : if_must<string<'-', '>'>, sp, flow_target> {};
struct state_storage : sor<seq<sp, state_arrow>, seq<sp, fl_keep>> {};
struct state_decl : if_must<kw_state, sp, decl_name, opt<sp, state_values>, opt<sp, state_type>, state_storage> {};

struct enum_value : ident {};
struct enum_body : if_must<one<'{'>, sp, star<enum_value, sp, opt<one<','>, sp>>, block_close> {};
struct enum_decl : if_must<kw_enum_, sp, decl_name, sp, enum_body> {};

struct owned_by_user : if_must<kw_owned, sp, kw_by, sp, kw_user> {};
struct parent_name : ident {};
struct child_of : if_must<kw_in, sp, parent_name> {};
struct link_name : ident {};
struct links_clause : if_must<kw_links, sp, link_name, sp, kw_and_, sp, link_name> {};
struct mixin_name : ident {};
struct mixin_list : list<mixin_name, one<','>, pad> {};
struct uses_clause : if_must<kw_uses, sp, mixin_list> {};
struct table_modifier : sor<owned_by_user, child_of, links_clause, uses_clause, renamed_from, purpose> {};
struct table_decl : if_must<kw_table, sp, decl_name, star<sp, table_modifier>, sp, table_body> {};
struct mixin_decl : if_must<kw_mixin, sp, decl_name, sp, table_body> {};

struct enable_rls : seq<kw_enable, sp, must<kw_rls>> {};
struct add_column : seq<kw_add, sp, kw_column, sp, must<column_def>> {};
struct addable : sor<unique_def, index_def, check_def, access_def> {};
struct add_other : seq<kw_add, sp, must<addable>> {};
struct extend_item : sor<enable_rls, add_column, add_other, policy_def> {};
struct extend_body : if_must<one<'{'>, sp, star<extend_item, sp>, block_close> {};
struct extend_decl : if_must<kw_extend, sp, kw_table, sp, decl_name, sp, extend_body> {};

// reads
struct from_table : ident {};
struct rd_where : if_must<kw_where, sp, predicate> {};
struct order_list : list<column_ref, one<','>, pad> {};
struct rd_order : if_must<kw_order, sp, kw_by, sp, order_list> {};
struct limit_value : integer {};
struct rd_limit : if_must<kw_limit, sp, limit_value> {};
struct equals : one<'='> {};
struct query_decl : if_must<kw_query, sp, decl_name, sp, equals, sp, from_table, opt<sp, rd_where>, opt<sp, rd_order>,
                            opt<sp, rd_limit>> {};
struct search_column : ident {};
struct search_dot : one<'.'> {};
struct search_param : param {};
struct search_decl : if_must<kw_search, sp, decl_name, sp, equals, sp, from_table, search_dot, search_column, sp,
                             kw_nearest, sp, search_param, opt<sp, rd_where>, opt<sp, rd_limit>> {};
struct view_column : ident {};
struct view_column_list : list<view_column, one<','>, pad> {};
struct view_select : if_must<kw_select, sp, view_column_list> {};
struct view_decl : if_must<kw_view, sp, decl_name, sp, equals, sp, from_table, opt<sp, rd_where>, opt<sp, view_select>> {};
struct seed_column : ident {};
struct seed_value : sor<string_lit, number_lit, true_lit, false_lit, null_lit, name_ref> {};
struct seed_pair : seq<seed_column, sp, must<seed_value>> {};
struct seed_body : if_must<one<'{'>, sp, star<seed_pair, sp, opt<one<','>, sp>>, block_close> {};
struct seed_decl : if_must<kw_seed, sp, from_table, sp, seed_body> {};

// `allow drop column notes.body "why"`: a destructive change the author intends (evolution
// refuses it otherwise; docs/migrate.md).
struct allow_drop_table : seq<kw_drop, sp, kw_table> {};
struct allow_drop_column : seq<kw_drop, sp, kw_column> {};
struct allow_drop_value : seq<kw_drop, sp, kw_value> {};
struct allow_change_type : seq<kw_change, sp, kw_type> {};
struct allow_what : sor<allow_drop_table, allow_drop_column, allow_drop_value, allow_change_type> {};
struct allow_object : ident {};
struct allow_member : ident {};
struct allow_reason : string_lit {};
struct allow_decl : if_must<kw_allow, sp, allow_what, sp, allow_object, opt<one<'.'>, must<allow_member>>,
                            opt<sp, allow_reason>> {};

struct declaration
    : sor<led_by<kw_pack, pack_decl>, led_by<kw_allow, allow_decl>, led_by<kw_profile, profile_decl>,
          led_by<kw_import, import_decl>, led_by<kw_need, need_decl>, led_by<sor<kw_input, kw_output>, flow_decl>,
          led_by<kw_state, state_decl>, led_by<kw_enum_, enum_decl>, led_by<kw_table, table_decl>,
          led_by<kw_mixin, mixin_decl>, led_by<kw_extend, extend_decl>, led_by<kw_query, query_decl>,
          led_by<kw_search, search_decl>, led_by<kw_view, view_decl>, led_by<kw_seed, seed_decl>> {};
struct end_of_file : eof {};
struct file : seq<opt<utf8::bom>, sp, star<declaration, sp>, must<end_of_file>> {};

// The same file, one declaration at a time (compiler/front/parse.cpp): the head, then each
// step until none matches, then the end. `sor<…, failure>` gives the declaration the rewind
// that `star` gives it in `file`, so a step that does not match consumes nothing.
struct file_head : seq<opt<utf8::bom>, sp> {};
struct declaration_step : seq<sor<declaration, failure>, sp> {};
struct file_end : must<end_of_file> {};
// Where parsing starts again after a syntax error: a line that begins with a declaration's
// keyword, in the first column (what is inside a declaration is indented, or follows a brace).
struct declaration_start : sor<kw_pack, kw_allow, kw_profile, kw_import, kw_need, kw_input, kw_output, kw_state, kw_enum_,
                               kw_table, kw_mixin, kw_extend, kw_query, kw_search, kw_view, kw_seed> {};

}  // namespace packdb::grammar

namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, packdb::grammar::nest<Rule>> : analyze_traits<Name, typename seq<Rule>::rule_t> {};
}  // namespace tao::pegtl
