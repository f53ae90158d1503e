#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"

TEST_CASE("mmos example checks clean") {
  std::ifstream in(std::string(PACKDB_SOURCE_DIR) + "/examples/mmos/mmos.packdb");
  std::stringstream ss;
  ss << in.rdbuf();
  packdb::LoadedSpec l;
  packdb::Diagnostics d;
  bool ok = packdb::load_spec_text("mmos.packdb", ss.str(), l, d);
  INFO(packdb::render_text(d, l.sources));
  REQUIRE(ok);
  auto m = packdb::check::build_model(*l.spec, l.module_ptrs(), d);
  INFO(packdb::render_text(d, l.sources));
  CHECK(d.error_count() == 0);
  CHECK(d.warning_count() == 0);
  CHECK(m.tables.size() == 3);
}
