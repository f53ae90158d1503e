// Golden diagnostics: every tests/errors/*.packdb is checked and its rendered diagnostics
// compared with the .stderr file beside it (exact text, caret lines included).
// Regenerate with PACKDB_REGEN=1, then review the change with `git diff`.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

namespace fs = std::filesystem;

static std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("golden diagnostics for tests/errors") {
  fs::path dir = fs::path(PACKDB_SOURCE_DIR) / "tests" / "errors";
  bool regen = std::getenv("PACKDB_REGEN") != nullptr;
  int n = 0;
  std::vector<fs::path> specs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".packdb") specs.push_back(e.path());
  std::sort(specs.begin(), specs.end());
  for (const auto& p : specs) {
    ++n;
    packdb::test::Result r;
    std::string name = p.filename().string();
    if (packdb::load_spec_text(name, slurp(p), r.loaded, r.diags) && r.loaded.spec)
      r.model = packdb::check::build_model(*r.loaded.spec, r.loaded.module_ptrs(), r.diags);
    std::string got = r.text();
    fs::path expected = p;
    expected.replace_extension(".stderr");
    if (regen) std::ofstream(expected, std::ios::binary) << got;
    INFO(name);
    CHECK(got == slurp(expected));
    bool is_error = name.find("-error.packdb") != std::string::npos;
    CHECK(r.diags.has_errors() == is_error);
    if (!is_error) CHECK(r.diags.warning_count() > 0);
  }
  CHECK(n >= 25);
}
