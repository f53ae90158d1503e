// The documentation outputs of `compile`: the seed's steps 2, 4, 6, 7 and 8, generated from
// the checked model (never from templates with blanks), deterministically (no clock, no
// paths outside the output folder, no packdbc version).
//
//   expansion-packs/<pack>/data-flow-audit.yaml              step 2: inputs, outputs, state, relationships
//   expansion-packs/<pack>/schema-design.yaml                step 4: proposed_schema
//   docs/<pack>/database-schema.yaml                         step 4: the same schema definition
//   docs/<pack>/migration-plan.yaml                          step 6: phases, rollback strategy, risk
//   docs/<pack>/database-integration.md                      step 7: usage guide with runnable SQL
//   docs/<pack>/database-erd.mmd, database-erd.dot           the ERD (Mermaid erDiagram, Graphviz)
//   expansion-packs/<pack>/database-integration-report.yaml  step 8: the report
//
// Every YAML output is written with yaml-cpp's emitter, so it parses back.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "compiler/check/kiss.hpp"
#include "compiler/gen/output.hpp"
#include "compiler/model/model.hpp"
#include "compiler/plan/phases.hpp"

namespace packdb::gen {

// ---- paths (relative to the output folder) ----------------------------------------------------
std::string data_flow_audit_path(const model::Model& m);   // expansion-packs/<pack>/data-flow-audit.yaml
std::string schema_design_path(const model::Model& m);     // expansion-packs/<pack>/schema-design.yaml
std::string report_path(const model::Model& m);           // expansion-packs/<pack>/database-integration-report.yaml
std::string database_schema_path(const model::Model& m);   // docs/<pack>/database-schema.yaml
std::string migration_plan_path(const model::Model& m);    // docs/<pack>/migration-plan.yaml
std::string guide_path(const model::Model& m);             // docs/<pack>/database-integration.md
std::string erd_mermaid_path(const model::Model& m);       // docs/<pack>/database-erd.mmd
std::string erd_dot_path(const model::Model& m);           // docs/<pack>/database-erd.dot
// The documentation outputs' paths in the order a compile lists them, the report last.
std::vector<std::string> docs_paths(const model::Model& m);

// ---- risk (step 6), per phase and overall ------------------------------------------------------
// low: new tables (and functions, views, enums, extensions) only; medium: alters existing
// tables; high: alters a table of the auth schema or the users table.
struct Risk {
  std::string level;   // "low" | "medium" | "high"
  std::string reason;  // in words, naming the tables
};
Risk phase_risk(const model::Model& m, const plan::Phase& p);
Risk overall_risk(const model::Model& m, const std::vector<plan::Phase>& phases);  // the highest phase risk

// ---- the outputs ------------------------------------------------------------------------------
OutputFile generate_data_flow_audit(const model::Model& m);
// The same body under two headers; `body`, if given, is that body already rendered.
OutputFile generate_schema_design(const model::Model& m, const std::string* body = nullptr);    // expansion-packs/<pack>/schema-design.yaml
OutputFile generate_database_schema(const model::Model& m, const std::string* body = nullptr);  // docs/<pack>/database-schema.yaml
OutputFile generate_migration_plan(const model::Model& m, const std::vector<plan::Phase>& phases);
// `erd_mermaid`: the Mermaid ERD's text when it is already made (the guide embeds it).
OutputFile generate_integration_guide(const model::Model& m, const std::vector<plan::Phase>& phases,
                                      const std::string* erd_mermaid = nullptr);
OutputFile generate_erd_mermaid(const model::Model& m);
OutputFile generate_erd_dot(const model::Model& m);
// The report lists `files_written` (sorted; it adds its own path).
OutputFile generate_integration_report(const model::Model& m, const check::KissVerdict& v,
                                       const std::vector<plan::Phase>& phases,
                                       const std::vector<std::string>& files_written);

// Every documentation output of a PROCEED compile, each handed to `emit` as soon as it is made,
// the report last; `other_paths` are the files written besides them (migrations, rollbacks,
// tests), listed in the report.
void generate_docs(const model::Model& m, const check::KissVerdict& v, const std::vector<plan::Phase>& phases,
                   const std::vector<std::string>& other_paths, const std::function<void(OutputFile)>& emit);
// The same, for when the phases are still being planned: the outputs that need only the model
// (audit, schema design, ERDs) are made first, then `planned()` is asked for the phases and
// the other files' paths, and the rest follows. The report lists the files in the same order.
struct Planned {
  const std::vector<plan::Phase>* phases;
  std::vector<std::string> other_paths;
};
void generate_docs(const model::Model& m, const check::KissVerdict& v, const std::function<Planned()>& planned,
                   const std::function<void(OutputFile)>& emit);
// The same, returned together.
std::vector<OutputFile> generate_docs(const model::Model& m, const check::KissVerdict& v,
                                      const std::vector<plan::Phase>& phases, const std::vector<OutputFile>& others);

// What compile writes when the KISS gate says STOP: the report alone, recommending to keep the
// filesystem, with the gate's reasons.
OutputFile generate_stop_report(const model::Model& m, const check::KissVerdict& v);

// The fixed id of the example user of the guide's SQL examples.
inline constexpr const char* kGuideExampleUser = "00000000-0000-4000-8000-00000000e000";

}  // namespace packdb::gen
