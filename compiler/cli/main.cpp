// packdbc — the thin driver: registers the commands, parses the command line, runs one.
#include "compiler/cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace packdb::cli;
  CLI::App app{"packdbc — a declarative schema compiler for expansion packs on Supabase/PostgreSQL"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("packdbc ") + PACKDBC_VERSION);

  Commands commands;
  add_compile_command(app, commands);
  add_check_command(app, commands);
  add_kiss_command(app, commands);
  add_fmt_command(app, commands);
  add_inspect_command(app, commands);
  add_env_check_command(app, commands);
  add_snapshot_command(app, commands);
  add_audit_command(app, commands);
  add_migrate_command(app, commands);
  add_status_command(app, commands);
  add_rollback_command(app, commands);
  add_smoke_test_command(app, commands);
  add_backfill_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : exit_usage;
  }
  for (const Command& c : commands)
    if (c.app->parsed()) return c.run();
  return exit_usage;
}
