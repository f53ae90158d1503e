// Diagnostics::append, which merges what a pass run on two threads reported, and the pass that
// uses it: the policies of a large spec (compiler/check/access.cpp) are made in two halves.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"

using packdb::Diagnostics;
using packdb::Span;

TEST_CASE("append: what the later diagnostics hold comes after, counted") {
  Diagnostics first, later;
  first.error("E1", Span{0, 1, 2}, "one");
  later.warning("W2", Span{0, 3, 4}, "two");
  later.error("E3", Span{0, 5, 6}, "three");
  first.append(std::move(later));
  REQUIRE(first.all().size() == 3);
  CHECK(first.all()[0].code == "E1");
  CHECK(first.all()[1].code == "W2");
  CHECK(first.all()[2].code == "E3");
  CHECK(first.error_count() == 2);
  CHECK(first.warning_count() == 1);
  CHECK_FALSE(first.truncated());
  CHECK(later.all().empty());
}

TEST_CASE("append: the limit holds as if everything had been reported in one place") {
  Diagnostics first, later;
  for (int i = 0; i < 60; ++i) first.error("E1", Span{0, 0, 1}, "first");
  for (int i = 0; i < 130; ++i) later.error("E2", Span{0, 0, 1}, "later");  // past its own limit
  first.append(std::move(later));
  CHECK(first.error_count() == 190);
  CHECK(first.all().size() == Diagnostics::max_errors);
  CHECK(first.all().back().code == "E2");
  CHECK(first.truncated());
}

TEST_CASE("policies of a large spec, made in two halves, report both halves' errors in table order") {
  std::string spec = "pack many version \"1.0.0\" {\n  target supabase\n  date \"2025-01-01\"\n}\n";
  for (int i = 0; i < 1200; ++i) {
    spec += "table t" + std::to_string(i) + " \"table\" owned by user {\n  title text\n";
    if (i == 10 || i == 1100) spec += "  policy t" + std::to_string(i) + "_bad for insert using \"true\"\n";
    spec += "}\n";
  }
  packdb::LoadedSpec l;
  Diagnostics d;
  REQUIRE(packdb::load_spec_text("many.packdb", spec, l, d));
  auto m = packdb::check::build_model(*l.spec, l.module_ptrs(), d);
  REQUIRE(m.tables.size() == 1200);
  REQUIRE(d.error_count() == 2);
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].code == "E0506");
  CHECK(d.all()[1].code == "E0506");
  CHECK(spec.substr(d.all()[0].span.begin, 6) == "\"true\"");
  CHECK(d.all()[0].span.begin < d.all()[1].span.begin);  // table t10's before t1100's
  // Every table got its generated policies, in both halves.
  CHECK(m.tables[0].policies.size() == m.tables[1199].policies.size());
  CHECK(m.tables[1199].policies.size() >= 4);
}
