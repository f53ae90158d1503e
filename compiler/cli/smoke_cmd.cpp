// packdbc smoke-test --db URL --dir DIR: everything on a scratch database of the target's
// server (compiler/migrate/smoke.cpp); the target database itself is not changed.
#include <fmt/format.h>

#include <cstdio>

#include "compiler/cli/runner.hpp"
#include "compiler/migrate/smoke.hpp"

namespace packdb::cli {
namespace {

struct SmokeCli {
  RunnerOptions r;
  std::string template_db;
  bool keep = false;
};

int run_smoke(const SmokeCli& o) {
  int rc = exit_ok;
  auto run = start_run(o.r, rc);
  if (!run) return rc;
  auto& folder = run->folder;
  auto& target = run->conn;
  auto url = db::choose_url(o.r.db);
  migrate::SmokeOptions so;
  so.timeouts = {o.r.lock_timeout, o.r.statement_timeout};
  so.template_db = o.template_db;
  so.keep = o.keep;
  so.lock_wait = o.r.lock_wait;
  auto rep = migrate::smoke_test(url->url, *target, folder, so);
  std::string out = fmt::format("packdbc smoke-test: {} (scratch database {})\n", target->masked_url(), rep.scratch);
  std::size_t w = 25;  // "RLS isolation (two users)": the same columns whichever checks ran
  for (const auto& c : rep.checks) w = std::max(w, c.name.size());
  out += fmt::format("  {:<{}}  {:<6} {}\n", "check", w, "result", "detail");
  for (const auto& c : rep.checks) out += fmt::format("  {:<{}}  {:<6} {}\n", c.name, w, c.result, c.detail);
  for (const auto& n : rep.notes) {  // one note may span lines (a failure's detail)
    for (std::size_t b = 0; b <= n.size();) {
      std::size_t e = n.find('\n', b);
      std::string line = n.substr(b, e == std::string::npos ? std::string::npos : e - b);
      line.erase(0, line.find_first_not_of(' ') == std::string::npos ? line.size() : line.find_first_not_of(' '));
      out += "    " + line + "\n";
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  int failed = 0;
  for (const auto& c : rep.checks) failed += c.result == "fail";
  out += rep.passed() ? fmt::format("result: PASS ({} checks)\n", rep.checks.size())
                      : fmt::format("result: FAIL ({} of {} checks failed)\n", failed, rep.checks.size());
  std::fputs(out.c_str(), stdout);
  if (!rep.passed()) {
    std::string which;
    for (const auto& c : rep.checks)
      if (c.result == "fail") which += (which.empty() ? "" : ", ") + c.name;
    print_failure({"M0012", "the smoke test failed: " + which, "",
                   "the table above says why; the target database was not changed"});
    return exit_errors;
  }
  return exit_ok;
}

}  // namespace

void add_smoke_test_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<SmokeCli>();
  auto* cmd = app.add_subcommand("smoke-test",
                                 "on a scratch database of the same server: apply all, pgTAP, RLS probe with two users, "
                                 "roll back all, compare the catalog; the target database is not changed");
  add_runner_options(cmd, o->r, true);
  cmd->add_option("--template", o->template_db,
                  "create the scratch database from this template (default: the server's default, template1)");
  cmd->add_flag("--keep", o->keep, "keep the scratch database afterwards (to look at a failure)");
  out.push_back({cmd, [o] { return run_smoke(*o); }});
}

}  // namespace packdb::cli
