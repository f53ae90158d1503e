// packdbc check SPEC: diagnostics, the validation checklist and the KISS verdict; writes nothing.
#include <cstdio>

#include "compiler/check/checklist.hpp"
#include "compiler/cli/frontend.hpp"

namespace packdb::cli {

int run_check(const CommonOptions& common) {
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

}  // namespace packdb::cli
