// Evolution: a spec that changed after its first migrations shipped gets only the difference.
//
// The state of the migrations generated so far (state.hpp) is compared with what the spec
// now describes; the changes become new migrations, each with its exact down script:
//
//   <v>_<pack>_drop_index_N   (no transaction) drop index concurrently, for indexes that go
//   <v>_<pack>_types          new enum values (they cannot be used in the transaction adding them)
//   <v>_<pack>_evolve         renames, drops, new tables and columns, type / default / null
//                             changes, constraints added NOT VALID, policies, functions, views
//   <v>_<pack>_index_N        (no transaction) create index concurrently, one index each
//   <v>_<pack>_validate       validate the constraints, set not null through them, unique
//                             constraints over the indexes just built
//
// Every transactional migration starts with `set lock_timeout`. Destructive changes (drop a
// table or a column, narrow a type, remove an enum value) are errors E0901–E0904 unless the
// spec says `allow …`; each migration lists its hazards by pg-schema-diff's names.
#pragma once
#include <string>
#include <vector>

#include "compiler/front/diagnostics.hpp"
#include "compiler/model/model.hpp"
#include "compiler/plan/phases.hpp"
#include "compiler/plan/state.hpp"

namespace packdb::plan {

struct Evolution {
  std::vector<Phase> migrations;       // empty: the spec describes what the state has
  std::vector<std::string> changes;    // every change, in words, in order
};

// The migrations that take the database from `old` (produced by migrations up to
// `after_version`) to the model. `date`: YYYYMMDD; versions continue after `after_version`
// when that is later.
Evolution evolve(const Schema& old, const std::string& after_version, const model::Model& m, const std::string& date,
                 Diagnostics& diags);

// The marker a migration that must not run in a transaction starts with (migrate honours it).
inline constexpr const char* kNoTransactionMarker = "-- packdbc:no-transaction";

}  // namespace packdb::plan
