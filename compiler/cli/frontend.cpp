#include "compiler/cli/frontend.hpp"

#include <unistd.h>

#include <cstdio>

#include "compiler/check/checklist.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/snapshot.hpp"

namespace packdb::cli {

void check_spec(const CommonOptions& common, Checked& out) {
  if (!common.schema.empty()) {
    out.catalog = read_snapshot(common.schema, out.loaded.sources, out.diags);
    if (!out.catalog) {
      out.ok = false;
      return;
    }
  }
  if (load_spec_file(common.spec, out.loaded, out.diags) && out.loaded.spec) {
    out.model = check::build_model(*out.loaded.spec, out.loaded.module_ptrs(), out.diags);
    if (!out.diags.has_errors()) {
      const model::Catalog* cat = out.catalog ? &*out.catalog : nullptr;
      check::run_validation(out.model, cat, out.diags);
      check::run_lints(out.model, cat, out.diags);
      out.kiss = check::run_kiss(out.model, cat, out.diags);
      out.kiss_ran = true;
    }
  }
  out.ok = !out.diags.has_errors();
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
