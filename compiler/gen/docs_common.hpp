// Helpers shared by the documentation generators (docs_*.cpp): the model read in words —
// access rules, relations with their cardinalities, keys, indexes — so that the YAML, the
// guide and the ERDs say the same thing.
#pragma once
#include <string>
#include <vector>

#include "compiler/model/model.hpp"
#include "compiler/plan/phases.hpp"

namespace packdb::gen::docs {

std::string join(const std::vector<std::string>& parts, const std::string& sep);

// "minds" → "mind", "courses" → "course", "lesson_progress" stays, "categories" → "category".
std::string singular(const std::string& name);

// The pack's display title: "mmos" → "MMOS" (short names), "creator_os" → "Creator OS".
std::string pack_title(const model::Model& m);

// How rows of a table are reached, with the defaults the access pass applies.
struct AccessFlags {
  bool owner = false, inherited = false, public_read = false, auth_read = false, service_only = false, custom = false;
  bool user_writable() const { return owner || inherited; }
};
AccessFlags access_of(const model::Table& t);
// The table's access rule in one sentence ("Each user reaches only their own rows …").
std::string access_words(const model::Model& m, const model::Table& t);

// A table of the model or an external one ("auth.users"), as docs name it.
std::string ref_name(const model::Model& m, const std::string& ref);
// "minds(id)", "auth.users(id)"
std::string fk_target(const model::Model& m, const model::ForeignKey& fk);
const model::ForeignKey* fk_of_column(const model::Table& t, const std::string& column);
bool is_unique_columns(const model::Table& t, const std::vector<std::string>& cols);
// An integer `version` (or `*_version`) column in a unique key.
bool is_versioned(const model::Table& t);
bool is_primary_key_column(const model::Table& t, const std::string& column);
bool is_single_unique_column(const model::Table& t, const std::string& column);

// The phase that creates (or alters) a table: as plan::plan_phases cuts them.
plan::PhaseKind table_phase(const model::Table& t);
// Is the table part of Supabase Auth (the auth schema, or the profile's users table)?
bool is_auth_table(const model::Model& m, const model::Table& t);
// Whether the phases are an evolution's migrations (plan/evolve.hpp), not a first compile's.
bool evolving(const std::vector<plan::Phase>& phases);

// "(user_id, slug) UNIQUE", "hnsw (embedding vector_cosine_ops)", "(status) WHERE status = 'completed'"
std::string index_words(const model::Index& ix);
// The table's indexes in words, with its unique constraints that no index lists.
std::vector<std::string> index_list(const model::Table& t);

// A relation between two tables (or a table and the users table), read from a foreign key.
enum class RelationKind { owner, child_of, reference, link };
struct Relation {
  RelationKind kind;
  std::string one;               // the referenced side: a table of the spec, or "auth.users"
  int one_table = -1;            // its index, or -1 (external)
  int many_table = -1;           // the referencing table
  std::vector<std::string> columns;  // the foreign key columns
  bool one_to_one = false;       // the foreign key columns are unique
  bool optional = false;         // a nullable foreign key
  model::OnDelete on_delete = model::OnDelete::no_action;
};
std::vector<Relation> relations(const model::Model& m);
// "One mind → many mind_system_prompts (versioned; deleted with it)"
std::string relation_words(const model::Model& m, const Relation& r);

// A comment-safe, single-line version of a text.
std::string one_line(const std::string& s);

}  // namespace packdb::gen::docs
