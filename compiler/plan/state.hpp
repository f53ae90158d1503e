// The state file: what the migrations generated so far produce, as plain data.
//
// `compile` writes it next to the migrations (supabase/state/<pack>.state.yaml) and reads it
// back on the next compile, so a spec that changes gets only the difference as new migrations
// (evolve.hpp). Every object carries the exact SQL that creates and drops it, so a later down
// script can re-create what an evolution drops. Deterministic and meant to be reviewed in
// pull requests like the migrations themselves; docs/migrate.md describes it.
#pragma once
#include <functional>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "compiler/front/diagnostics.hpp"
#include "compiler/model/model.hpp"

namespace packdb::plan {

struct StateColumn {
  std::string name;
  std::string type;        // as the generated SQL spells it: text, public.mind_status, extensions.vector(3)
  bool nullable = true;
  std::string default_sql; // empty: none
  std::string definition;  // the column clause: `name type not null default …`
};

// A named object of a table other than a column.
struct StateObject {
  std::string kind;        // primary_key | unique | check | foreign_key | index | policy | trigger
  std::string name;
  std::vector<std::string> columns;  // the columns it is on (unique, foreign key, index)
  std::string create;      // a statement of its own: `alter table … add constraint …;`, `create index …;`
  std::string drop;
};

struct StateTable {
  std::string name;        // bare name
  std::string qualified;   // public.minds
  bool existing = false;   // `extend table`: only the pack's own columns and objects are listed
  bool rls = false;
  std::string comment;
  std::vector<StateColumn> columns;
  std::vector<StateObject> objects;

  const StateColumn* column(const std::string& n) const;
  const StateObject* object(const std::string& kind, const std::string& n) const;
};

struct StateEnum {
  std::string name;
  std::string qualified;
  std::vector<std::string> values;
};

// A function or a view of the pack (search functions, views, the updated_at trigger function).
struct StateRoutine {
  std::string kind;        // function | view
  std::string name;
  std::string create;
  std::string drop;
};

// What a set of migrations produces.
struct Schema {
  std::vector<std::string> extensions;
  std::vector<StateEnum> enums;
  std::vector<StateTable> tables;       // in creation order
  std::vector<StateRoutine> routines;   // in creation order

  const StateTable* table(const std::string& name) const;
  const StateEnum* find_enum(const std::string& name) const;
  const StateRoutine* routine(const std::string& kind, const std::string& name) const;
};

// The migrations compiled for one version of the pack (its header's `version`). Only the last
// generation is regenerated when the spec changes; a new pack version starts a new one, and the
// earlier ones are then kept byte for byte (they may have shipped).
struct Generation {
  std::string pack_version;
  std::vector<std::string> migrations;  // file names in supabase/migrations, in order
};

struct State {
  std::string pack;
  std::string target;                   // the profile: supabase | postgres
  std::string version;                  // the last migration version
  std::vector<Generation> generations;  // in order; never empty once written
  Schema schema;                        // what all the migrations produce
  std::optional<Schema> base;           // what the generations before the last produce
  std::string base_version;             // their last migration version
};

// What the model's migrations produce.
Schema schema_of(const model::Model& m);
// The same in parts: all but the tables, and each table's state in creation order.
Schema schema_without_tables(const model::Model& m);
void schema_tables(const model::Model& m, const std::function<void(StateTable)>& table);

std::string state_path(const model::Model& m);  // supabase/state/<pack>.state.yaml
// With `schema_from`, the schema written is that model's, one table at a time (for a large spec
// the schema is several times the size of the model), and `s.schema` is not read.
std::string write_state(const State& s, const model::Model* schema_from = nullptr);
// The same bytes, handed to `sink` in pieces of about a megabyte as they are made, so that the
// state of a large spec (several times the size of its model) is never held whole.
using StateSink = std::function<void(std::string_view)>;
void write_state(const State& s, const model::Model* schema_from, const StateSink& sink);
// Reads a state file; on error returns nothing and says why in `error` (with the line).
// `fast` false: always through yaml-cpp (tests compare the two readers).
std::optional<State> read_state(const std::string& text, std::string& error, bool fast = true);

}  // namespace packdb::plan
