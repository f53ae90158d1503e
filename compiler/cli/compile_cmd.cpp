// packdbc compile SPEC -o DIR: check, then write every output — or nothing at all.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/cli/frontend.hpp"
#include "compiler/cli/output.hpp"
#include "compiler/gen/docs_outputs.hpp"
#include "compiler/gen/pgtap.hpp"
#include "compiler/gen/sql.hpp"
#include "compiler/plan/evolve.hpp"
#include "compiler/plan/phases.hpp"
#include "compiler/plan/state.hpp"

namespace packdb::cli {
namespace {

struct CompileOptions {
  std::string out_dir;
  std::string date;
  bool quiet = false;
  std::string depfile;         // --depfile FILE
  std::string depfile_target;  // --depfile-target NAME (default: the files compile writes)
  bool check = false;          // --check: write nothing, compare
  bool timings = false;        // --timings: each pass's wall time on stderr
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

namespace fs = std::filesystem;

// A path in a depfile, as given (like `gcc -MD`: the names the build system uses), with make's
// special characters escaped.
std::string depfile_path(const std::string& p) {
  std::string out;
  for (char ch : p) {
    if (ch == ' ' || ch == '#') out += '\\';
    if (ch == '$') out += '$';
    out += ch;
  }
  return out;
}

// The file that holds the embedded stdlib: this executable.
std::string self_executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

// `TARGET…: DEP DEP …` in make syntax, one dependency per continued line. The dependencies:
// the spec, every file it imports, and — for the stdlib modules, which live inside the
// binary — the packdbc executable. Written atomically (a temporary file renamed into place).
bool write_depfile(const CompileOptions& opts, const Checked& c, const std::string& dir,
                   const std::vector<std::string>& files) {
  std::vector<std::string> targets;
  if (!opts.depfile_target.empty()) targets.push_back(depfile_path(opts.depfile_target));
  else
    for (const auto& f : files) targets.push_back(depfile_path((fs::path(dir) / f).string()));
  std::vector<std::string> deps;
  bool stdlib = false;
  for (const auto& f : c.loaded.files_read) {
    if (f.rfind("<stdlib>/", 0) == 0) stdlib = true;
    else deps.push_back(depfile_path(f));
  }
  if (stdlib)
    if (std::string exe = self_executable(); !exe.empty()) deps.push_back(depfile_path(exe));
  std::string text;
  for (std::size_t i = 0; i < targets.size(); ++i) text += (i ? " " : "") + targets[i];
  text += ":";
  for (const auto& d : deps) text += " \\\n  " + d;
  text += "\n";
  fs::path tmp = fs::path(opts.depfile);
  tmp += ".packdbc-tmp";
  std::error_code ec;
  if (fs::path parent = fs::path(opts.depfile).parent_path(); !parent.empty()) fs::create_directories(parent, ec);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::fprintf(stderr, "error: cannot write the depfile `%s`\n", opts.depfile.c_str());
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, opts.depfile, ec);
  if (ec) {
    std::fprintf(stderr, "error: cannot move the depfile into place at `%s`: %s\n", opts.depfile.c_str(),
                 ec.message().c_str());
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

// What `--check` finds: generated files whose bytes on disk differ, generated files that are
// missing, and stale files — files in the folders compile writes to that look like this pack's
// output but would no longer be generated (a migration of a phase that is gone, an old date).
struct CheckResult {
  std::vector<std::string> differ, missing, extra;
  bool ok() const { return differ.empty() && missing.empty() && extra.empty(); }
};

bool same_bytes(const fs::path& p, const std::string& content) {
  std::error_code ec;
  if (fs::file_size(p, ec) != content.size() || ec) return false;
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str() == content;
}

// A file in a folder compile writes to is this pack's output if its folder is the pack's own
// (docs/<pack>/, expansion-packs/<pack>/) or its name carries the pack (`<version>_<pack>_…`,
// `<pack>_rls.test.sql`): other packs' migrations in a shared supabase/ folder are not stale.
bool looks_generated(const fs::path& rel, const std::string& pack) {
  std::string slug;
  for (char ch : pack) slug += ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') ? ch : '_';
  for (const auto& part : rel.parent_path())
    if (part == pack) return true;
  // <version>_<pack>_<phase>[_partN].sql (a phase too large for one transaction is cut into parts)
  static const std::regex versioned(
      "^[0-9]{14}_(.*)_(foundation|extensions|functions|types|evolve|validate|index_[0-9]+|drop_index_[0-9]+)(_part["
      "0-9]+)?\\.(sql|down\\.sql)$");
  std::smatch m;
  std::string name = rel.filename().string();
  if (std::regex_match(name, m, versioned)) return m[1].str() == slug;
  return name == slug + "_rls.test.sql" || name == slug + ".state.yaml" || name.ends_with(".packdbc-tmp");
}

CheckResult check_outputs(const std::string& dir, const std::vector<gen::OutputFile>& files, const std::string& pack) {
  CheckResult r;
  std::set<std::string> generated, folders;
  for (const auto& f : files) {
    generated.insert(fs::path(f.path).lexically_normal().generic_string());
    folders.insert(fs::path(f.path).parent_path().generic_string());
    fs::path p = fs::path(dir) / f.path;
    std::error_code ec;
    if (!fs::exists(p, ec)) r.missing.push_back(f.path);
    else if (!same_bytes(p, f.content)) r.differ.push_back(f.path);
  }
  // The folders of the output layout (docs/cli.md), also when this compile writes nothing
  // there: after a KISS STOP, the migrations of an earlier PROCEED are stale too.
  for (const char* f : {"supabase/migrations", "supabase/rollback", "supabase/tests", "supabase/state"}) folders.insert(f);
  folders.insert("docs/" + pack);
  folders.insert("expansion-packs/" + pack);
  for (const auto& folder : folders) {
    std::error_code ec;
    fs::directory_iterator it(fs::path(dir) / folder, ec), end;
    std::vector<std::string> found;
    for (; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      fs::path rel = (fs::path(folder) / it->path().filename()).lexically_normal();
      if (!generated.count(rel.generic_string()) && looks_generated(rel, pack)) found.push_back(rel.generic_string());
    }
    std::sort(found.begin(), found.end());
    r.extra.insert(r.extra.end(), found.begin(), found.end());
  }
  return r;
}

// Prints what --check found; returns the exit code (1 when anything is stale, else `ok_code`).
int report_check(const CommonOptions& common, const std::string& dir, const CheckResult& r, int ok_code) {
  if (common.format == "json") {
    auto list = [](const std::vector<std::string>& v) {
      std::string s = "[";
      for (std::size_t i = 0; i < v.size(); ++i) s += std::string(i ? "," : "") + "\"" + json_escape(v[i]) + "\"";
      return s + "]";
    };
    std::printf("\"check\":{\"up_to_date\":%s,\"differ\":%s,\"missing\":%s,\"stale\":%s}}\n", r.ok() ? "true" : "false",
                list(r.differ).c_str(), list(r.missing).c_str(), list(r.extra).c_str());
  } else {
    for (const auto& f : r.differ) std::printf("differs  %s\n", (fs::path(dir) / f).string().c_str());
    for (const auto& f : r.missing) std::printf("missing  %s\n", (fs::path(dir) / f).string().c_str());
    for (const auto& f : r.extra) std::printf("stale    %s\n", (fs::path(dir) / f).string().c_str());
    if (!r.ok())
      std::fprintf(stderr, "packdbc: %s is out of date (%zu differ, %zu missing, %zu stale); run `packdbc compile` to update it\n",
                   dir.c_str(), r.differ.size(), r.missing.size(), r.extra.size());
  }
  return r.ok() ? ok_code : exit_errors;
}

std::optional<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What compile writes for a folder that may hold an earlier compile. The migrations come in
// generations, one per pack version (the header's `version`): the last generation is compiled
// again as long as the version stays the same; once it changes, the earlier generations are
// kept byte for byte (they may have shipped) and only the difference to them is generated.
struct Evolving {
  bool first = true;                        // the first generation: the phases of the whole spec
  std::vector<plan::Generation> kept;       // generations kept as they are
  std::vector<gen::OutputFile> shipped;     // their migrations and down scripts, as on disk
  std::vector<std::string> replaced;        // files of the generation compiled again
  std::optional<plan::Schema> base;         // what the kept generations produce
  std::string base_version;                 // their last migration version
  plan::Evolution evolution;
};

// Reads DIR's state file, if there is one, and plans the difference. Problems are diagnostics
// (E0908 for the state file and the files it lists, E0901–E0905 for destructive changes).
Evolving plan_evolution(const std::string& dir, const std::string& date, Checked& c) {
  Evolving e;
  const fs::path state_file = fs::path(dir) / plan::state_path(c.model);
  std::error_code ec;
  if (!fs::exists(state_file, ec)) return e;
  auto fail = [&](const std::string& msg) {
    c.diags.error("E0908", c.model.pack_span, msg).help =
        "restore the folder from version control; delete the state file only if none of its migrations was ever applied";
    c.ok = false;
    return Evolving{};
  };
  auto text = read_text(state_file);
  if (!text) return fail(fmt::format("cannot read the state file `{}`", state_file.string()));
  std::string why;
  auto old = plan::read_state(*text, why);
  if (!old) return fail(fmt::format("the state file `{}` is not valid: {}", state_file.string(), why));
  if (old->pack != c.model.pack)
    return fail(fmt::format("the state file `{}` belongs to pack `{}`, not `{}`", state_file.string(), old->pack, c.model.pack));
  const bool same_version = old->generations.back().pack_version == c.model.version;
  e.kept = old->generations;
  if (same_version) {
    for (const auto& f : e.kept.back().migrations) {
      e.replaced.push_back("supabase/migrations/" + f);
      e.replaced.push_back("supabase/rollback/" + f.substr(0, f.size() - 4) + ".down.sql");
    }
    e.kept.pop_back();
    if (!e.kept.empty()) {
      if (!old->base) return fail(fmt::format("the state file `{}` has no `base`", state_file.string()));
      e.base = std::move(old->base);
      e.base_version = old->base_version;
    }
  } else {
    e.base = std::move(old->schema);
    e.base_version = old->version;
  }
  e.first = e.kept.empty();
  for (const auto& g : e.kept)
    for (const auto& name : g.migrations) {
      std::string stem = name.substr(0, name.size() - 4);  // without .sql
      for (const std::string& rel : {"supabase/migrations/" + name, "supabase/rollback/" + stem + ".down.sql"}) {
        auto content = read_text(fs::path(dir) / rel);
        if (!content) return fail(fmt::format("`{}` is listed in the state file but missing from `{}`", rel, dir));
        e.shipped.push_back({rel, std::move(*content)});
      }
    }
  if (!e.first) {
    e.evolution = plan::evolve(*e.base, e.base_version, c.model, date, c.diags);
    if (c.diags.has_errors()) c.ok = false;
  }
  return e;
}

int run_compile(const CommonOptions& common, const CompileOptions& opts) {
  Checked c;
  if (opts.timings) c.timings.enable();
  check_spec(common, c);
  const std::string dir = opts.out_dir.empty() ? "out/" + c.model.pack : opts.out_dir;
  std::optional<std::string> date;
  Evolving evolving;
  if (c.ok && c.kiss.proceed) {
    date = version_date(opts, c.model, opts.quiet || common.format == "json");
    if (date) evolving = plan_evolution(dir, *date, c);
  }
  print_diagnostics(common, c);
  if (common.format == "json") {
    // With --check the object gets a second member, "check", printed once it is known.
    std::printf("{\"diagnostics\":%s%s", render_json(c.diags, c.loaded.sources).c_str(),
                opts.check && c.ok ? "," : "}\n");
  }
  if (!c.ok) return exit_errors;
  // Generation reads the checked model only: the spec's syntax tree (as large as the model) goes.
  c.loaded.spec.reset();
  auto print_files = [&](const std::vector<std::string>& files, const WriteResult& w) {
    for (const auto& f : files) {
      bool changed = std::find(w.written.begin(), w.written.end(), f) != w.written.end();
      std::printf("  %s %s\n", changed ? "wrote    " : "unchanged", f.c_str());
    }
  };
  if (!c.kiss.proceed) {
    // The KISS gate said no database is needed: only the report is written, saying why.
    if (common.format != "json") std::fputs(check::render_kiss_text(c.kiss).c_str(), stdout);
    std::vector<gen::OutputFile> files{gen::generate_stop_report(c.model, c.kiss)};
    const std::vector<std::string> paths{files.front().path};
    if (opts.check) return report_check(common, dir, check_outputs(dir, files, c.model.pack), exit_kiss_stop);
    WriteResult w = write_outputs(dir, files);
    if (!w.error.empty()) {
      std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
      return exit_errors;
    }
    if (!opts.quiet && common.format != "json") {
      std::printf("packdbc: %s → %s (KISS gate: STOP; the report only)\n", c.model.pack.c_str(), dir.c_str());
      print_files(paths, w);
    }
    if (!opts.depfile.empty() && !write_depfile(opts, c, dir, paths)) return exit_errors;
    return exit_kiss_stop;
  }
  if (!date) {
    if (common.format == "json" && opts.check) std::printf("\"check\":null}\n");
    return exit_usage;
  }

  // The generators only read the model, so they can run on threads; its table lookup is
  // filled first, since a first call writes it. (The pgTAP file made on a third thread during
  // planning saved no time on two cores and held 10 MB more at N = 5,000: docs/performance.md.)
  (void)c.model.table_index("");

  // The state the migrations will produce, and the migrations: the phases of the whole spec
  // for the first generation, else the kept generations and the difference to them.
  plan::State state;
  state.pack = c.model.pack;
  state.target = c.model.profile.name;
  // state.schema stays empty: write_state reads it from the model, table by table.
  state.generations = evolving.kept;
  state.base = evolving.base;
  state.base_version = evolving.base_version;
  state.version = evolving.base_version;
  // The outputs go where they belong as soon as each is made: staged in DIR (moved into place
  // when all are), or with --check kept to be compared with DIR. `paths` lists them in order.
  Staging staging(dir);
  std::mutex kept_mutex;
  std::vector<gen::OutputFile> kept;
  auto emit = [&](gen::OutputFile f) {
    if (!opts.check) return staging.stage(f.path, f.content);
    std::lock_guard lock(kept_mutex);
    kept.push_back(std::move(f));
  };
  // The documentation (audit, schema design, ERDs, then the plan and the guide) and the report,
  // which lists every file written, on another thread: it starts on what needs only the model
  // while this thread plans the phases, then waits for them, while this one writes the
  // migrations, the state and the pgTAP tests.
  std::vector<plan::Phase> phases;
  std::promise<gen::Planned> planned;
  double docs_done_ms = 0;  // for --timings: when the other thread was done
  auto docs = std::async(std::launch::async, [&, phases_planned = planned.get_future()]() mutable {
    gen::generate_docs(c.model, c.kiss, [&] { return phases_planned.get(); }, emit);
    docs_done_ms = c.timings.elapsed_ms();
  });
  std::vector<std::string> paths;
  try {
    phases = evolving.first ? plan::plan_phases(c.model, *date) : std::move(evolving.evolution.migrations);
    c.timings.mark("plan phases");
    for (auto& f : evolving.shipped) paths.push_back(f.path), emit(std::move(f));
    for (auto& f : gen::generate_migrations(c.model, phases)) paths.push_back(f.path), emit(std::move(f));
    c.timings.mark("SQL migrations");
    paths.push_back(gen::pgtap_path(c.model));
    planned.set_value({&phases, paths});
  } catch (...) {
    planned.set_exception(std::current_exception());  // the other thread stops instead of waiting
    throw;
  }
  plan::Generation generation{c.model.version, {}};
  for (const auto& p : phases) {
    state.version = p.version;
    generation.migrations.push_back(gen::migration_stem(c.model, p) + ".sql");
  }
  state.generations.push_back(std::move(generation));
  // The largest output: written to its staging file as it is made, unless it is to be compared.
  if (opts.check) emit({plan::state_path(c.model), plan::write_state(state, &c.model)});
  else staging.stage_pieces(plan::state_path(c.model), [&](const Staging::Piece& piece) {
    plan::write_state(state, &c.model, piece);
  });
  c.timings.mark("state file");
  if (opts.check) emit(gen::generate_pgtap(c.model));
  else staging.stage_headed(gen::pgtap_path(c.model), [&](const Staging::Piece& piece) {
    return gen::generate_pgtap(c.model, piece);
  });
  c.timings.mark("pgTAP");
  docs.get();
  for (auto& p : gen::docs_paths(c.model)) paths.push_back(std::move(p));
  paths.push_back(plan::state_path(c.model));
  c.timings.mark("documentation (waited for)");
  c.timings.note("the documentation thread was done", docs_done_ms);

  if (opts.check) {
    // In the order of `paths`, whichever thread made them first.
    std::vector<gen::OutputFile> files;
    for (const auto& p : paths)
      for (auto& f : kept)
        if (f.path == p) files.push_back(std::move(f));
    return report_check(common, dir, check_outputs(dir, files, c.model.pack), exit_ok);
  }
  WriteResult w = staging.commit();
  c.timings.mark("moving the files in place");
  c.timings.print();
  if (!w.error.empty()) {
    std::fprintf(stderr, "error: %s; nothing was written\n", w.error.c_str());
    return exit_errors;
  }
  // Migrations of the generation compiled again that are no longer generated (a change
  // reverted before its version shipped): removed, so `migrate` cannot apply them.
  std::vector<std::string> removed;
  for (const auto& r : evolving.replaced)
    if (std::find(paths.begin(), paths.end(), r) == paths.end()) {
      std::error_code ec;
      if (fs::remove(fs::path(dir) / r, ec)) removed.push_back(r);
    }
  if (!opts.quiet && common.format != "json") {
    if (!evolving.first) {
      const auto& changes = evolving.evolution.changes;
      std::printf("packdbc: %s → %s (%zu tables; %s)\n", c.model.pack.c_str(), dir.c_str(), c.model.tables.size(),
                  phases.empty() ? fmt::format("version {}: the spec matches the migrations of version {}",
                                               c.model.version, evolving.kept.back().pack_version).c_str()
                                 : fmt::format("{} change{} in {} new migration{}", changes.size(),
                                               changes.size() == 1 ? "" : "s", phases.size(),
                                               phases.size() == 1 ? "" : "s").c_str());
      for (const auto& ch : changes) std::printf("  change   %s\n", ch.c_str());
      for (const auto& p : phases)
        if (!p.hazards.empty())
          std::printf("  hazards  %s: %s\n", gen::migration_stem(c.model, p).c_str(),
                      fmt::format("{}", fmt::join(p.hazards, ", ")).c_str());
    } else {
      std::printf("packdbc: %s → %s (%zu tables, %zu phases)\n", c.model.pack.c_str(), dir.c_str(),
                  c.model.tables.size(), phases.size());
    }
    print_files(paths, w);
    for (const auto& r : removed) std::printf("  removed   %s\n", r.c_str());
  }
  if (!opts.depfile.empty() && !write_depfile(opts, c, dir, paths)) return exit_errors;
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
  auto* depfile = cmd->add_option("--depfile", opts->depfile,
                                  "also write FILE, a make-style depfile: the files written depend on the spec, its "
                                  "imports and packdbc (which holds the stdlib)");
  cmd->add_option("--depfile-target", opts->depfile_target,
                  "the one target of the depfile, e.g. a stamp file (default: every file compile writes)")
      ->needs(depfile);
  auto* check = cmd->add_flag("--check", opts->check,
                              "write nothing; list the files that differ from what would be generated, are missing, "
                              "or are stale, and exit 1 if there are any");
  check->excludes(depfile);
  cmd->add_flag("--timings", opts->timings, "print each pass's wall time and the peak memory on stderr");
  out.push_back({cmd, [common, opts] { return run_compile(*common, *opts); }});
}

}  // namespace packdb::cli
