#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/packdb.hpp"

TEST_CASE("grammar has no infinite loops or left recursion") {
  CHECK(tao::pegtl::analyze<packdb::grammar::file>() == 0);
  CHECK(tao::pegtl::analyze<packdb::grammar::file_head>() == 0);  // the pieces parse.cpp uses
  CHECK(tao::pegtl::analyze<packdb::grammar::declaration_step>() == 0);
  CHECK(tao::pegtl::analyze<packdb::grammar::file_end>() == 0);
}
