// packdbc compile SPEC -o DIR: check, then write every output — or nothing at all.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <regex>

#include "compiler/cli/frontend.hpp"
#include "compiler/cli/output.hpp"
#include "compiler/gen/docs_outputs.hpp"
#include "compiler/gen/pgtap.hpp"
#include "compiler/gen/sql.hpp"
#include "compiler/plan/phases.hpp"

namespace packdb::cli {
namespace {

struct CompileOptions {
  std::string out_dir;
  std::string date;
  bool quiet = false;
};

std::string yyyymmdd(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d", &tm);
  return buf;
}

// The migration versions' date: --date, the spec's `date`, SOURCE_DATE_EPOCH, or today
// (then the user is told, since a recompile tomorrow would give other file names).
std::optional<std::string> version_date(const CompileOptions& opts, const model::Model& m, bool quiet) {
  if (!opts.date.empty()) {
    static const std::regex re("^(\\d{4})-(\\d{2})-(\\d{2})$");
    std::smatch mt;
    if (!std::regex_match(opts.date, mt, re)) {
      std::fprintf(stderr, "error: --date `%s` is not a date; write YYYY-MM-DD\n", opts.date.c_str());
      return std::nullopt;
    }
    return mt[1].str() + mt[2].str() + mt[3].str();
  }
  if (!m.date.empty()) return m.date;
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
    char* end = nullptr;
    long long v = std::strtoll(sde, &end, 10);
    if (*end != '\0' || v < 0) {
      std::fprintf(stderr, "error: SOURCE_DATE_EPOCH `%s` is not a number of seconds\n", sde);
      return std::nullopt;
    }
    return yyyymmdd(static_cast<std::time_t>(v));
  }
  std::string today = yyyymmdd(std::time(nullptr));
  if (!quiet)
    std::fprintf(stderr,
                 "note: no date given; migration versions use today's date (%s). Add `date \"YYYY-MM-DD\"` to the "
                 "pack header, pass --date, or set SOURCE_DATE_EPOCH for reproducible file names.\n",
                 today.c_str());
  return today;
}


int run_compile(const CommonOptions& common, const CompileOptions& opts) {
  Checked c;
  check_spec(common, c);
  print_diagnostics(common, c);
  if (common.format == "json") std::printf("{\"diagnostics\":%s}\n", render_json(c.diags, c.loaded.sources).c_str());
  if (!c.ok) return exit_errors;
  const std::string dir = opts.out_dir.empty() ? "out/" + c.model.pack : opts.out_dir;
  auto print_files = [&](const std::vector<gen::OutputFile>& files, const WriteResult& w) {
    for (const auto& f : files) {
      bool changed = std::find(w.written.begin(), w.written.end(), f.path) != w.written.end();
      std::printf("  %s %s\n", changed ? "wrote    " : "unchanged", f.path.c_str());
    }
  };
  if (!c.kiss.proceed) {
    // The KISS gate said no database is needed: only the report is written, saying why.
    if (common.format != "json") std::fputs(check::render_kiss_text(c.kiss).c_str(), stdout);
    std::vector<gen::OutputFile> files{gen::generate_stop_report(c.model, c.kiss)};
    WriteResult w = write_outputs(dir, files);
    if (!w.error.empty()) {
      std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
      return exit_errors;
    }
    if (!opts.quiet && common.format != "json") {
      std::printf("packdbc: %s → %s (KISS gate: STOP; the report only)\n", c.model.pack.c_str(), dir.c_str());
      print_files(files, w);
    }
    return exit_kiss_stop;
  }
  auto date = version_date(opts, c.model, opts.quiet || common.format == "json");
  if (!date) return exit_usage;

  auto phases = plan::plan_phases(c.model, *date);
  std::vector<gen::OutputFile> files = gen::generate_migrations(c.model, phases);
  files.push_back(gen::generate_pgtap(c.model));
  // The documentation (audit, schema design, plan, guide, ERDs) and the report, which lists
  // every file written.
  std::vector<gen::OutputFile> docs = gen::generate_docs(c.model, c.kiss, phases, files);
  files.insert(files.end(), std::make_move_iterator(docs.begin()), std::make_move_iterator(docs.end()));

  WriteResult w = write_outputs(dir, files);
  if (!w.error.empty()) {
    std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
    return exit_errors;
  }
  if (!opts.quiet && common.format != "json") {
    std::printf("packdbc: %s → %s (%zu tables, %zu phases)\n", c.model.pack.c_str(), dir.c_str(), c.model.tables.size(),
                phases.size());
    print_files(files, w);
  }
  return exit_ok;
}

}  // namespace

void add_compile_command(CLI::App& app, Commands& out) {
  auto common = std::make_shared<CommonOptions>();
  auto opts = std::make_shared<CompileOptions>();
  auto* cmd = app.add_subcommand("compile", "check a spec, then write its migrations, rollbacks, tests and reports");
  add_spec_options(cmd, *common);
  cmd->add_option("-o,--out", opts->out_dir, "output folder (default: out/<pack>)");
  cmd->add_option("--date", opts->date,
                  "date of the migration versions, YYYY-MM-DD (default: the spec's `date`, then SOURCE_DATE_EPOCH, "
                  "then today)");
  cmd->add_flag("-q,--quiet", opts->quiet, "print nothing but diagnostics");
  out.push_back({cmd, [common, opts] { return run_compile(*common, *opts); }});
}

}  // namespace packdb::cli
