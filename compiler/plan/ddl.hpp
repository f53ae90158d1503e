// The SQL of single schema objects, as the phase planner writes them. The evolution planner
// (evolve.hpp) and the state file (state.hpp) use the same text, so an object compiled twice
// from the same spec is recognised as unchanged.
#pragma once
#include <string>
#include <vector>

#include "compiler/model/model.hpp"
#include "compiler/plan/phases.hpp"

namespace packdb::plan {

std::string ident_list(const std::vector<std::string>& names);  // "a", "b" quoted when needed
PhaseKind table_phase(const model::Table& t);  // the phase a table is created (or altered) in
// `foreign key (a) references public.t (id) on delete cascade`
std::string fk_clause(const model::Model& m, const model::ForeignKey& fk);
// `name type not null default …`
std::string column_def(const model::Model& m, const model::Column& c);
std::string create_index_sql(const model::Model& m, const model::Table& t, const model::Index& ix);
std::string drop_index_sql(const model::Model& m, const model::Table& t, const model::Index& ix);
std::string create_policy_sql(const model::Model& m, const model::Table& t, const model::Policy& p);
std::string drop_policy_sql(const model::Model& m, const model::Table& t, const model::Policy& p);
std::string create_trigger_sql(const model::Model& m, const model::Table& t);  // the updated_at trigger
// `create table … (columns, primary key, uniques, checks, the given foreign keys);`
std::string create_table_sql(const model::Model& m, const model::Table& t,
                             const std::vector<const model::ForeignKey*>& inline_fks);
std::string create_search_sql(const model::Model& m, const model::Search& s);  // the search function
std::string create_view_sql(const model::Model& m, const model::View& v);
std::string create_trigger_function_sql(const model::Model& m);  // the pack's updated_at function
// An index the resolver lists for a unique constraint: the constraint creates it.
bool made_by_constraint(const model::Table& t, const model::Index& ix);

}  // namespace packdb::plan
