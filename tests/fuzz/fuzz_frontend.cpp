// libFuzzer target over the whole front end, in memory: parse (and format) a spec, check it
// (resolver, checklist, lints, KISS gate), render its diagnostics, and when it is clean plan
// and generate every output. Any crash, leak, timeout or sanitizer report is a bug.
// Built only with -DPACKDB_FUZZ=ON and clang (tests/fuzz/run.sh).
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/check/checklist.hpp"
#include "compiler/check/conventions.hpp"
#include "compiler/check/kiss.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"
#include "compiler/gen/docs_outputs.hpp"
#include "compiler/gen/format.hpp"
#include "compiler/gen/pgtap.hpp"
#include "compiler/gen/sql.hpp"
#include "compiler/plan/phases.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace packdb;
  LoadedSpec loaded;
  Diagnostics diags;
  std::string text(reinterpret_cast<const char*>(data), size);
  if (load_spec_text("fuzz.packdb", text, loaded, diags) && loaded.spec) {
    (void)gen::format_spec(*loaded.spec, loaded.sources.get(loaded.spec->file_id));
    model::Model m = check::build_model(*loaded.spec, loaded.module_ptrs(), diags);
    if (!diags.has_errors()) {
      check::assess_risk(m, nullptr);
      check::run_validation(m, nullptr, diags);
      check::run_lints(m, nullptr, diags);
      check::KissVerdict v = check::run_kiss(m, nullptr, diags);
      if (!diags.has_errors()) {
        if (!v.proceed) {
          (void)gen::generate_stop_report(m, v);
        } else {
          auto phases = plan::plan_phases(m, "20250101");
          auto files = gen::generate_migrations(m, phases);
          files.push_back(gen::generate_pgtap(m));
          (void)gen::generate_docs(m, v, phases, files);
        }
      }
    }
  }
  (void)render_text(diags, loaded.sources);
  (void)render_json(diags, loaded.sources);
  return 0;
}
