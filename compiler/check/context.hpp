// Shared state of the resolver passes (resolve.cpp, types.cpp, access.cpp, reads.cpp):
// the spec's AST, the stdlib, the diagnostics sink and the model being built.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/front/ast.hpp"
#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::check {

// One name in scope of a predicate: what it stands for in SQL and its type.
struct ScopeEntry {
  std::string sql;      // e.g. "mind_id", "t.user_id"
  model::SqlType type;
};

// Names a predicate may use, and how parameters ($x) are rendered.
struct Scope {
  const model::Table* table = nullptr;
  std::string prefix;                    // "" or "t." — how columns are qualified
  bool allow_params = false;
  bool allow_me = false;
  std::string param_prefix;              // "search_fn." for a search function's parameters
  std::vector<model::Param>* params = nullptr;  // collects parameters and their inferred types
};

struct Context {
  Diagnostics& diags;
  model::Model& model;
  // By name; looked up for every reference (a hash, not a tree: a spec may have 100,000 tables).
  // Never iterated for output except through spec_table_names(), which sorts.
  std::unordered_map<std::string, const ast::Table*> spec_tables;
  std::vector<std::string> spec_table_names() const;  // sorted: for "did you mean"
  std::map<std::string, const ast::Mixin*> mixins;
  std::set<std::string> poisoned;        // names whose declaration failed: no cascades
  const model::Catalog* catalog = nullptr;  // the current database (--db / --schema), if given

  // A table of the current database in the profile's schema that the spec does not declare.
  const model::CatalogTable* catalog_table(const std::string& name) const;

  // Reports an unknown name with "did you mean" among the candidates.
  Diagnostic& unknown(const std::string& code, const ast::Ident& id, const std::string& what,
                      const std::vector<std::string>& candidates);

  // ---- types.cpp
  std::optional<model::SqlType> resolve_type(const ast::TypeRef& t);
  // Type-checks `e` against the column type `want`; returns its SQL or nothing on error.
  std::optional<std::string> value_sql(const ast::Expr& e, const model::SqlType& want, const std::string& what);
  // Type-checks a boolean predicate in `scope`; returns its SQL.
  std::optional<std::string> predicate_sql(const ast::Expr& e, Scope& scope);
  // The columns that a predicate pins with `col = …` at its top-level conjunction.
  static std::vector<std::string> equality_columns(const ast::Expr& e, const model::Table& t, const model::Profile& p);
  // A name in a column list: a column, a parent table (its FK column) or `owner`.
  std::optional<std::string> column_of(const model::Table& t, const ast::Ident& name);
};

// Whether every value of type `from` is a value of `to` (a declared field type and the column
// it fills): integers widen, any scalar fills text, anything fills json, a list of numbers a
// vector. Unlike PostgreSQL's casts, nothing that may fail on some value (bigint → int, text → int).
bool fills_type(const model::SqlType& from, const model::SqlType& to);

// The top-level conjuncts of a predicate, left to right: `a and (b and c)` → a, b, c.
std::vector<const ast::Expr*> conjuncts(const ast::Expr& e);

// Turns a table name into the name of its foreign-key column: minds → mind_id.
std::string singular(const std::string& plural);
// Keeps generated constraint/index names within PostgreSQL's 63 bytes, deterministically.
std::string fit_name(const std::string& name);

// The passes, in order; each reads the AST and adds to the model.
void resolve_tables(Context& cx, const ast::File& spec);
void resolve_access(Context& cx, const ast::File& spec);
void resolve_reads(Context& cx, const ast::File& spec);
// evolution.cpp: `renamed from` and `allow` (what plan/evolve.cpp reads when a spec changes).
void resolve_evolution(Context& cx, const ast::File& spec);
// mapping.cpp: a flow's `map` block into f.mapping (called by resolve_reads for each flow).
void resolve_mapping(Context& cx, const ast::DataFlow& af, model::DataFlow& f);

}  // namespace packdb::check
