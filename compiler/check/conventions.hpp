// Conventions from the current database (the seed's step 3, "look for existing patterns"):
// what its tables have in common (key type and default, timestamp names, tenancy column,
// RLS coverage, table naming, on-delete habits), which of those generated tables follow
// (as profile settings between the stdlib's and the spec's own), warnings where the spec
// insists otherwise, and the migration's risk. Pure: a catalog value in, data out.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "compiler/front/ast.hpp"
#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::check {

// The patterns of the catalog's tables, with the findings in words (`summary`).
model::Patterns find_patterns(const model::Catalog& cat);

// True when the last word of a snake_case table name looks plural (projects, categories,
// people); false for project, status, address, analysis.
bool looks_plural(const std::string& table_name);

// One profile setting taken from the database.
struct Convention {
  std::string setting;  // key_column, key_type, key_default, created_column, updated_column, owner_column
  std::string value;
  std::string because;  // "bigint identity keys on 6 of 6 tables"
};

struct Conventions {
  std::vector<Convention> settings;
  std::string naming;                  // "plural" / "singular" when the database is consistent, else ""
  std::vector<std::string> examples;   // a few of the database's table names, for messages
  std::vector<std::string> created_names, tenancy_names;  // the candidates the database does NOT use
  const Convention* find(const std::string& setting) const {
    for (const auto& c : settings)
      if (c.setting == setting) return &c;
    return nullptr;
  }
};

// What generated tables should follow, from cat.patterns (fill it with find_patterns first):
// a pattern shared by more than half of the tables it was counted among (the tenancy
// column: the most used candidate, when it is a uuid).
Conventions conventions_from(const model::Catalog& cat);

// The conventions as a module holding `profile TARGET { key_type "bigint" … }`, its text
// added to `sources` as "<database conventions>" so diagnostics can point at it. build_model
// applies the target's profiles in module order and the spec's own last: passing this module
// after the stdlib's makes the database override the stdlib, and the spec override both.
ast::File conventions_module(const Conventions& c, const std::string& target, SourceSet& sources);

// Warnings where the spec insists otherwise:
//   C0401 its own profile sets a convention differently from the database
//   C0402 a new table's name is plural where the database's are singular (or the reverse)
//   C0403 a column uses another timestamp name than the database's tables
//   C0404 a uuid column uses another tenancy name than the database's tables
void check_conventions(const ast::File& spec, const model::Model& m, const Conventions& c, Diagnostics& diags);

// The seed's risk assessment, into m.risk: low (only new tables), medium (existing tables
// change: `extend table`), high (a change touches the `auth` schema or a users table — a
// table named users, the profile's user table, or one whose key references auth.users).
void assess_risk(model::Model& m, const model::Catalog* cat);

}  // namespace packdb::check
