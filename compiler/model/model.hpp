// The checked model: what the spec means once names are resolved and the target's
// conventions applied. Generators read only this (never the AST), so every implicit
// column, foreign key, index and policy is spelled out here, with the span that caused it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/front/ast.hpp"
#include "compiler/front/source.hpp"

namespace packdb::model {

// The conventions of a target database, read from a stdlib `profile` (or, later, from an
// introspected catalog). Nothing here is hard-coded in C++ beyond the defaults' names.
struct Profile {
  std::string name;                 // supabase / postgres
  std::string schema = "public";
  std::string key_column = "id";
  std::string key_type = "uuid";
  std::string key_default = "gen_random_uuid()";
  std::string created_column = "created_at";
  std::string updated_column = "updated_at";
  std::string owner_column = "user_id";
  std::string user_table;           // "auth.users"; empty: owners are not checked by a foreign key
  std::string user_key = "id";
  std::string current_user_sql;     // "(select auth.uid())": in policies (evaluated once per statement)
  std::string owner_default;        // "auth.uid()": the owner column's default (no subquery allowed there)
  std::string extension_schema = "extensions";  // where `create extension` puts vector, pgcrypto …
  std::string user_role;            // "authenticated": the role policies are granted to
  std::string anon_role;            // "anon"
  std::string service_role;         // "service_role"
  std::string jwt_sub_setting;      // "request.jwt.claim.sub": how tests act as a user
  bool require_rls = true;
  bool grant_tables = false;        // grant the user role access to each table (no default privileges)
};

struct SqlType {
  std::string base;                 // canonical PostgreSQL name: text, integer, bigint, uuid, vector …
  std::vector<long long> params;
  int array_dims = 0;
  const struct Enum* enum_type = nullptr;  // set when base names an enum of the spec
  std::string sql() const;          // e.g. "vector(1536)", "text[]", "public.mind_status"
  bool is_vector() const { return base == "vector" && array_dims == 0; }
  bool is_text() const;
  bool is_numeric() const;
  bool is_integer() const;
  bool is_bool() const { return base == "boolean" && array_dims == 0; }
  bool is_uuid() const { return base == "uuid" && array_dims == 0; }
  bool is_json() const { return (base == "jsonb" || base == "json") && array_dims == 0; }
  bool is_temporal() const;
  bool operator==(const SqlType& o) const {
    return base == o.base && params == o.params && array_dims == o.array_dims;
  }
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
  Span span;
};

enum class ColumnOrigin { spec, key, owner, parent, link, created, updated, mixin };

struct Column {
  std::string name;
  SqlType type;
  bool nullable = false;
  std::string default_sql;          // SQL expression, empty when none
  ColumnOrigin origin = ColumnOrigin::spec;
  std::string sample_sql;           // a value that satisfies the column's simple checks (for tests)
  std::string renamed_from;         // `renamed from old`: the column's name in earlier migrations
  Span span;
  const ast::Column* source = nullptr;
};

enum class OnDelete { cascade, restrict, set_null, set_default, no_action };
const char* on_delete_sql(OnDelete d);

struct ForeignKey {
  std::string name;                 // constraint name
  std::vector<std::string> columns;
  std::string ref_table;            // qualified when outside the spec: "auth.users"
  std::vector<std::string> ref_columns;
  OnDelete on_delete = OnDelete::no_action;
  bool on_delete_given = true;
  bool to_parent = false;           // the child-of link (access is inherited through it)
  bool to_user = false;             // the owner link
  bool to_existing = false;         // to a table of the current database the spec does not declare
  Span span;
};

struct UniqueKey {
  std::string name;
  std::vector<std::string> columns;
  Span span;
};

struct CheckConstraint {
  std::string name;
  std::string sql;
  Span span;
};

enum class IndexMethod { btree, hash, gin, gist, brin, hnsw, ivfflat };
const char* index_method_sql(IndexMethod m);

struct IndexColumn {
  std::string name;
  std::string opclass;              // empty: the default
  bool descending = false;
};

enum class IndexOrigin { spec, foreign_key, policy, unique };

struct Index {
  std::string name;
  std::vector<IndexColumn> columns;
  IndexMethod method = IndexMethod::btree;
  bool unique = false;
  std::string where_sql;
  IndexOrigin origin = IndexOrigin::spec;
  Span span;
};

enum class Command { all, select, insert, update, delete_ };
const char* command_sql(Command c);

struct Policy {
  std::string name;
  Command command = Command::all;
  std::vector<std::string> roles;
  std::string using_sql;            // empty: none
  std::string check_sql;            // empty: none
  bool restrictive = false;
  bool raw = false;                 // written by hand in the spec (the escape hatch)
  std::string intent;               // the rule in words, for docs and tests
  Span span;
};

// How rows of a table are reached by users, as the spec intends it.
enum class AccessRule { owner, inherited, public_read, authenticated_read, service_only, custom };

struct Table {
  std::string name;
  std::string purpose;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<ForeignKey> foreign_keys;
  std::vector<UniqueKey> uniques;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;
  std::vector<Policy> policies;
  std::vector<AccessRule> access;
  bool rls = true;
  bool owned = false;               // has the owner column
  int parent = -1;                  // index of the parent table (child-of), or -1
  std::vector<int> links;           // many-to-many: the two linked tables
  int depth = 0;                    // 0 for roots; parent's depth + 1
  bool has_updated_at = false;
  bool existing = false;            // `extend table`: the table exists already
  std::string renamed_from;         // `renamed from old`: the table's name in earlier migrations
  Span span;

