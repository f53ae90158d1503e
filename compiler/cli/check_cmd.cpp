// packdbc check SPEC: diagnostics, the validation checklist and the KISS verdict; writes nothing.
#include <cstdio>

#include "compiler/check/checklist.hpp"
#include "compiler/cli/frontend.hpp"

namespace packdb::cli {

namespace {

int run_check(const CommonOptions& common) {
  Checked c;
  check_spec(common, c);
  print_diagnostics(common, c);
  if (common.format == "json") {
    std::printf("{\"diagnostics\":%s,\"checklist\":%s,\"kiss\":%s}\n", render_json(c.diags, c.loaded.sources).c_str(),
                c.kiss_ran ? check::render_checklist_json(c.diags, c.loaded.sources).c_str() : "null",
                c.kiss_ran ? check::render_kiss_json(c.kiss).c_str() : "null");
  } else if (c.kiss_ran) {
    std::fputs(check::render_checklist_text(c.diags, c.loaded.sources).c_str(), stdout);
    std::fputs(check::render_kiss_text(c.kiss).c_str(), stdout);
  }
  return exit_code(c);
}

// packdbc kiss SPEC: the KISS gate alone — PROCEED, or STOP (exit 3) with the reasons.
int run_kiss(const CommonOptions& common) {
  Checked c;
  check_spec(common, c);
  print_diagnostics(common, c);
  if (common.format == "json") {
    std::printf("{\"diagnostics\":%s,\"kiss\":%s}\n", render_json(c.diags, c.loaded.sources).c_str(),
                c.kiss_ran ? check::render_kiss_json(c.kiss).c_str() : "null");
  } else if (c.kiss_ran) {
    std::fputs(check::render_kiss_text(c.kiss).c_str(), stdout);
  }
  return exit_code(c);
}

}  // namespace

void add_spec_options(CLI::App* cmd, CommonOptions& opts) {
  cmd->add_option("SPEC", opts.spec, "the .packdb spec")->required();
  cmd->add_option("--format", opts.format, "diagnostics and results as `text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--schema", opts.schema, "the current database schema, a snapshot written by `packdbc inspect`")
      ->check(CLI::ExistingFile);
  add_database_options(cmd, opts);
}

void add_check_command(CLI::App& app, Commands& out) {
  auto opts = std::make_shared<CommonOptions>();
  auto* cmd = app.add_subcommand("check", "check a spec: diagnostics, the validation checklist, the KISS verdict");
  add_spec_options(cmd, *opts);
  out.push_back({cmd, [opts] { return run_check(*opts); }});
}

void add_kiss_command(CLI::App& app, Commands& out) {
  auto opts = std::make_shared<CommonOptions>();
  auto* cmd = app.add_subcommand("kiss", "the KISS gate alone: is a database needed, and what is the smallest change?");
  add_spec_options(cmd, *opts);
  out.push_back({cmd, [opts] { return run_kiss(*opts); }});
}

}  // namespace packdb::cli
