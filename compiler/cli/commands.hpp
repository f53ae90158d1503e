// The commands of packdbc. Each lives in its own compiler/cli/<name>_cmd.cpp and registers
// itself with add_<name>_command(), which declares its options and returns how to run it.
// main.cpp only lists the registrations, so adding a command touches one line there.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "compiler/front/parse.hpp"

namespace packdb::cli {

// Exit codes, documented in docs/cli.md.
inline constexpr int exit_ok = 0;
inline constexpr int exit_errors = 1;     // diagnostics with errors, unreadable input, failed operations
inline constexpr int exit_usage = 2;      // bad command line
inline constexpr int exit_kiss_stop = 3;  // the KISS gate: no database needed

// A registered command: its CLI11 subcommand and the function that runs it once parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

// Options shared by the commands that read a spec.
struct CommonOptions {
  std::string spec;
  std::string format = "text";
  std::string schema;  // --schema FILE: the current database, as `packdbc inspect` wrote it
  std::string db;      // --db URL: the current database, introspected live (frontend.cpp)
  std::size_t max_spec_mib = max_spec_bytes / (1024u * 1024u);  // --max-spec-mib: the size limit
};
// Declares SPEC, --format and --schema on `cmd`, storing them in `opts`.
void add_spec_options(CLI::App* cmd, CommonOptions& opts);
// Declares --db URL on `cmd` (exclusive with --schema), for commands that read a spec (frontend.cpp).
void add_database_options(CLI::App* cmd, CommonOptions& opts);

void add_compile_command(CLI::App& app, Commands& out);
void add_check_command(CLI::App& app, Commands& out);
void add_kiss_command(CLI::App& app, Commands& out);
void add_fmt_command(CLI::App& app, Commands& out);
void add_inspect_command(CLI::App& app, Commands& out);
void add_env_check_command(CLI::App& app, Commands& out);
void add_snapshot_command(CLI::App& app, Commands& out);
void add_audit_command(CLI::App& app, Commands& out);
void add_migrate_command(CLI::App& app, Commands& out);
void add_status_command(CLI::App& app, Commands& out);
void add_rollback_command(CLI::App& app, Commands& out);
void add_smoke_test_command(CLI::App& app, Commands& out);
void add_backfill_command(CLI::App& app, Commands& out);

}  // namespace packdb::cli
