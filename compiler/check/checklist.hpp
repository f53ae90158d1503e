// The validation checklist of the seed's step 5, each item a check with codes, and
// Supabase's splinter lints applied to the schema we are about to generate.
#pragma once
#include <string>
#include <vector>

#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::check {

struct ChecklistItem {
  const char* title;
  std::vector<std::string> codes;  // the diagnostics that fail this item
};
const std::vector<ChecklistItem>& checklist_items();

// The checks of the checklist that are not part of name/type resolution.
void run_validation(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags);

// splinter's lints on the model: every policy, index and table the SQL will create.
struct Lint {
  const char* code;
  const char* name;  // splinter's name
  Severity severity;
  const char* why;
};
const std::vector<Lint>& lints();
void run_lints(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags);

// "✓ item" / "✗ item" with the diagnostics behind each ✗; and the same as JSON.
std::string render_checklist_text(const Diagnostics& diags, const SourceSet& sources);
std::string render_checklist_json(const Diagnostics& diags, const SourceSet& sources);

}  // namespace packdb::check
