// The KISS gate (the seed's step 5 and its mandatory *validate-kiss): is a database
// needed at all, is each stated need backed by the design, is every table justified,
// and what is the smallest change — extending an existing table before adding new ones.
#pragma once
#include <string>
#include <vector>

#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::check {

// The kinds of need the gate knows, and what in the design backs each (docs/checks.md).
struct NeedKind {
  const char* name;
  const char* backed_by;  // in words, for messages and docs
};
const std::vector<NeedKind>& need_kinds();

enum class Increment { none, extend_existing, one_table, several_tables };
const char* increment_text(Increment i);

struct KissVerdict {
  bool proceed = false;
  bool blocked = false;                        // a need is unknown or not backed: errors say which
  Increment increment = Increment::none;
  std::vector<std::string> reasons;            // why PROCEED or why STOP, in words
  std::vector<std::string> backed_needs;       // "multi_user: minds is owned by user"
  int new_tables = 0, extended_tables = 0;
};

// Adds its errors (unknown or unbacked needs) and warnings (unjustified tables, tables that
// could extend an existing one) to `diags`. `catalog` may be null: no current schema known.
KissVerdict run_kiss(const model::Model& m, const model::Catalog* catalog, Diagnostics& diags);

std::string render_kiss_text(const KissVerdict& v);
std::string render_kiss_json(const KissVerdict& v);

}  // namespace packdb::check
