#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/packdb.hpp"

TEST_CASE("grammar has no infinite loops or left recursion") {
  CHECK(tao::pegtl::analyze<packdb::grammar::file>() == 0);
}
