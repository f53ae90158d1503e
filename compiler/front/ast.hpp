// The owned syntax tree of a .packdb file. The parser fills it straight from the PEGTL
// parse; every node keeps the byte span it came from so later passes can point at it.
// It records what was written, nothing more: names are resolved and conventions applied
// by the passes in compiler/check, which build the model (compiler/model/model.hpp).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/front/source.hpp"

namespace packdb::ast {

struct Ident {
  std::string name;
  Span span;
};

// ---- expressions (predicates of checks, partial indexes, queries, views, searches) ----
struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  string_lit,  // 'x' or "x"
  number_lit,  // 42, 3.5
  bool_lit,    // true / false
  null_lit,    // null
  name,        // a column, a parent table (its key column), `owner`, or an enum value
  param,       // $name
  me,          // the signed-in user
  call,        // now(), lower(x) …
  binary,      // = != < <= > >= and or
  unary_not,   // not x
  is_null,     // x is null / x is not null (negated = true)
  in_list,     // x in (a, b)
};

struct Expr {
  ExprKind kind{};
  Span span;
  std::string text;          // literal text (unquoted for strings), name, param name, operator, function name
  bool negated = false;      // is not null
  std::vector<ExprPtr> args; // operands (binary: 2; not: 1; call/in_list: n)
};

// ---- types ----
struct TypeRef {
  Ident name;                        // text, int, vector, numeric, mind_status …
  std::vector<long long> params;     // vector(1536), numeric(10,2), varchar(80)
  int array_dims = 0;                // text[] → 1
  Span span;
};

enum class OnDelete { unspecified, cascade, restrict, set_null, set_default, no_action };

// ---- tables ----
struct ColumnRef {                   // a column in unique(...) / index(...) / order by
  Ident name;                        // a column, a parent table name (its FK column), or `owner`
  bool descending = false;           // order by … desc
  std::optional<Ident> opclass;      // index (embedding vector_cosine_ops)
};

struct Reference {                   // `references tags on delete set null`
  Ident table;
  std::optional<Ident> column;       // references tags.slug
  OnDelete on_delete = OnDelete::unspecified;
  Span on_delete_span;
  Span span;
};

struct Column {
  Ident name;
  TypeRef type;
  bool nullable = false;             // `type?`
  ExprPtr default_value;             // `= expr`
  bool unique = false;
  bool unique_per_owner = false;     // `unique per owner`
  Span unique_span;
  std::optional<Reference> references;
  ExprPtr check;                     // `check (expr)` on the column
  bool primary_key = false;
  std::optional<Ident> renamed_from; // `renamed from old_name`
  Span span;
};

struct Unique {
  std::vector<ColumnRef> columns;
  bool per_owner = false;
  Span span;
};

enum class IndexMethod { unspecified, btree, hash, gin, gist, brin, hnsw, ivfflat };
enum class Metric { unspecified, cosine, l2, inner_product, l1 };

struct Index {
  std::optional<Ident> name;
  std::vector<ColumnRef> columns;
  bool unique = false;
  IndexMethod method = IndexMethod::unspecified;
  Span method_span;
  Metric metric = Metric::unspecified;
  Span metric_span;
  ExprPtr where;                     // partial index predicate
  Span span;
};

struct Check {
  std::optional<Ident> name;
  ExprPtr expr;
  Span span;
};

enum class AccessKind { owner, inherited, public_read, authenticated_read, service_only };

struct Access {
  AccessKind kind{};
  Span span;
};

enum class PolicyCommand { all, select, insert, update, delete_ };

// The raw-SQL escape hatch: a policy written by hand, passed through as given.
struct Policy {
  Ident name;
  PolicyCommand command = PolicyCommand::all;
  std::vector<Ident> roles;          // default: the profile's signed-in role
  std::optional<std::string> using_sql;
  Span using_span;
  std::optional<std::string> check_sql;
  Span check_span;
  bool restrictive = false;
  Span span;
};

struct TableBody {
  std::vector<Column> columns;
  std::vector<Unique> uniques;
  std::vector<Index> indexes;
  std::vector<Check> checks;
  std::vector<Access> access;
  std::vector<Policy> policies;
  bool no_timestamps = false;        // `no timestamps`: opt out of created_at/updated_at
  Span no_timestamps_span;
};

struct Table {
  Ident name;
  bool owned_by_user = false;        // `owned by user`
  Span owned_span;
  std::optional<Ident> parent;       // `in minds`: child-of, cascade, inherited access
  std::vector<Ident> links;          // `links courses and tags`: a many-to-many join table
  std::vector<Ident> mixins;         // `uses soft_delete, audit`
  std::optional<std::string> purpose;// `"…"` after the name: documentation
  std::optional<Ident> renamed_from; // `renamed from old_name`
  TableBody body;
  Span span;
};

struct Mixin {
  Ident name;
  TableBody body;
  Span span;
};

