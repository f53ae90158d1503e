// The resolver's output for valid specs: the SQL it gives predicates, defaults and keys.
#include <catch2/catch.hpp>

#include "test_util.hpp"

using packdb::test::check;
using packdb::test::header;

namespace {
const packdb::model::Table& table(const packdb::test::Result& r, const std::string& name) {
  int i = r.model.table_index(name);
  REQUIRE(i >= 0);
  return r.model.tables[i];
}
}  // namespace

TEST_CASE("or, and, not and parentheses keep their meaning in SQL") {
  auto r = check(header + "table t owned by user { a int\n b int\n check (a = 1 or b = 2 and not (a > 3)) }\n");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  REQUIRE(table(r, "t").checks.size() == 1);
  CHECK(table(r, "t").checks[0].sql == "a = 1 or (b = 2 and (not a > 3))");
}

TEST_CASE("a default does not swallow the table-level constraint on the next line") {
  auto r = check(header + "table t owned by user {\n  v int = 1\n  unique (v)\n  w int = 2\n  check positive (w > 0)\n}\n");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  const auto& t = table(r, "t");
  REQUIRE(t.uniques.size() == 1);
  CHECK(t.uniques[0].columns == std::vector<std::string>{"v"});
  REQUIRE(t.checks.size() == 1);
  CHECK(t.checks[0].name == "positive");
  CHECK(t.column("v")->default_sql == "1");
}

TEST_CASE("pack names may contain dashes") {
  auto r = check("pack creator-os version \"1\" { date \"2025-01-01\" }\n");
  CHECK(r.model.pack == "creator-os");
}

TEST_CASE("implicit columns, keys and indexes follow the profile") {
  auto r = check(header + "table minds owned by user { slug text unique per owner }\n"
                          "table prompts in minds { body text }\n");
  REQUIRE(!r.diags.has_errors());
  const auto& minds = table(r, "minds");
  std::vector<std::string> cols;
  for (const auto& c : minds.columns) cols.push_back(c.name);
  CHECK(cols == std::vector<std::string>{"id", "user_id", "slug", "created_at", "updated_at"});
  CHECK(minds.primary_key == std::vector<std::string>{"id"});
  CHECK(minds.uniques.at(0).columns == std::vector<std::string>{"user_id", "slug"});
  const auto& prompts = table(r, "prompts");
  CHECK(prompts.column("mind_id") != nullptr);
  CHECK(prompts.foreign_keys.at(0).on_delete == packdb::model::OnDelete::cascade);
  CHECK(prompts.indexes.at(0).columns.at(0).name == "mind_id");
  CHECK(prompts.policies.at(0).using_sql ==
        "mind_id in (select id from public.minds where user_id = (select auth.uid()))");
}
