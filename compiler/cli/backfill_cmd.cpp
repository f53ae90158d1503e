// packdbc backfill SPEC --pack DIR --db URL: a pack's existing files loaded into the tables
// its data flows go `into` (compiler/backfill/). The spec is checked first; the files are
// read (never written); the rows go in one transaction. Results on stdout, progress and
// errors on stderr.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "compiler/backfill/load.hpp"
#include "compiler/backfill/rows.hpp"
#include "compiler/cli/frontend.hpp"
#include "compiler/cli/runner.hpp"

namespace packdb::cli {
namespace {

struct BackfillCli {
  CommonOptions common;
  RunnerOptions target;  // only db: the database to fill (not read for conventions)
  std::string pack;
  backfill::LoadOptions load;
};

void progress(const std::string& what) { std::fprintf(stderr, "packdbc backfill: %s\n", what.c_str()); }

std::string render(const backfill::Plan& p, const backfill::Report& r, const BackfillCli& o) {
  std::string out;
  std::size_t w = 5;
  for (const auto& t : r.tables) w = std::max(w, t.table.size());
  const char* verb = o.load.dry_run ? "would insert" : "inserted";
  out += fmt::format("  {:<{}}  {:>12}  {:>15}  {:>14}\n", "table", w, verb, "already present", "rejected files");
  int inserted = 0, present = 0;
  for (const auto& t : r.tables) {
    out += fmt::format("  {:<{}}  {:>12}  {:>15}  {:>14}\n", t.table, w, t.inserted, t.present, t.rejected_files);
    inserted += t.inserted;
    present += t.present;
  }
  if (o.load.dry_run) {  // what would be inserted, file by file
    bool any = false;
    for (const auto& f : r.files) {
      if (!f.inserted) continue;
      if (!any) out += "would insert:\n";
      any = true;
      out += fmt::format("  {} ← {} ({} row{})\n", f.table, f.file, f.inserted, f.inserted == 1 ? "" : "s");
    }
  }
  if (!r.rejections.empty()) {
    out += "rejected:\n";
    for (const auto& x : r.rejections) out += fmt::format("  {}:{}: {}\n", x.file, x.line, x.reason);
  }
  for (const auto& t : r.tables) {
    if (t.lacking.empty()) continue;
    out += fmt::format("without an embedding ({} row{} of {}; packdbc computes none):\n", t.lacking.size(),
                       t.lacking.size() == 1 ? "" : "s", t.table);
    for (const auto& l : t.lacking) out += "  " + l + "\n";
  }
  if (!p.unmapped.empty()) out += fmt::format("not backfilled (no `map`): {}\n", fmt::join(p.unmapped, ", "));
  for (const auto& n : p.notes) out += "note: " + n + "\n";
  std::string files = r.rejections.empty() ? "" : fmt::format(", {} rejected", r.rejections.size());
  if (o.load.dry_run)
    out += fmt::format("result: dry run: {} rows would be inserted, {} already present{}; all rolled back, nothing changed\n",
                       inserted, present, files);
  else if (r.committed)
    out += fmt::format("result: {} rows inserted, {} already present{}\n", inserted, present, files);
  else
    out += fmt::format("result: nothing inserted ({} rows rolled back){}\n", inserted, files);
  return out;
}

int run_backfill(BackfillCli& o) {
  Checked c;
  check_spec(o.common, c);
  print_diagnostics(o.common, c);
  if (!c.ok) return exit_errors;
  std::error_code ec;
  if (!std::filesystem::is_directory(o.pack, ec)) {
    print_failure({"B0004", fmt::format("the pack folder {} is not a folder", o.pack), "",
                   "give --pack the folder that holds the pack's files (outputs/, config/ …)"});
    return exit_errors;
  }
  int rc = exit_ok;
  auto conn = open_target(o.target, rc);
  if (!conn) return rc;
  auto plan = backfill::plan(c.model, o.pack, progress);
  std::printf("packdbc backfill%s: %s ← %s\n", o.load.dry_run ? " --dry-run" : "", conn->masked_url().c_str(),
              o.pack.c_str());
  std::fflush(stdout);
  auto rep = backfill::load(*conn, c.model, plan, o.load, progress);
  if (rep.failure) {
    print_failure(rep.failure);
    return exit_errors;
  }
  std::printf("  as %s\n%s", rep.acting_as.c_str(), render(plan, rep, o).c_str());
  if (!rep.rejections.empty() && !o.load.skip_bad) {
    print_failure({"B0001",
                   fmt::format("{} file{} rejected: the run was rolled back, nothing was inserted", rep.rejections.size(),
                               rep.rejections.size() == 1 ? "" : "s"),
                   "", "fix the files listed under `rejected:`, or run with --skip-bad to load the others"});
    return exit_errors;
  }
  return exit_ok;
}

}  // namespace

void add_backfill_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<BackfillCli>();
  auto* cmd = app.add_subcommand("backfill",
                                 "load a pack's existing files into the tables its data flows `map` them to: one "
                                 "transaction, idempotent, files never changed");
  cmd->add_option("SPEC", o->common.spec, "the .packdb spec")->required();
  cmd->add_option("--pack", o->pack, "the pack folder whose files are loaded (read only)")->required();
  cmd->add_option("--db", o->target.db,
                  "postgresql://user:password@host:5432/dbname (default: $SUPABASE_DB_URL, then $DATABASE_URL); "
                  "the password is never printed");
  static const auto uuid = CLI::Validator(
      [](std::string& s) {
        static const std::string hex = "0123456789abcdefABCDEF";
        bool ok = s.size() == 36;
        for (std::size_t i = 0; ok && i < s.size(); ++i)
          ok = (i == 8 || i == 13 || i == 18 || i == 23) ? s[i] == '-' : hex.find(s[i]) != std::string::npos;
        return ok ? std::string() : "not a uuid: " + s;
      },
      "UUID");
  auto* as = cmd->add_option("--as-user", o->load.as_user,
                             "act as this user (the `authenticated` role, JWT sub set): RLS applies and the rows are theirs")
                 ->check(uuid);
  cmd->add_option("--owner", o->load.owner,
                  "as the service role (without --as-user): the owner of the rows of owned tables")
      ->check(uuid)
      ->excludes(as);
  cmd->add_flag("--skip-bad", o->load.skip_bad, "load the good files and report the bad ones (default: all or nothing)");
  cmd->add_flag("--dry-run", o->load.dry_run, "do everything, report what would be inserted, then roll back");
  out.push_back({cmd, [o] { return run_backfill(*o); }});
}

}  // namespace packdb::cli
