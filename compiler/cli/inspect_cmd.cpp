// packdbc inspect [--db URL] [-o FILE]: the schema of a live database as snapshot YAML
// (docs/snapshot.md) — tables, columns, keys, foreign keys, indexes, enums, RLS, policies,
// views, functions, triggers, extensions and the patterns found. `--schema FILE` reads it back.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "compiler/cli/frontend.hpp"
#include "compiler/cli/output.hpp"
#include "compiler/db/yaml.hpp"

namespace packdb::cli {
namespace {

struct InspectOptions {
  std::string db;
  std::string out;
  std::vector<std::string> schemas;
  bool quiet = false;
};

int run_inspect(const InspectOptions& o) {
  auto url = db::choose_url(o.db);
  if (!url) {
    print_db_error({db::ErrorKind::no_url, "no database URL given", "",
                    "pass --db URL, or set SUPABASE_DB_URL or DATABASE_URL (postgresql://user:password@host:5432/dbname)"});
    return exit_usage;
  }
  auto t0 = std::chrono::steady_clock::now();
  db::Error err;
  int queries = 0;
  auto cat = read_database(url->url, {o.schemas}, err, &queries);
  if (!cat) {
    print_db_error(err);
    if (!o.out.empty()) std::fprintf(stderr, "nothing was written to %s\n", o.out.c_str());
    return exit_errors;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::string yaml = db::catalog_to_yaml(*cat);
  if (o.out.empty() || o.out == "-") {
    std::fputs(yaml.c_str(), stdout);
  } else {
    std::filesystem::path p(o.out);
    std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    WriteResult w = write_outputs(dir, {{p.filename().string(), yaml}});
    if (!w.error.empty()) {
      std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
      return exit_errors;
    }
  }
  if (!o.quiet) {
    auto count = [](std::size_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); };
    std::string where = o.out.empty() || o.out == "-" ? "" : " → " + o.out;
    std::fprintf(stderr, "packdbc inspect: %s (from %s): %s, %s, %s in %s — %d queries, %lld ms%s\n", cat->source.c_str(),
                 url->from.c_str(), count(cat->tables.size(), "table", "tables").c_str(),
                 count(cat->views.size(), "view", "views").c_str(),
                 count(cat->functions.size(), "function", "functions").c_str(),
                 fmt::format("{}", fmt::join(cat->schemas, ", ")).c_str(), queries, static_cast<long long>(ms),
                 where.c_str());
    for (const auto& s : cat->patterns.summary) std::fprintf(stderr, "  - %s\n", s.c_str());
  }
  return exit_ok;
}

}  // namespace

void add_inspect_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand("inspect",
                                 "read a live database's schema and the patterns it follows into snapshot YAML "
                                 "(read back with --schema FILE)");
  cmd->add_option("--db", o->db,
                  "postgresql://user:password@host:5432/dbname (default: $SUPABASE_DB_URL, then $DATABASE_URL); "
                  "the password is never printed");
  cmd->add_option("-o,--out", o->out, "write the YAML to FILE (default: standard output)");
  cmd->add_option("--schemas", o->schemas,
                  "inspect exactly these schemas (default: every schema but the system's and Supabase's own)")
      ->delimiter(',');
  cmd->add_flag("-q,--quiet", o->quiet, "print nothing but errors");
  out.push_back({cmd, [o] { return run_inspect(*o); }});
}

}  // namespace packdb::cli
