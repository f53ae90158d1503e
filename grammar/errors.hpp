// What the user reads when a `must<>` in grammar/packdb.hpp fails: words, never rule names.
// Kept apart from the rules, in the spirit of PEGTL's json_errors.hpp.
#pragma once
#include "grammar/packdb.hpp"

namespace packdb::grammar {

// The fallback is deliberately generic; tests/unit/grammar_test.cpp checks that the
// failures a user can reach in practice have a message of their own.
template <typename Rule>
inline constexpr const char* error_message = "unexpected input";

#define PACKDB_ERROR(rule, text) \
  template <>                    \
  inline constexpr const char* error_message<rule> = text
PACKDB_ERROR(block_comment_end, "unterminated block comment; expected `*/`");
PACKDB_ERROR(dq_body, "invalid string");
PACKDB_ERROR(dq_close, "unterminated string; expected a closing `\"` before the end of the line");
PACKDB_ERROR(sq_body, "invalid string");
PACKDB_ERROR(sq_close, "unterminated string; expected a closing `'` before the end of the line");
PACKDB_ERROR(param_name, "expected a parameter name after `$`");
PACKDB_ERROR(call_close, "expected `)` to close the argument list");
PACKDB_ERROR(paren_close, "expected `)` to close the parenthesis");
PACKDB_ERROR(expr, "expected an expression");
PACKDB_ERROR(rhs_operand, "expected a value after the comparison operator");
PACKDB_ERROR(kw_null, "expected `null`");
PACKDB_ERROR(in_open, "expected `(` after `in`");
PACKDB_ERROR(in_close, "expected `)` to close the `in` list");
PACKDB_ERROR(not_expr, "expected an expression after `and`/`or`");
PACKDB_ERROR(and_expr, "expected an expression after `or`");
PACKDB_ERROR(type_params_close, "expected `)` to close the type parameters");
PACKDB_ERROR(type_ref, "expected a column type after the column name (for example `text`, `int`, `uuid`)");
PACKDB_ERROR(col_opclass, "expected an operator class name after `ops`");
PACKDB_ERROR(column_list_close, "expected `,` or `)` in the column list");
PACKDB_ERROR(column_ref, "expected a column name");
PACKDB_ERROR(column_list, "expected a parenthesised column list, such as `(a, b)`");
PACKDB_ERROR(kw_owner, "expected `owner` after `per`");
PACKDB_ERROR(kw_delete_, "expected `delete` after `on`");
PACKDB_ERROR(on_delete_action, "expected an on-delete action: `cascade`, `restrict`, `set null`, `set default` or `no action`");
PACKDB_ERROR(default_value, "expected a default value after `=`");
PACKDB_ERROR(ref_table, "expected a table name after `references`");
PACKDB_ERROR(ref_column, "expected a column name after `.`");
PACKDB_ERROR(check_open, "expected `(` after `check`");
PACKDB_ERROR(check_close, "expected `)` to close the check");
PACKDB_ERROR(predicate, "expected a condition");
PACKDB_ERROR(kw_key, "expected `key` after `primary`");
PACKDB_ERROR(index_method, "expected an index method: `btree`, `hash`, `gin`, `gist`, `brin`, `hnsw` or `ivfflat`");
PACKDB_ERROR(kw_read, "expected `read`");
PACKDB_ERROR(kw_only, "expected `only` after `service`");
PACKDB_ERROR(access_kind, "expected an access rule: `owner`, `inherited`, `public read`, `authenticated read` or `service only`");
PACKDB_ERROR(policy_name, "expected a policy name");
PACKDB_ERROR(kw_for_, "expected `for` and a command after the policy name");
PACKDB_ERROR(policy_command, "expected a policy command: `all`, `select`, `insert`, `update` or `delete`");
PACKDB_ERROR(policy_role, "expected a role name after `to`");
PACKDB_ERROR(policy_using_sql, "expected the policy's SQL expression as a string after `using`");
PACKDB_ERROR(kw_check, "expected `check` after `with`");
PACKDB_ERROR(policy_check_sql, "expected the policy's SQL expression as a string after `with check`");
PACKDB_ERROR(block_close, "expected `}` to close the block");
PACKDB_ERROR(setting_value, "expected a value (a string, number, `true`, `false` or a name)");
PACKDB_ERROR(decl_name, "expected a name");
PACKDB_ERROR(pack_name, "expected the pack's name");
PACKDB_ERROR(string_lit, "expected a string in double quotes");
PACKDB_ERROR(settings_block, "expected `{`");
PACKDB_ERROR(need_reason, "expected the reason for the need, as a string (for example `need search \"RAG over chunks\"`)");
PACKDB_ERROR(target_column, "expected a column name after `.`");
PACKDB_ERROR(flow_target, "expected a table name, or `table.column`");
PACKDB_ERROR(persistence, "expected a persistence level: `high`, `medium` or `low`");
PACKDB_ERROR(kw_files, "expected `files` after `keep`");
PACKDB_ERROR(fl_volume_text, "expected the volume as a string, such as `\"~50 files per mind\"`");
PACKDB_ERROR(fl_description_text, "expected the description as a string");
PACKDB_ERROR(field_name, "expected a field name");
PACKDB_ERROR(flow_format, "expected the data format (for example `markdown`, `yaml`, `json`)");
PACKDB_ERROR(flow_at, "expected `at \"location\"` after the data format");
PACKDB_ERROR(flow_location, "expected the location as a string, such as `\"outputs/minds/{slug}/\"`");
PACKDB_ERROR(ms_type, "expected the field's type after `as` (for example `text`, `int`, `vector(1536)`)");
PACKDB_ERROR(ms_field_path, "expected the field's path as a string, such as `field \"profile.name\"`");
PACKDB_ERROR(map_arrow, "expected `<-` and where the column's value comes from");
PACKDB_ERROR(map_source, "expected a source: `file`, `document`, `field \"PATH\"`, `item`, `index`, `path` or `source`");
PACKDB_ERROR(map_each_path, "expected the path of a list as a string, such as `each \"chunks\"`");
PACKDB_ERROR(map_open, "expected `{` and the map's `column <- source` lines");
PACKDB_ERROR(state_value, "expected a state name");
PACKDB_ERROR(state_values_close, "expected `,` or `]` in the list of states");
PACKDB_ERROR(state_arrow, "expected `-> table.column` or `keep files` for the state");
PACKDB_ERROR(enum_body, "expected `{` and the enum's values");
PACKDB_ERROR(enum_value, "expected an enum value");
PACKDB_ERROR(kw_user, "expected `user` after `owned by`");
PACKDB_ERROR(parent_name, "expected the parent table's name after `in`");
PACKDB_ERROR(link_name, "expected a table name");
PACKDB_ERROR(kw_and_, "expected `and` between the two linked tables");
PACKDB_ERROR(mixin_name, "expected a mixin name after `uses`");
PACKDB_ERROR(table_body, "expected `{` to open the table body (or `owned by user`, `in PARENT`, `links A and B`, `uses MIXIN`)");
PACKDB_ERROR(kw_rls, "expected `rls` after `enable`");
PACKDB_ERROR(column_def, "expected a column definition after `add column`");
PACKDB_ERROR(extend_body, "expected `{` to open the extension's body");
PACKDB_ERROR(kw_table, "expected `table` after `extend`");
PACKDB_ERROR(limit_value, "expected a whole number after `limit`");
PACKDB_ERROR(equals, "expected `=`");
PACKDB_ERROR(from_table, "expected a table name");
PACKDB_ERROR(search_dot, "expected `.` and the vector column, as in `chunks.embedding`");
PACKDB_ERROR(search_column, "expected the vector column's name");
PACKDB_ERROR(kw_nearest, "expected `nearest $parameter`");
PACKDB_ERROR(search_param, "expected a `$parameter` holding the query vector");
PACKDB_ERROR(view_column, "expected a column name");
PACKDB_ERROR(seed_value, "expected a value for the column (a string, number, `true`, `false`, `null` or an enum value)");
PACKDB_ERROR(seed_body, "expected `{` and the seed row's values");
PACKDB_ERROR(end_of_file,
             "expected a declaration (`pack`, `need`, `input`, `output`, `state`, `enum`, `table`, `extend table`, "
             "`query`, `search`, `view`, `seed`, `import`)");
PACKDB_ERROR(block_comment_rest, "unterminated block comment; expected `*/` before the end of the file");
PACKDB_ERROR(in_items, "expected a list of values in `in (…)`");
PACKDB_ERROR(nested_expr, "expected an expression inside the parentheses");
PACKDB_ERROR(type_param_list, "expected whole numbers as type parameters, as in `vector(1536)`");
PACKDB_ERROR(column_refs, "expected a column name");
PACKDB_ERROR(access_list, "expected an access rule: `owner`, `inherited`, `public read`, `authenticated read` or `service only`");
PACKDB_ERROR(policy_role_list, "expected a role name after `to`");
PACKDB_ERROR(import_list, "expected a module name or a quoted file path after `import` (for example `supabase` or `\"common.packdb\"`)");
PACKDB_ERROR(field_list, "expected a field name after `fields`");
PACKDB_ERROR(state_value_list, "expected a state name");
PACKDB_ERROR(state_storage, "expected `-> table.column` or `keep files` for the state");
PACKDB_ERROR(mixin_list, "expected a mixin name after `uses`");
PACKDB_ERROR(addable, "expected `column`, `index`, `unique`, `check` or `access` after `add`");
PACKDB_ERROR(order_list, "expected a column to order by");
PACKDB_ERROR(view_column_list, "expected a column name after `select`");
PACKDB_ERROR(kw_by, "expected `by`");
PACKDB_ERROR(kw_from, "expected `from` after `renamed`");
PACKDB_ERROR(renamed_old, "expected the old name after `renamed from`");
PACKDB_ERROR(allow_what, "expected `drop table`, `drop column`, `drop value` or `change type` after `allow`");
PACKDB_ERROR(allow_object, "expected the name of a table or an enum");
PACKDB_ERROR(allow_member, "expected a column or enum value name after `.`");
#undef PACKDB_ERROR

template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&...) {
    throw tao::pegtl::parse_error(error_message<Rule>, in);
  }
};

}  // namespace packdb::grammar
