#include "compiler/cli/frontend.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "compiler/check/checklist.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/snapshot.hpp"

namespace packdb::cli {

void add_database_options(CLI::App* cmd, CommonOptions& opts) {
  auto* db = cmd->add_option("--db", opts.db,
                             "the current database, read live: postgresql://user:password@host:5432/dbname "
                             "(the password is never printed)");
  if (auto* schema = cmd->get_option_no_throw("--schema")) db->excludes(schema);
}

const char* db_error_code(db::ErrorKind k) { return db::error_code(k); }

void print_db_error(const db::Error& err) {
  std::string out = fmt::format("error[{}]: {}\n", db_error_code(err.kind), err.message);
  if (!err.detail.empty()) out += fmt::format("  {}\n", err.detail);
  if (!err.help.empty()) out += fmt::format("help: {}\n", err.help);
  std::fputs(out.c_str(), stderr);
}

std::optional<model::Catalog> read_database(const std::string& url, const db::InspectOptions& opts, db::Error& err,
                                            int* queries) {
  auto conn = db::Connection::open(url, err);
  if (!conn) return std::nullopt;
  auto cat = db::introspect(*conn, opts, err);
  if (queries) *queries = conn->queries_run();
  if (!cat) return std::nullopt;
  cat->patterns = check::find_patterns(*cat);
  return cat;
}

void check_spec(const CommonOptions& common, Checked& out) {
  if (!common.schema.empty()) {
    out.catalog = read_snapshot(common.schema, out.loaded.sources, out.diags);
    if (!out.catalog) {
      out.ok = false;
      return;
    }
    out.catalog->patterns = check::find_patterns(*out.catalog);
  } else if (!common.db.empty()) {
    db::Error err;
    out.catalog = read_database(common.db, {}, err);
    if (!out.catalog) {
      auto& d = out.diags.error(db_error_code(err.kind), {~0u, 0, 0},
                                err.detail.empty() ? err.message : err.message + ": " + err.detail);
      d.help = err.help;
      out.ok = false;
      return;
    }
  }
  const bool loaded = load_spec_file(common.spec, out.loaded, out.diags, common.max_spec_mib * 1024u * 1024u);
  out.timings.mark("load and parse");
  if (loaded && out.loaded.spec) {
    std::vector<const ast::File*> modules = out.loaded.module_ptrs();
    if (out.catalog) {
      // The database's conventions: after the stdlib's profile, before the spec's own.
      out.conventions = check::conventions_from(*out.catalog);
      const std::string target = check::required_modules(*out.loaded.spec).front().name;
      out.conventions_module = check::conventions_module(*out.conventions, target, out.loaded.sources);
      modules.push_back(&*out.conventions_module);
    }
    out.model = check::build_model(*out.loaded.spec, modules, out.diags, out.catalog ? &*out.catalog : nullptr);
    out.timings.mark("resolve (build_model)");
    if (!out.diags.has_errors()) {
      const model::Catalog* cat = out.catalog ? &*out.catalog : nullptr;
      if (out.conventions) check::check_conventions(*out.loaded.spec, out.model, *out.conventions, out.diags);
      check::assess_risk(out.model, cat);
      check::run_validation(out.model, cat, out.diags);
      check::run_lints(out.model, cat, out.diags);
      out.kiss = check::run_kiss(out.model, cat, out.diags);
      out.kiss_ran = true;
      out.timings.mark("checks, lints, KISS");
    }
  }
  out.ok = !out.diags.has_errors();
}

std::string render_conventions_text(const Checked& c) {
  if (!c.conventions) return "";
  std::string out;
  if (c.conventions->settings.empty())
    return fmt::format("conventions of {}: none shared by most tables; the target's profile applies\n", c.catalog->source);
  out += fmt::format("conventions of {} (generated tables follow them):\n", c.catalog->source);
  for (const auto& s : c.conventions->settings)
    out += fmt::format("  {} \"{}\"  ({})\n", s.setting, s.value, s.because);
  return out;
}

void print_diagnostics(const CommonOptions& common, const Checked& c) {
  if (common.format == "json") return;
  std::fputs(render_text(c.diags, c.loaded.sources, isatty(2)).c_str(), stderr);
  if (c.diags.error_count() || c.diags.warning_count())
    std::fprintf(stderr, "%zu error%s, %zu warning%s\n", c.diags.error_count(), c.diags.error_count() == 1 ? "" : "s",
                 c.diags.warning_count(), c.diags.warning_count() == 1 ? "" : "s");
}

int exit_code(const Checked& c) {
  if (!c.ok) return exit_errors;
  if (c.kiss_ran && !c.kiss.proceed) return exit_kiss_stop;
  return exit_ok;
}

}  // namespace packdb::cli
