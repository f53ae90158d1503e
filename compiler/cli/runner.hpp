// What migrate, status, rollback (migrate_cmd.cpp) and smoke-test (smoke_cmd.cpp) share:
// --db/--dir and the timeout options, opening the target, printing a failure.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "compiler/cli/commands.hpp"
#include "compiler/db/connection.hpp"
#include "compiler/migrate/ledger.hpp"

namespace packdb::cli {

struct RunnerOptions {
  std::string db;
  std::string dir;
  std::string format = "text";
  std::string lock_timeout = "5s";
  std::string statement_timeout = "5min";
  int lock_wait = 60;
};

// --db, --dir (required) and, with `timeouts`, --lock-timeout, --statement-timeout, --lock-wait.
void add_runner_options(CLI::App* cmd, RunnerOptions& o, bool timeouts);
// "error[M0006]: … \n  detail\nhelp: …" on stderr (stdout flushed first).
void print_failure(const migrate::Failure& f);
// Connects to --db (or $SUPABASE_DB_URL / $DATABASE_URL); on failure prints the error and
// returns nothing, with the exit code in `rc` (2 without a URL, else 1).
std::unique_ptr<db::Connection> open_target(const RunnerOptions& o, int& rc);

// The start of every runner command: --dir read as a compile output folder, then the target
// opened. On failure prints why and returns nothing, with the exit code in `rc`.
struct Run {
  migrate::Folder folder;
  std::unique_ptr<db::Connection> conn;
};
std::optional<Run> start_run(const RunnerOptions& o, int& rc);

}  // namespace packdb::cli
