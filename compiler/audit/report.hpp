// The two files `packdbc audit` writes, as text: data-flow-audit.yaml (the seed's step-2
// shape — data_inputs, data_outputs, state_requirements, relationships — each finding with
// its evidence) and a draft .packdb spec that `packdbc check` accepts. Pure: no disk here.
#pragma once
#include <string>

#include "compiler/audit/model.hpp"

namespace packdb::audit {

std::string render_audit_yaml(const AuditResult& r);
std::string render_draft_spec(const AuditResult& r);
// The short summary for stdout (without the list of written files).
std::string render_summary(const AuditResult& r);

// A YAML scalar: plain when that is safe, else double-quoted. Exposed for tests.
std::string yaml_scalar(const std::string& s);

}  // namespace packdb::audit
