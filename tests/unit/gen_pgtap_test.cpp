// The pgTAP generator, on the hand-built models of gen_sql_test.cpp.
#include <catch2/catch.hpp>

#include <regex>

#include "compiler/gen/pgtap.hpp"

using namespace packdb;

namespace gen_test {
model::Model mmos_model(bool vector);
model::Model extend_model();
}  // namespace gen_test