// `extend table projects { add column … }` — brownfield change to an existing table.
struct ExtendTable {
  Ident name;
  TableBody added;                   // columns/indexes/uniques/checks/access/policies added
  bool enable_rls = false;
  Span span;
};

struct Enum {
  Ident name;
  std::vector<Ident> values;
  Span span;
};

// ---- data flows (seed step 2) ----
enum class FlowKind { input, output };
enum class Persistence { unspecified, low, medium, high };

struct FlowTarget {                  // `into minds` or `into minds.cognitive_model`
  Ident table;
  std::optional<Ident> column;
  Span span;
};

// `map [each "PATH"] { column <- SOURCE }`: how `packdbc backfill` turns a file into rows.
enum class MapSource {
  file,      // the file's whole text (`file`)
  document,  // the parsed YAML/JSON document (as jsonb)
  field,     // one field of it (of the element, under `each`): `field "a.b"`
  item,      // under `each`: the element itself
  index,     // under `each`: the element's position, from 0
  path,      // the file's path, relative to the pack folder
  source,    // {"file": path, "line": n} of the file (of the element): provenance for `metadata`
};
struct MapItem {
  Ident column;
  MapSource source = MapSource::file;
  std::string field;                 // for MapSource::field
  std::optional<TypeRef> type;       // `field "v" as int`: the declared type of its values
  Span source_span;
  Span span;
};
struct FlowMap {
  std::optional<std::string> each;   // one row per element of this list
  Span each_span;
  std::vector<MapItem> items;
  Span span;
};

struct DataFlow {
  FlowKind kind{};
  Ident name;
  Ident format;                      // markdown, yaml, json, csv, text, binary …
  std::string location;              // "outputs/minds/{slug}/kb/"
  Span location_span;
  std::optional<std::string> volume;
  std::optional<std::string> description;
  std::vector<Ident> fields;
  Persistence persistence = Persistence::unspecified;
  Span persistence_span;
  std::optional<FlowTarget> into;
  bool keep_files = false;           // an explicit "stays on the filesystem" decision
  Span keep_span;
  std::optional<FlowMap> map;
  Span span;
};

struct State {
  Ident name;
  std::vector<Ident> values;         // `state processing_status [pending, …]`
  std::optional<TypeRef> type;       // `state last_run: timestamptz`
  std::optional<FlowTarget> target;  // `-> minds.status`
  bool keep_files = false;
  Span span;
};

struct Need {
  Ident kind;                        // multi_user, versioning, search, …
  std::string reason;
  Span span;
};

// ---- reads ----
struct OrderBy {
  ColumnRef column;
};

struct Query {
  Ident name;
  Ident table;
  ExprPtr where;
  std::vector<ColumnRef> order_by;
  std::optional<long long> limit;
  Span span;
};

struct Search {
  Ident name;
  Ident table;
  Ident column;                      // the vector column
  Ident param;                       // $query_embedding
  ExprPtr where;
  std::optional<long long> limit;
  Span span;
};

struct View {
  Ident name;
  Ident table;
  ExprPtr where;
  std::vector<Ident> columns;        // `select a, b` (empty: all)
  Span span;
};

struct SeedValue {
  Ident column;
  ExprPtr value;
};

struct Seed {
  Ident table;
  std::vector<SeedValue> values;
  Span span;
};

// ---- the pack header and profiles ----
struct Setting {                     // `key value` inside pack { } or profile { }
  Ident key;
  ExprPtr value;                     // a literal or a name
  Span span;
};

struct PackHeader {
  Ident name;
  std::optional<std::string> version;
  Span version_span;
  std::vector<Setting> settings;     // description, target, date, …
  Span span;
};

// `profile supabase { … }` in stdlib: the conventions of a target, as data.
struct Profile {
  Ident name;
  std::vector<Setting> settings;
  Span span;
};

struct Import {
  Ident module;      // a stdlib module, or (for a file) the path as written
  Span span;
  std::string path;  // import "common.packdb": a file, relative to the importing file; empty for a module
};

// `allow drop table legacy "why"`: a destructive change the spec intends.
enum class AllowKind { drop_table, drop_column, drop_value, change_type };
struct Allow {
  AllowKind kind{};
  Ident object;                      // the table or enum
  std::optional<Ident> member;       // the column or enum value
  std::string reason;
  Span span;
};

struct File {
  std::uint32_t file_id = 0;
  std::optional<PackHeader> pack;
  std::vector<Import> imports;
  std::vector<Profile> profiles;
  std::vector<Need> needs;
  std::vector<DataFlow> flows;
  std::vector<State> states;
  std::vector<Enum> enums;
  std::vector<Table> tables;
  std::vector<Mixin> mixins;
  std::vector<ExtendTable> extends;
  std::vector<Query> queries;
  std::vector<Search> searches;
  std::vector<View> views;
  std::vector<Seed> seeds;
  std::vector<Allow> allows;
};

}  // namespace packdb::ast
