// The migration plan: the checked model cut into the seed's three phases, each an ordered
// list of SQL statements together with the exact inverse of the whole phase.
//
//   1 foundation  extensions, enums, root tables (depth 0) with their keys, constraints,
//                 indexes, RLS and policies, the updated_at trigger function, seed rows
//   2 extensions  dependent tables (depth >= 1: children, link tables) with the same parts,
//                 and the changes to existing tables (`extend table`)
//   3 functions   search functions and views
//
// Only phases with content are planned; they are numbered consecutively from the date:
// version = YYYYMMDD + a 6-digit sequence (14 digits, unique and ordered).
//
// Each down list is the exact reverse of its up list: applying up and then down returns the
// catalog to where it was. Objects that go with a dropped table (its indexes, policies,
// triggers, comments, rows) are not dropped one by one.
#pragma once
#include <string>
#include <vector>

#include "compiler/model/model.hpp"

namespace packdb::plan {

// The seed's phases 1, 2, 3 of a first compile; `evolution`: a migration of a changed spec
// (evolve.hpp), named by its step (types, evolve, index_N, validate, …).
enum class PhaseKind { foundation, extensions, functions, evolution };

struct Phase {
  PhaseKind kind;
  std::string name;                  // "foundation" | "extensions" | "functions"
  std::string version;               // 14 digits: YYYYMMDD + sequence
  std::vector<std::string> up, down; // statements in order, each ending with ';' (no newline)
  std::vector<std::string> summary;  // what the phase creates, in words, for docs and headers
  // Evolution (evolve.hpp) only: a migration that must run outside a transaction (`create
  // index concurrently`), and the hazards of its statements by pg-schema-diff's names.
  bool transactional = true;
  std::vector<std::string> hazards;
  std::string title;                 // what the migration does, for its header ("" = the phase's)
  // Evolution only: the tables (bare names) the migration creates, changes (existing tables:
  // columns, constraints, indexes, policies, renames) and drops. `summary` lists its changes.
  std::vector<std::string> tables_created, tables_altered, tables_dropped;
  // First compile only: the tables (model indexes, in model order) this phase — or this part
  // of a phase cut into several migrations — creates or alters.
  std::vector<int> table_indexes;
};

// What exists already when only part of a model is planned (an evolution adding tables).
struct PlanOptions {
  std::vector<std::string> existing_extensions;  // not created (nor dropped) again
  bool trigger_function_exists = false;           // the pack's updated_at function is there
  int first_sequence = 1;                         // the first version's 6-digit sequence number
};

const char* phase_name(PhaseKind k);
int phase_number(PhaseKind k);       // 1, 2, 3; 0 for an evolution migration

// Throws std::invalid_argument when the date is not 8 digits.
std::vector<Phase> plan_phases(const model::Model& m, const std::string& date_yyyymmdd);
std::vector<Phase> plan_phases(const model::Model& m, const std::string& date_yyyymmdd, const PlanOptions& o);

// ---- naming helpers shared by the SQL and pgTAP generators -----------------------------------

// The pack name as an identifier part: lower case, anything but [a-z0-9_] turned into '_'.
std::string pack_ident(const std::string& pack);
// "schema.name" with each part quoted when needed; a name already containing '.' is taken as
// qualified ("auth.users"), otherwise `schema` is used.
std::string qualify(const std::string& schema, const std::string& name);
// The schema and bare name of a table of the model (existing tables may be qualified).
std::string table_schema(const model::Model& m, const model::Table& t);
std::string table_bare_name(const model::Table& t);
std::string table_sql(const model::Model& m, const model::Table& t);       // public.minds
std::string ref_table_sql(const model::Model& m, const std::string& ref);  // FK target
// A column type as the generated SQL spells it: enums qualified with the schema, extension
// types (vector, halfvec, sparsevec, citext) with the extension schema.
std::string type_sql(const model::Model& m, const model::SqlType& t);
// The extension that provides a type base / an operator class, or "" for built-ins.
std::string extension_of_type(const std::string& base);
std::string extension_of_opclass(const std::string& opclass);
// model.extensions plus whatever the column types and index operator classes need, in a
// stable order (model order first).
std::vector<std::string> required_extensions(const model::Model& m);
// The columns a foreign key points to (its ref_columns, else the target's primary key).
std::vector<std::string> fk_ref_columns(const model::Model& m, const model::ForeignKey& fk);
// The pack's shared updated_at trigger function, qualified: public.mmos_set_updated_at
std::string updated_at_function_sql(const model::Model& m);
std::string updated_at_trigger_name(const model::Table& t);
// The comment that marks an extension as created by this pack (the rollback drops only those).
std::string extension_marker(const model::Model& m);
// The search function's signature for `drop function`: public.f(uuid, extensions.vector(3), integer)
std::string search_signature_sql(const model::Model& m, const model::Search& s);
// A uuid given bare, quoted, or quoted with ::uuid, as a quoted literal with an explicit cast:
// '00000000-0000-0000-0000-000000000001'::uuid
std::string uuid_literal_sql(const std::string& literal);

}  // namespace packdb::plan
