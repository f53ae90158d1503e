// Drift: where a live database differs from what the pack's migrations produce.
//
// `packdbc check SPEC --db URL --dir DIR` compares the state of DIR's migrations
// (state.hpp) with the database, introspected (compiler/db/introspect.hpp). Structure is
// compared, not SQL text: tables, columns (type, nullability, default), the named keys,
// checks, foreign keys, indexes, triggers and policies (with their command), row-level
// security, enum values, functions and views. On tables the pack only extends, only what the
// pack adds is looked for. Tables the pack does not know are not its business.
#pragma once
#include <string>
#include <vector>

#include "compiler/model/catalog.hpp"
#include "compiler/plan/state.hpp"

namespace packdb::plan {

// One line per difference, in the state's order; empty: no drift.
std::vector<std::string> drift(const Schema& expected, const model::Catalog& db);

// A type as format_type() prints it, for comparing: `timestamptz` → `timestamp with time zone`,
// `public.mind_status` → `mind_status`, `varchar(20)` → `character varying(20)`.
std::string canonical_type(const std::string& type);

}  // namespace packdb::plan
