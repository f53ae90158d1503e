// AST (the spec plus the stdlib modules it uses) → the checked model.
#pragma once
#include <optional>
#include <vector>

#include "compiler/front/ast.hpp"
#include "compiler/front/diagnostics.hpp"
#include "compiler/model/catalog.hpp"
#include "compiler/model/model.hpp"

namespace packdb::check {

// `modules` are the parsed stdlib modules the spec uses (its target and imports).
// Returns the model even when there are errors (so more can be reported); callers
// must not generate anything when `diags.has_errors()`.
// `catalog` (may be null) is the current database: a spec table may reference its tables.
model::Model build_model(const ast::File& spec, const std::vector<const ast::File*>& modules, Diagnostics& diags,
                         const model::Catalog* catalog = nullptr);

// The stdlib module names a spec needs: its `target` (default supabase) and its imports.
std::vector<ast::Ident> required_modules(const ast::File& spec);

}  // namespace packdb::check
