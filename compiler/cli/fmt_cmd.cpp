// packdbc fmt SPEC [--check] [--write]: the canonical layout of a spec, comments kept.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "compiler/cli/commands.hpp"
#include "compiler/cli/output.hpp"
#include "compiler/front/load.hpp"
#include "compiler/front/parse.hpp"
#include "compiler/gen/format.hpp"

namespace packdb::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> specs;
  bool check = false;
  bool write = false;
};

int run_fmt(const FmtOptions& o) {
  int rc = exit_ok;
  for (const auto& path : o.specs) {
    // Only the syntax matters here: a spec with semantic errors can still be formatted.
    LoadedSpec l;
    Diagnostics d;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "error: cannot read `%s`\n", path.c_str());
      rc = exit_errors;
      continue;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::uint32_t id = l.sources.add(path, text);
    auto file = parse_file(l.sources, id, d);
    if (!file) {
      std::fputs(render_text(d, l.sources).c_str(), stderr);
      rc = exit_errors;
      continue;
    }
    std::string out = gen::format_spec(*file, l.sources.get(id));
    if (o.check) {
      if (out != text) {
        std::printf("%s: not formatted\n", path.c_str());
        rc = exit_errors;
      }
    } else if (o.write) {
      if (out == text) continue;
      std::filesystem::path p(path);
      WriteResult w = write_outputs(p.parent_path().empty() ? "." : p.parent_path().string(),
                                    {{p.filename().string(), out}});
      if (!w.error.empty()) {
        std::fprintf(stderr, "error: %s\n", w.error.c_str());
        rc = exit_errors;
      } else {
        std::printf("formatted %s\n", path.c_str());
      }
    } else {
      std::fputs(out.c_str(), stdout);
    }
  }
  return rc;
}

}  // namespace

void add_fmt_command(CLI::App& app, Commands& out) {
  auto o = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand("fmt", "print specs in the canonical layout (comments kept)");
  cmd->add_option("SPEC", o->specs, "the .packdb specs")->required();
  auto* check = cmd->add_flag("--check", o->check, "list the specs that are not formatted; exit 1 if any");
  cmd->add_flag("--write", o->write, "rewrite the specs in place (atomically)")->excludes(check);
  out.push_back({cmd, [o] { return run_fmt(*o); }});
}

}  // namespace packdb::cli
