// Helpers for string-level tests: compile a spec held in memory and render its diagnostics.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"

namespace packdb::test {

struct Result {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  std::string text() const { return render_text(diags, loaded.sources); }
};

// Parses and checks `src` as "spec.packdb" (with the stdlib), like `packdbc check`.
inline Result check(const std::string& src) {
  Result r;
  if (load_spec_text("spec.packdb", src, r.loaded, r.diags) && r.loaded.spec)
    r.model = check::build_model(*r.loaded.spec, r.loaded.module_ptrs(), r.diags);
  return r;
}

// The bytes of a file ("" if it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A minimal valid header, so tests can focus on one construct.
inline const std::string header = "pack t version \"1.0.0\" { target supabase date \"2025-01-01\" }\n";

}  // namespace packdb::test
