// packdbc migrate / status / rollback --db URL --dir DIR: the thin command-line half of
// compiler/migrate/ (docs/migrate.md). Results on stdout, errors (error[CODE]: …) on stderr.
#include <fmt/format.h>

#include <cstdio>

#include "compiler/cli/frontend.hpp"
#include "compiler/cli/runner.hpp"
#include "compiler/front/diagnostics.hpp"
#include "compiler/migrate/apply.hpp"
#include "compiler/migrate/rollback.hpp"

namespace packdb::cli {

void print_failure(const migrate::Failure& f) {
  std::fflush(stdout);
  std::string out = fmt::format("error[{}]: {}\n", f.code, f.message);
  if (!f.detail.empty()) out += fmt::format("  {}\n", f.detail);
  if (!f.help.empty()) out += fmt::format("help: {}\n", f.help);
  std::fputs(out.c_str(), stderr);
}

void add_runner_options(CLI::App* cmd, RunnerOptions& o, bool timeouts) {
  cmd->add_option("--db", o.db,
                  "postgresql://user:password@host:5432/dbname (default: $SUPABASE_DB_URL, then $DATABASE_URL); "
                  "the password is never printed");
  cmd->add_option("--dir", o.dir, "the folder `packdbc compile -o DIR` wrote (holding supabase/migrations)")
      ->required();
  if (timeouts) {
    cmd->add_option("--lock-timeout", o.lock_timeout,
                    "lock_timeout for each migration's transaction (default 5s; 0 waits forever)");
    cmd->add_option("--statement-timeout", o.statement_timeout,
                    "statement_timeout for each migration's transaction (default 5min; 0: none)");
    cmd->add_option("--lock-wait", o.lock_wait,
                    "seconds to wait for another packdbc run's migration lock (default 60)")
        ->check(CLI::NonNegativeNumber);
  }
}

// Opens the connection (URL from --db or the environment); prints the error and returns
// nothing on failure, with the exit code in `rc`.
std::unique_ptr<db::Connection> open_target(const RunnerOptions& o, int& rc) {
  auto url = db::choose_url(o.db);
  db::Error err;
  auto conn = db::Connection::open(url ? url->url : "", err);  // an empty URL is D0001, "no database URL given"
  if (!conn) {
    print_db_error(err);
    rc = err.kind == db::ErrorKind::no_url ? exit_usage : exit_errors;
  }
  return conn;
}

std::optional<Run> start_run(const RunnerOptions& o, int& rc) {
  migrate::Failure fail;
  auto folder = migrate::read_folder(o.dir, fail);
  if (!folder) {
    print_failure(fail);
    rc = exit_errors;
    return std::nullopt;
  }
  auto conn = open_target(o, rc);
  if (!conn) return std::nullopt;
  return Run{std::move(*folder), std::move(conn)};
}

namespace {

std::string json_str(const std::string& s) { return "\"" + json_escape(s) + "\""; }

int run_migrate(const RunnerOptions& o, bool dry_run) {
  int rc = exit_ok;
  auto run = start_run(o, rc);
  if (!run) return rc;
  auto& folder = run->folder;
  auto& conn = run->conn;
  std::printf("packdbc migrate%s: %s ← %s/supabase/migrations\n", dry_run ? " --dry-run" : "",
              conn->masked_url().c_str(), o.dir.c_str());
  std::fflush(stdout);
  migrate::ApplyOptions ao;
  ao.timeouts = {o.lock_timeout, o.statement_timeout};
  ao.dry_run = dry_run;
  ao.lock_wait = o.lock_wait;
  auto rep = migrate::apply_pending(*conn, folder, ao);
  if (rep.waited_for_lock) std::printf("  (waited for another packdbc run to release the migration lock)\n");
  for (const auto& s : rep.applied)
    std::printf("  %s %s (%d statement%s, %lld ms)\n", dry_run ? "would apply" : "applied", s.file.c_str(),
                s.statements, s.statements == 1 ? "" : "s", s.ms);
  if (rep.failure) {
    if (!rep.failed_version.empty())
      std::printf("  %s %s\n", dry_run ? "would fail" : "FAILED", folder.find(rep.failed_version)->file.c_str());
    std::printf("result: stopped with an error; %zu applied%s\n", dry_run ? 0 : rep.applied.size(),
                dry_run ? " (dry run: everything rolled back)" : " before it (committed)");
    print_failure(rep.failure);
    return exit_errors;
  }
  if (dry_run)
    std::printf("result: dry run: %zu migration%s would apply, %d already applied; all rolled back, nothing changed\n",
                rep.applied.size(), rep.applied.size() == 1 ? "" : "s", rep.already_applied);
  else if (rep.applied.empty())
    std::printf("result: nothing to apply (%d already applied)\n", rep.already_applied);
  else
    std::printf("result: %zu applied, %d already applied before\n", rep.applied.size(), rep.already_applied);
  return exit_ok;
}

int run_status(const RunnerOptions& o) {
  int rc = exit_ok;
  auto run = start_run(o, rc);
  if (!run) return rc;
  auto& folder = run->folder;
  auto& conn = run->conn;
  db::Error err;
  auto ledger = migrate::read_ledger(*conn, err);
  if (!ledger) {
    print_db_error(err);
    return exit_errors;
  }
  auto entries = migrate::compare(folder, *ledger);
  int count[4] = {0, 0, 0, 0};
  for (const auto& e : entries) ++count[static_cast<int>(e.state)];
  const bool drift = count[static_cast<int>(migrate::State::changed)] + count[static_cast<int>(migrate::State::missing)] > 0;
  if (o.format == "json") {
    std::string items;
    for (const auto& e : entries)
      items += fmt::format("{}{{\"version\":{},\"name\":{},\"state\":{},\"applied_at\":{},\"checksum\":{},\"file\":{}}}",
                           items.empty() ? "" : ",", json_str(e.version), json_str(e.name),
                           json_str(migrate::state_name(e.state)),
                           e.state == migrate::State::pending ? "null" : json_str(e.applied_at),
                           e.state == migrate::State::pending ? "null" : (e.checksum ? "true" : "false"),
                           e.file ? json_str(e.file->file) : "null");
    std::printf("{\"url\":%s,\"dir\":%s,\"migrations\":[%s],\"summary\":{\"applied\":%d,\"pending\":%d,\"changed\":%d,"
                "\"missing\":%d}}\n",
                json_str(conn->masked_url()).c_str(), json_str(o.dir).c_str(), items.c_str(), count[0], count[1],
                count[2], count[3]);
    return drift ? exit_errors : exit_ok;
  }
  std::string out = fmt::format("packdbc status: {} ↔ {}/supabase/migrations\n", conn->masked_url(), o.dir);
  std::size_t w = 4;
  for (const auto& e : entries) w = std::max(w, e.name.size());
  out += fmt::format("  {:<16} {:<{}}  {:<8} {}\n", "version", "name", w, "state", "applied at (UTC)");
  for (const auto& e : entries) {
    std::string when = e.state == migrate::State::pending ? "" : e.applied_at;
    if (e.state != migrate::State::pending && !e.checksum) when = "(recorded by another tool, no checksum)";
    out += fmt::format("  {:<16} {:<{}}  {:<8} {}\n", e.version, e.name, w, migrate::state_name(e.state), when);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  // trailing blanks of the last column
  std::string clean;
  for (std::size_t b = 0; b <= out.size();) {
    std::size_t e = out.find('\n', b);
    std::string line = out.substr(b, e == std::string::npos ? std::string::npos : e - b);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    clean += line + "\n";
    if (e == std::string::npos) break;
    b = e + 1;
  }
  clean += fmt::format("result: {} applied, {} pending, {} changed, {} missing\n", count[0], count[1], count[2], count[3]);
  std::fputs(clean.c_str(), stdout);
  return drift ? exit_errors : exit_ok;
}

struct RollbackCli {
  RunnerOptions r;
  int last = 0;
  std::string to;
  bool force = false;
};

int run_rollback(const RollbackCli& o) {
  int rc = exit_ok;
  auto run = start_run(o.r, rc);
  if (!run) return rc;
  auto& folder = run->folder;
  auto& conn = run->conn;
  std::printf("packdbc rollback: %s ← %s/supabase/rollback\n", conn->masked_url().c_str(), o.r.dir.c_str());
  std::fflush(stdout);
  migrate::RollbackOptions ro;
  ro.timeouts = {o.r.lock_timeout, o.r.statement_timeout};
  ro.last = o.last;
  ro.to = o.to;
  ro.force = o.force;
  ro.lock_wait = o.r.lock_wait;
  auto rep = migrate::roll_back(*conn, folder, ro);
  if (rep.waited_for_lock) std::printf("  (waited for another packdbc run to release the migration lock)\n");
  if (o.force)
    for (const auto& d : rep.data_loss)
      std::printf("  --force: dropping %s with %lld row%s (%s)\n", d.table.c_str(), d.rows, d.rows == 1 ? "" : "s",
                  d.file.c_str());
  for (const auto& s : rep.rolled_back)
    std::printf("  rolled back %s (%s, %d statement%s, %lld ms)\n", (s.version + "_" + s.name).c_str(), s.file.c_str(),
                s.statements, s.statements == 1 ? "" : "s", s.ms);
  if (rep.failure) {
    std::printf("result: stopped with an error; %zu rolled back before it\n", rep.rolled_back.size());
    print_failure(rep.failure);
    return exit_errors;
  }
  if (rep.rolled_back.empty())
    std::printf("result: nothing to roll back (%d applied)\n", rep.still_applied);
  else
    std::printf("result: %zu rolled back, %d still applied\n", rep.rolled_back.size(), rep.still_applied);
  return exit_ok;
}

}  // namespace

void add_migrate_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<RunnerOptions>();
  auto dry = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("migrate",
                                 "apply the pending migrations of a compile output folder, each in a transaction, "
                                 "recorded in the Supabase CLI's ledger");
  add_runner_options(cmd, *o, true);
  cmd->add_flag("--dry-run", *dry, "run everything inside BEGIN … ROLLBACK and report what would happen");
  out.push_back({cmd, [o, dry] { return run_migrate(*o, *dry); }});
}

void add_status_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<RunnerOptions>();
  auto* cmd = app.add_subcommand("status", "which migrations are applied, pending, changed since applied, or missing");
  add_runner_options(cmd, *o, false);
  cmd->add_option("--format", o->format, "`text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  out.push_back({cmd, [o] { return run_status(*o); }});
}

void add_rollback_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<RollbackCli>();
  auto* cmd = app.add_subcommand("rollback",
                                 "run the down scripts of the last applied migrations, newest first, each in a transaction");
  add_runner_options(cmd, o->r, true);
  auto* last = cmd->add_option("--last", o->last, "roll back the last N applied migrations")->check(CLI::PositiveNumber);
  auto* to = cmd->add_option("--to", o->to, "roll back every applied migration after VERSION (0: all of them)");
  last->excludes(to);
  to->excludes(last);
  cmd->add_flag("--force", o->force, "drop tables that still hold rows (otherwise refused, naming them)");
  cmd->callback([cmd, last, to] {
    if (last->count() == 0 && to->count() == 0) throw CLI::ValidationError("rollback", "give --last N or --to VERSION");
  });
  out.push_back({cmd, [o] { return run_rollback(*o); }});
}

}  // namespace packdb::cli
