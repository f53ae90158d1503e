// packdbc audit PACK_DIR -o OUT: seed steps 1–2. Verifies the pack, scans its data
// touchpoints, writes OUT/data-flow-audit.yaml and a draft OUT/<pack>.packdb, and prints a
// short summary. Warnings (manifest problems, missing files) go to stderr; so does progress
// when a scan takes more than a second.
#include <cstdio>

#include "compiler/audit/audit.hpp"
#include "compiler/audit/report.hpp"
#include "compiler/cli/commands.hpp"
#include "compiler/cli/output.hpp"

namespace packdb::cli {

namespace {

struct AuditOptions {
  std::string pack_dir;
  std::string out_dir;
  std::uintmax_t max_file_size = 4u << 20;
  bool quiet = false;
};

int run_audit_command(const AuditOptions& opts) {
  audit::AuditOptions ao;
  ao.max_file_size = opts.max_file_size;
  // When the output lies in the pack, a second run must not audit the first one's output.
  ao.exclude = opts.out_dir.empty() ? "out" : opts.out_dir;
  if (!opts.quiet)
    ao.progress = [](const std::string& m) { std::fprintf(stderr, "packdbc audit: %s…\n", m.c_str()); };
  audit::AuditResult r = audit::run_audit(opts.pack_dir, ao);
  if (!r.ok) {
    std::fprintf(stderr, "error: %s\n", r.error.c_str());
    return exit_errors;
  }
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

  std::string dir = opts.out_dir.empty() ? "out/" + r.pack_name : opts.out_dir;
  std::vector<gen::OutputFile> files = {{"data-flow-audit.yaml", audit::render_audit_yaml(r)},
                                        {r.pack_name + ".packdb", audit::render_draft_spec(r)}};
  WriteResult w = write_outputs(dir, files);
  if (!w.error.empty()) {
    std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
    return exit_errors;
  }
  if (!opts.quiet) {
    std::fputs(audit::render_summary(r).c_str(), stdout);
    for (const auto& f : files) {
      bool changed = std::find(w.written.begin(), w.written.end(), f.path) != w.written.end();
      std::printf("  %s %s/%s\n", changed ? "wrote    " : "unchanged", dir.c_str(), f.path.c_str());
    }
    std::printf("  next: read the TODOs in the draft, then `packdbc kiss %s/%s`\n", dir.c_str(), files[1].path.c_str());
  }
  return exit_ok;
}

}  // namespace

void add_audit_command(CLI::App& app, Commands& out) {
  auto opts = std::make_shared<AuditOptions>();
  auto* cmd = app.add_subcommand("audit",
                                 "verify a pack folder and scan its data touchpoints: writes data-flow-audit.yaml and a "
                                 "draft spec");
  cmd->add_option("PACK_DIR", opts->pack_dir, "the expansion pack's folder")->required();
  cmd->add_option("-o,--out", opts->out_dir, "output folder (default: out/<pack>)");
  cmd->add_option("--max-file-size", opts->max_file_size,
                  "larger files are listed but not read (bytes, default 4194304)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("-q,--quiet", opts->quiet, "print nothing but warnings and errors");
  out.push_back({cmd, [opts] { return run_audit_command(*opts); }});
}

}  // namespace packdb::cli
