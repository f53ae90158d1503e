// The migration files: one up script and one rollback per planned phase.
//   supabase/migrations/<version>_<pack>_<phase>.sql
//   supabase/rollback/<version>_<pack>_<phase>.down.sql
// Each starts with a short header comment (pack, phase, what it creates; no dates, paths or
// packdbc versions) followed by the phase's statements, one blank line apart. The files work
// with `psql -v ON_ERROR_STOP=1 --single-transaction -f` and with `supabase db push`.
#pragma once
#include <vector>

#include "compiler/gen/output.hpp"
#include "compiler/model/model.hpp"
#include "compiler/plan/phases.hpp"

namespace packdb::gen {

std::vector<OutputFile> generate_migrations(const model::Model& m, const std::vector<plan::Phase>& phases);

// "<version>_<pack>_<phase>": the shared stem of a phase's migration and rollback file names.
std::string migration_stem(const model::Model& m, const plan::Phase& p);

}  // namespace packdb::gen
