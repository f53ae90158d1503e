// packdbc — the thin driver: parses the command line and runs one command.
#include <CLI/CLI.hpp>

#include "compiler/cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace packdb::cli;
  CLI::App app{"packdbc — a declarative schema compiler for expansion packs on Supabase/PostgreSQL"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("packdbc ") + PACKDBC_VERSION);

  CommonOptions common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("SPEC", common.spec, "the .packdb spec")->required();
    cmd->add_option("--format", common.format, "diagnostics as `text` (default) or `json`")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--schema", common.schema, "the current database schema, a snapshot written by `packdbc inspect`")
        ->check(CLI::ExistingFile);
  };

  CompileOptions compile;
  auto* c = app.add_subcommand("compile", "check a spec, then write its migrations, rollbacks and tests");
  add_common(c);
  c->add_option("-o,--out", compile.out_dir, "output folder (default: out/<pack>)");
  c->add_option("--date", compile.date, "date of the migration versions, YYYY-MM-DD (default: the spec's `date`, "
                                        "then SOURCE_DATE_EPOCH, then today)");
  c->add_flag("-q,--quiet", compile.quiet, "print nothing but diagnostics");

  auto* k = app.add_subcommand("check", "check a spec and print its diagnostics; write nothing");
  add_common(k);

  auto* g = app.add_subcommand("kiss", "the KISS gate alone: is a database needed, and what is the smallest change?");
  add_common(g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  if (c->parsed()) return run_compile(common, compile);
  if (k->parsed()) return run_check(common);
  if (g->parsed()) return run_kiss(common);
  return exit_usage;
}
