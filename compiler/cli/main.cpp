// packdbc — the thin driver: registers the commands, parses the command line, runs one.
#include "compiler/cli/commands.hpp"

#ifdef PACKDB_WITH_MIMALLOC
#include <mimalloc.h>
#endif

int main(int argc, char** argv) {
  using namespace packdb::cli;
#ifdef PACKDB_WITH_MIMALLOC
  // A compile writes its outputs into strings of tens of megabytes; on a virtual machine each
  // 4 KiB page's first touch is a costly fault (a third of compile's time at 5,000 tables).
  // Transparent huge pages (2 MiB) take four faults in five away; the kernel falls back to
  // small pages where THP is off (docs/performance.md).
  mi_option_set(mi_option_large_os_pages, 1);
  mi_option_set(mi_option_eager_commit_delay, 0);
#endif
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
