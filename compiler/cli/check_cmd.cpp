// packdbc check SPEC: diagnostics, the validation checklist and the KISS verdict; writes nothing.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/check/checklist.hpp"
#include "compiler/cli/frontend.hpp"
#include "compiler/db/introspect.hpp"
#include "compiler/migrate/ledger.hpp"
#include "compiler/plan/drift.hpp"
#include "compiler/plan/state.hpp"

namespace packdb::cli {

namespace {

// check --db URL --dir DIR: the spec is checked offline (the database holds the pack already,
// so its tables are not "existing tables" to the spec), then the database is compared with
// the state of DIR's migrations (plan/drift.hpp). Exit 1 on drift or pending migrations.
int run_drift(const CommonOptions& common, const std::string& dir) {
  CommonOptions offline = common;
  offline.db.clear();
  Checked c;
  check_spec(offline, c);
  print_diagnostics(offline, c);
  if (!c.ok) return exit_errors;
  namespace fs = std::filesystem;
  const fs::path state_file = fs::path(dir) / plan::state_path(c.model);
  std::ifstream in(state_file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error[E0908]: no state file `%s`; compile the spec into `%s` first\n", state_file.c_str(),
                 dir.c_str());
    return exit_errors;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string why;
  auto state = plan::read_state(text.str(), why);
  if (!state) {
    std::fprintf(stderr, "error[E0908]: the state file `%s` is not valid: %s\n", state_file.c_str(), why.c_str());
    return exit_errors;
  }
  db::Error err;
  auto conn = db::Connection::open(common.db, err);
  std::optional<std::vector<migrate::Applied>> ledger;
  std::optional<model::Catalog> catalog;
  if (conn) ledger = migrate::read_ledger(*conn, err);
  if (ledger) catalog = db::introspect(*conn, {}, err);
  if (!catalog) {
    print_db_error(err);
    return exit_errors;
  }
  std::set<std::string> applied;
  for (const auto& a : *ledger) applied.insert(a.version);
  std::vector<std::string> all, pending;
  for (const auto& g : state->generations)
    for (const auto& m : g.migrations) {
      all.push_back(m);
      if (!applied.count(m.substr(0, m.find('_')))) pending.push_back(m);
    }
  std::printf("packdbc check: %s against %s\n", conn->masked_url().c_str(), state_file.c_str());
  std::printf("  migrations: %zu of %zu applied\n", all.size() - pending.size(), all.size());
  for (const auto& p : pending) std::printf("  pending  %s\n", p.c_str());
  if (!pending.empty()) {
    std::printf("result: not compared: the database is behind the folder; apply the pending migrations (packdbc "
                "migrate) and check again\n");
    return exit_errors;
  }
  auto lines = plan::drift(state->schema, *catalog);
  for (const auto& l : lines) std::printf("  drift    %s\n", l.c_str());
  if (lines.empty()) std::printf("result: no drift: the database is what its migrations produce\n");
  else
    std::printf("result: %zu difference%s between the database and what its migrations produce\n", lines.size(),
                lines.size() == 1 ? "" : "s");
  return lines.empty() ? exit_ok : exit_errors;
}

int run_check(const CommonOptions& common, const std::string& dir) {
  if (!dir.empty()) return run_drift(common, dir);
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
  cmd->add_option("--max-spec-mib", opts.max_spec_mib,
                  "refuse a spec (or a file it imports) larger than this many MiB (default 16); memory grows "
                  "with the spec, about 70 times its size")
      ->check(CLI::Range(1, 1024));
  add_database_options(cmd, opts);
}

void add_check_command(CLI::App& app, Commands& out) {
  auto opts = std::make_shared<CommonOptions>();
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("check", "check a spec: diagnostics, the validation checklist, the KISS verdict");
  add_spec_options(cmd, *opts);
  cmd->add_option("--dir", *dir,
                  "with --db: compare the database with what the migrations compiled into DIR produce (drift); exit 1 "
                  "on a difference or a pending migration")
      ->needs(cmd->get_option("--db"));
  out.push_back({cmd, [opts, dir] { return run_check(*opts, *dir); }});
}

void add_kiss_command(CLI::App& app, Commands& out) {
  auto opts = std::make_shared<CommonOptions>();
  auto* cmd = app.add_subcommand("kiss", "the KISS gate alone: is a database needed, and what is the smallest change?");
  add_spec_options(cmd, *opts);
  out.push_back({cmd, [opts] { return run_kiss(*opts); }});
}

}  // namespace packdb::cli
