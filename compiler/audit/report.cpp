#include "compiler/audit/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "compiler/audit/audit.hpp"
#include "compiler/gen/yaml_text.hpp"

namespace packdb::audit {

namespace {

constexpr std::size_t max_evidence = 20;  // per finding in the YAML; the count of the rest is given
constexpr std::size_t max_comment_evidence = 3;  // per flow in the draft spec

std::string printable(const std::string& s) {
  std::string o;
  for (char c : s) o.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  return o;
}

std::string spec_string(const std::string& s) {
  std::string o = "\"";
  for (char c : printable(s)) {
    if (c == '"' || c == '\\') o.push_back('\\');
    o.push_back(c);
  }
  return o + "\"";
}

std::string flow_seq(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  for (const auto& i : items) q.push_back(yaml_scalar(i));
  return "[" + fmt::format("{}", fmt::join(q, ", ")) + "]";
}

void evidence_block(std::string& o, const EvidenceSet& ev, const std::string& indent) {
  o += indent + "evidence:\n";
  std::size_t n = 0;
  for (const auto& e : ev) {
    if (n++ == max_evidence) break;
    o += indent + "  - " + yaml_scalar(e.text()) + "\n";
  }
  if (ev.size() > max_evidence) o += indent + "  - " + yaml_scalar(fmt::format("… and {} more", ev.size() - max_evidence)) + "\n";
}

std::string join(const std::set<std::string>& s, const char* sep) { return fmt::format("{}", fmt::join(s, sep)); }

}  // namespace

// The one quoting rule of every YAML packdbc writes (compiler/gen/yaml_text.hpp); flow-safe,
// since findings also go into [ ] lists.
std::string yaml_scalar(const std::string& s) { return yaml::scalar(s); }

std::string render_audit_yaml(const AuditResult& r) {
  std::string o;
  o += "# data-flow-audit.yaml — the data touchpoints of a pack (seed step 2), written by `packdbc audit`.\n";
  o += "# Every finding names its evidence (file:line). Variable names only: no value is ever copied.\n";
  o += "expansion_pack_audit:\n";
  o += "  name: " + yaml_scalar(r.manifest.name.empty() ? r.pack_name : r.manifest.name) + "\n";
  o += "  version: " + (r.manifest.version.empty() ? std::string("null") : yaml_scalar(r.manifest.version)) + "\n";
  if (!r.manifest.description.empty()) o += "  description: " + yaml_scalar(r.manifest.description) + "\n";
  o += "  manifest: " + (r.manifest.used.empty() ? std::string("null") : yaml_scalar(r.manifest.used)) + "\n";

  o += "  verification:\n";
  o += "    manifests_found: " + flow_seq(r.manifest.found) + "\n";
  if (r.manifest.salvaged) o += "    manifest_read_line_by_line: true\n";
  o += "    problems:" + std::string(r.manifest.problems.empty() ? " []\n" : "\n");
  for (const auto& p : r.manifest.problems) o += "      - " + yaml_scalar(p) + "\n";
  o += "    missing_files:" + std::string(r.manifest.missing_files.empty() ? " []\n" : "\n");
  for (const auto& m : r.manifest.missing_files) o += "      - " + yaml_scalar(m.text()) + "\n";
  o += fmt::format("  scanned:\n    files: {}\n    folders: {}\n    skipped: {}\n", r.files, r.folders, r.skipped.size());

  auto flows = [&](const char* key, const std::vector<Flow>& list, bool output) {
    o += std::string("  ") + key + ":" + (list.empty() ? " []\n" : "\n");
    for (const auto& f : list) {
      o += "    - type: " + yaml_scalar(f.type) + "\n";
      o += "      format: " + yaml_scalar(f.format) + "\n";
      o += "      location: " + yaml_scalar(f.location) + "\n";
      if (!f.volume.empty()) o += "      volume: " + yaml_scalar(f.volume) + "\n";
      if (!f.fields.empty()) o += "      fields: " + flow_seq(f.fields) + "\n";
      if (output) o += "      persistence_need: undecided\n";
      o += "      found_by: " + yaml_scalar(f.origin) + "\n";
      evidence_block(o, f.evidence, "      ");
    }
  };
  flows("data_inputs", r.inputs, false);
  flows("data_outputs", r.outputs, true);

  o += std::string("  state_requirements:") + (r.state.empty() ? " []\n" : "\n");
  for (const auto& s : r.state) {
    o += "    - name: " + yaml_scalar(s.name) + "\n";
    if (!s.values.empty()) o += "      values: " + flow_seq(s.values) + "\n";
    if (!s.location.empty()) o += "      location: " + yaml_scalar(s.location) + "\n";
    evidence_block(o, s.evidence, "      ");
  }
  o += std::string("  relationships:") + (r.relationships.empty() ? " []\n" : "\n");
  for (const auto& rel : r.relationships) {
    o += "    - relation: " + yaml_scalar(rel.text) + "\n";
    evidence_block(o, rel.evidence, "      ");
  }
  o += std::string("  database_access:") + (r.databases.empty() ? " []\n" : "\n");
  for (const auto& d : r.databases) {
    o += "    - kind: " + yaml_scalar(d.kind) + "\n";
    if (!d.tables.empty()) o += "      tables: " + flow_seq({d.tables.begin(), d.tables.end()}) + "\n";
    if (!d.operations.empty()) o += "      operations: " + flow_seq({d.operations.begin(), d.operations.end()}) + "\n";
    evidence_block(o, d.evidence, "      ");
  }
  o += std::string("  environment_variables:") + (r.env.empty() ? " []\n" : "\n");
  for (const auto& e : r.env) {
    o += "    - name: " + yaml_scalar(e.name) + "\n";
    if (e.database) o += "      configures_database: true\n";
    evidence_block(o, e.evidence, "      ");
  }
  o += std::string("  api_endpoints:") + (r.endpoints.empty() ? " []\n" : "\n");
  for (const auto& e : r.endpoints) {
    o += "    - direction: " + yaml_scalar(e.direction) + "\n";
    if (!e.method.empty()) o += "      method: " + yaml_scalar(e.method) + "\n";
    o += "      target: " + yaml_scalar(e.target) + "\n";
    evidence_block(o, e.evidence, "      ");
  }
  o += std::string("  skipped:") + (r.skipped.empty() ? " []\n" : "\n");
  for (const auto& s : r.skipped) {
    o += "    - path: " + yaml_scalar(s.path) + "\n";
    o += "      reason: " + yaml_scalar(s.reason) + "\n";
  }
  return o;
}

std::string render_draft_spec(const AuditResult& r) {
  std::string o;
  std::string folder = r.root;
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  auto slash = folder.rfind('/');
  if (slash != std::string::npos) folder = folder.substr(slash + 1);
  o += fmt::format("// {}.packdb — a DRAFT written by `packdbc audit` from the pack folder `{}`\n", r.pack_name,
                   printable(folder));
  o += "// (seed steps 1–2). The data flows are what the audit found; read each TODO and decide.\n";
  o += "//\n";
  o += "// It states no `need`: a need (several users, versions, search, sharing …) is a design\n";
  o += "// decision the files cannot prove, and each one must be backed by a table. Without one the\n";
  o += "// KISS gate answers STOP — the filesystem is enough — until a need is shown.\n";

  bool any_db = !r.databases.empty() || std::any_of(r.env.begin(), r.env.end(), [](const EnvVar& e) { return e.database; });
  if (any_db || !r.relationships.empty() || !r.endpoints.empty()) {
    o += "//\n// Evidence to weigh before stating a need (see data-flow-audit.yaml for all of it):\n";
    for (const auto& d : r.databases) {
      std::string detail;
      if (!d.tables.empty()) detail += " tables " + join(d.tables, ", ") + ";";
      if (!d.operations.empty()) detail += " " + join(d.operations, ", ");
      o += fmt::format("//   database {}:{} — {}\n", d.kind, printable(detail), printable(d.evidence.begin()->text()));
    }
    for (const auto& e : r.env)
      if (e.database) o += fmt::format("//   environment `{}` configures a database — {}\n", e.name, printable(e.evidence.begin()->text()));
    for (const auto& e : r.endpoints)
      o += fmt::format("//   endpoint: {} {}{} — {}\n", e.direction, e.method.empty() ? "" : e.method + " ", printable(e.target),
                       printable(e.evidence.begin()->text()));
    for (const auto& rel : r.relationships) o += fmt::format("//   relationship: {}\n", printable(rel.text));
    o += "// TODO: if these show a need, declare its tables and state it, e.g. `need multi_user \"…\"` with a\n";
    o += "// table `owned by user`, or `need relations \"…\"` with `in PARENT`; then `packdbc kiss` again.\n";
  }
  if (r.manifest.used.empty()) o += "// TODO: the folder has no manifest (config.yaml): name and version are guesses.\n";
  for (const auto& p : r.manifest.problems) o += "// TODO: manifest: " + printable(p) + "\n";
  o += "\n";

  o += "pack " + r.pack_name;
  if (!r.manifest.version.empty()) o += " version " + spec_string(r.manifest.version);
  o += " {\n";
  if (!r.manifest.description.empty()) o += "  description " + spec_string(r.manifest.description) + "\n";
  o += "  target supabase\n}\n";

  auto comment_evidence = [&](const EvidenceSet& ev) {
    std::size_t n = 0;
    for (const auto& e : ev) {
      if (n++ == max_comment_evidence) {
        o += fmt::format("//   … and {} more\n", ev.size() - max_comment_evidence);
        break;
      }
      o += "//   " + printable(e.text()) + "\n";
    }
  };
  auto fields = [](const std::vector<std::string>& fs) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& f : fs) {
      std::string n = snake_name(f);
      if (!n.empty() && seen.insert(n).second) out.push_back(n);
    }
    return out;
  };

  if (!r.inputs.empty()) o += "\n// ---- data inputs ----\n";
  for (const auto& f : r.inputs) {
    o += "\n// found by: " + f.origin + "\n";
    comment_evidence(f.evidence);
    o += "// TODO: keep on files, or send `into` a table so rows can point at it?\n";
    o += fmt::format("input {} {} at {} {{\n", f.type, f.format, spec_string(f.location));
    if (!f.volume.empty()) o += "  volume " + spec_string(f.volume) + "\n";
    auto fl = fields(f.fields);
    if (!fl.empty()) o += fmt::format("  fields {}\n", fmt::join(fl, ", "));
    o += "  keep files\n}\n";
  }
  if (!r.outputs.empty()) o += "\n// ---- data outputs ----\n";
  for (const auto& f : r.outputs) {
    o += "\n// found by: " + f.origin + "\n";
    comment_evidence(f.evidence);
    o += "// TODO: persistence need (`persist high`, `medium`, `low`)? keep on files, or `into` a table?\n";
    o += fmt::format("output {} {} at {} {{\n", f.type, f.format, spec_string(f.location));
    if (!f.volume.empty()) o += "  volume " + spec_string(f.volume) + "\n";
    o += "  keep files\n}\n";
  }
  if (!r.state.empty()) o += "\n// ---- state kept between runs ----\n";
  for (const auto& s : r.state) {
    o += "\n";
    if (!s.location.empty()) o += "// kept in " + printable(s.location) + "\n";
    comment_evidence(s.evidence);
    o += "// TODO: map to a column (`-> table.column`), or keep on files?\n";
    std::vector<std::string> values = fields(s.values);
    o += "state " + s.name;
    if (!values.empty()) o += fmt::format(" [{}]", fmt::join(values, ", "));
    o += " keep files\n";
  }
  return o;
}

std::string render_summary(const AuditResult& r) {
  std::string o;
  std::string name = r.manifest.name.empty() ? r.pack_name : r.manifest.name;
  o += fmt::format("packdbc audit: {}{} (manifest: {})\n", name, r.manifest.version.empty() ? "" : " " + r.manifest.version,
                   r.manifest.used.empty() ? "none" : r.manifest.used);
  o += fmt::format("  scanned {} files in {} folders; skipped {}\n", r.files, r.folders, r.skipped.size());
  o += fmt::format("  data inputs {}, data outputs {}, state {}, relationships {}\n", r.inputs.size(), r.outputs.size(),
                   r.state.size(), r.relationships.size());
  o += fmt::format("  database touchpoints {}, environment variables {}, API endpoints {}\n", r.databases.size(),
                   r.env.size(), r.endpoints.size());
  if (!r.manifest.missing_files.empty())
    o += fmt::format("  files the manifest declares but the folder lacks: {}\n", r.manifest.missing_files.size());
  return o;
}

}  // namespace packdb::audit