  const Column* column(const std::string& n) const;
  bool has_column(const std::string& n) const { return column(n) != nullptr; }
};

struct Param {
  std::string name;
  SqlType type;
};

struct Query {
  std::string name;
  int table = -1;
  std::string where_sql;
  std::vector<IndexColumn> order_by;
  std::optional<long long> limit;
  std::vector<std::string> equality_columns;  // columns the filter pins with `=`, in order
  std::vector<Param> params;
  bool served = false;              // an index leads with the filter's columns, then the order
  Span span;
};

struct Search {
  std::string name;                 // the generated function's name
  int table = -1;
  std::string column;               // the vector column
  SqlType vector_type;
  std::string metric_operator;      // <=>, <->, <#>, <+>
  std::string similarity_sql;       // expression turning distance into similarity
  std::string param;                // the query vector parameter
  std::vector<Param> filter_params; // parameters of the where clause, in order
  std::string where_sql;            // uses the function's parameters
  long long limit = 10;
  std::vector<std::string> returned_columns;  // id and the text-ish columns
  Span span;
};

struct View {
  std::string name;
  int table = -1;
  std::string where_sql;
  std::vector<std::string> columns;
  Span span;
};

struct SeedRow {
  int table = -1;
  std::vector<std::pair<std::string, std::string>> values;  // column, SQL literal
  std::string owner_literal;        // for owned tables: the owner's uuid literal, else empty
  Span span;
};

struct Need {
  std::string kind;
  std::string reason;
  Span span;
};

// A checked `map` block: what `packdbc backfill` needs to turn files into rows of `into_table`.
struct MapColumn {
  std::string column;
  ast::MapSource source = ast::MapSource::file;
  std::string field;                // for `field "a.b"`
  std::optional<SqlType> type;      // `field "a.b" as TYPE`: each file's value must be one
  Span span;
};
// A `{name}` of the location: it binds a column of the table, or (`parent_column` set) finds
// the parent row whose unique column has that value, filling the table's parent key.
struct PathVariable {
  std::string name;
  std::string column;               // the table's column it fills (the parent key for a lookup)
  std::string parent_column;        // the parent's column it is looked up by, or empty
};
struct FlowMapping {
  std::string each;                 // one row per element of this list ("" for one row per file)
  std::vector<MapColumn> columns;
  std::vector<PathVariable> variables;
  Span span;
};

struct DataFlow {
  ast::FlowKind kind{};
  std::string name, format, location;
  std::string volume, description;
  std::vector<std::string> fields;
  ast::Persistence persistence = ast::Persistence::unspecified;
  int into_table = -1;
  std::string into_column;
  bool keep_files = false;
  std::optional<FlowMapping> mapping;
  Span span;
};

struct StateItem {
  std::string name;
  std::vector<std::string> values;
  int table = -1;
  std::string column;
  bool keep_files = false;
  Span span;
};

// The seed's risk assessment (step 5): low when only new tables are created, medium when
// existing tables change (`extend table`), high when a change touches the `auth` schema or a
// users table. Set by check::assess_risk (compiler/check/conventions.hpp).
enum class Risk { low, medium, high };
inline const char* risk_name(Risk r) { return r == Risk::high ? "high" : r == Risk::medium ? "medium" : "low"; }

struct RiskAssessment {
  Risk level = Risk::low;
  std::vector<std::string> reasons;          // in words, one per finding
  std::vector<std::string> modified_tables;  // existing tables the migrations change, schema.name (the seed's modified_tables)
};

// `allow drop column notes.body`: a destructive change the spec intends (plan/evolve.hpp).
struct Allow {
  ast::AllowKind kind{};
  std::string object, member, reason;
  Span span;
};

struct Model {
  std::string pack;
  Span pack_span;                   // the pack's name in its header
  std::string version;
  std::string description;
  std::string date;                 // YYYYMMDD for migration versions, if the spec gives one
  Profile profile;
  std::vector<std::string> extensions;  // needed by the schema (vector, …)
  std::vector<Need> needs;
  std::vector<DataFlow> flows;
  std::vector<StateItem> states;
  std::vector<Enum> enums;
  std::vector<Table> tables;        // in dependency order: parents before children
  std::vector<Query> queries;
  std::vector<Search> searches;
  std::vector<View> views;
  std::vector<SeedRow> seeds;
  std::vector<Allow> allows;
  RiskAssessment risk;              // set by check::assess_risk after the model is built

  int table_index(const std::string& name) const;
  const Enum* find_enum(const std::string& name) const;

 private:
  // table_index's lookup: tables are only appended (never renamed, removed or reordered),
  // so the index is extended lazily with the tables added since the last call.
  mutable std::unordered_map<std::string, int> table_index_;
  mutable std::size_t indexed_ = 0;
};

// Quotes an identifier for SQL only when it must be quoted (reserved word, upper case, …).
std::string quote_ident(const std::string& name);
// The same, appended to `out`: the statement builders write names straight into the statement.
void append_ident(std::string& out, std::string_view name);
bool is_sql_reserved(std::string_view name);
// A SQL string literal with quotes doubled.
std::string quote_literal(const std::string& text);

}  // namespace packdb::model
