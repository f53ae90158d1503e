// packdbc check SPEC: diagnostics only; nothing is written.
#include "compiler/cli/frontend.hpp"

namespace packdb::cli {

int run_check(const CommonOptions& common) {
  Checked c;
  check_spec(common, c);
  print_diagnostics(common, c);
  return c.ok ? exit_ok : exit_errors;
}

}  // namespace packdb::cli
