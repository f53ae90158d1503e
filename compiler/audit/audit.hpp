// `packdbc audit`: seed steps 1 and 2 on a pack folder. Walks it, reads its manifest, runs
// the touchpoint detectors on every file worth reading, and classifies what they found into
// the seed's data_inputs, data_outputs, state_requirements and relationships. Pure apart
// from reading the folder: the writers (report_yaml, draft_spec) turn the result into text
// and the command writes it.
#pragma once
#include <string>

#include "compiler/audit/model.hpp"

namespace packdb::audit {

AuditResult run_audit(const std::string& pack_dir, const AuditOptions& opts);

// `Mind Config-v2` → `mind_config_v2`: lower snake case, a letter first, at most 63 bytes.
std::string snake_name(const std::string& text);
// A valid pack name for a spec: lower case letters, digits, '-', '_', a letter first, ≤ 40 bytes.
std::string pack_spec_name(const std::string& text);
// `minds` → `mind`, `stories` → `story`.
std::string singular(const std::string& word);

}  // namespace packdb::audit
