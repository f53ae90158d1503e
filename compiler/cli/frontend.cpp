#include "compiler/cli/frontend.hpp"

#include <unistd.h>

#include <cstdio>

#include "compiler/check/resolve.hpp"

namespace packdb::cli {

void check_spec(const CommonOptions& common, Checked& out) {
  if (load_spec_file(common.spec, out.loaded, out.diags) && out.loaded.spec)
    out.model = check::build_model(*out.loaded.spec, out.loaded.module_ptrs(), out.diags);
  out.ok = !out.diags.has_errors();
}

void print_diagnostics(const CommonOptions& common, const Checked& c) {
  if (common.format == "json") {
    std::fputs(render_json(c.diags, c.loaded.sources).c_str(), stdout);
    return;
  }
  std::fputs(render_text(c.diags, c.loaded.sources, isatty(2)).c_str(), stderr);
  if (c.diags.error_count() || c.diags.warning_count())
    std::fprintf(stderr, "%zu error%s, %zu warning%s\n", c.diags.error_count(), c.diags.error_count() == 1 ? "" : "s",
                 c.diags.warning_count(), c.diags.warning_count() == 1 ? "" : "s");
}

}  // namespace packdb::cli
