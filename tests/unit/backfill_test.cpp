// packdbc backfill's first half (compiler/backfill/rows.cpp): locations as patterns, and the
// sample pack read into rows with no database.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "compiler/backfill/rows.hpp"
#include "test_util.hpp"

using namespace packdb;

namespace {
std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("a location becomes a pattern with one capture per path variable") {
  std::vector<std::string> vars;
  CHECK(backfill::location_regex("outputs/minds/{slug}/system_prompts/{prompt_type}_v{version}.md", vars) ==
        "outputs/minds/([^/]+?)/system_prompts/([^/]+?)_v([^/]+?)\\.md");
  CHECK(vars == std::vector<std::string>{"slug", "prompt_type", "version"});
  vars.clear();
  CHECK(backfill::location_regex("kb/*.json", vars) == "kb/[^/]*\\.json");
  CHECK(backfill::location_regex("notes/", vars) == "notes/[^/]+");
  CHECK(vars.empty());
}

TEST_CASE("the sample mmos pack reads into rows") {
  auto src = std::filesystem::path(PACKDB_SOURCE_DIR) / "examples/mmos";
  auto r = test::check(read(src / "mmos.packdb"));
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  auto plan = backfill::plan(r.model, (src / "pack").string(), {});
  std::map<std::string, std::size_t> rows;
  std::size_t lacking = 0;
  for (const auto& f : plan.files) {
    INFO(f.file);
    CHECK(!f.rejection);
    rows[r.model.tables[f.table].name] += f.rows.size();
    for (const auto& row : f.rows) lacking += row.lacking.size();
  }
  CHECK(rows == std::map<std::string, std::size_t>{{"minds", 3}, {"mind_system_prompts", 8}, {"mind_knowledge_chunks", 7}});
  CHECK(lacking == 1);
  CHECK(plan.unmapped == std::vector<std::string>{"mind_config"});
  // Parents first: every minds file precedes every child file.
  CHECK(r.model.tables[plan.files.front().table].name == "minds");
  const auto& prompt = *std::find_if(plan.files.begin(), plan.files.end(), [](const backfill::FileRows& f) {
    return f.file == "outputs/minds/ada-lovelace/system_prompts/core_identity_v2.md";
  });
  REQUIRE(prompt.rows.size() == 1);
  const auto& row = prompt.rows[0];
  CHECK(row.parent_column == "slug");
  CHECK(row.parent_value == "ada-lovelace");
  CHECK(row.key_column == "mind_id");
  std::map<std::string, std::string> v;
  for (const auto& x : row.values) v[x.column] = x.text;
  CHECK(v["prompt_type"] == "core_identity");
  CHECK(v["version"] == "2");
  CHECK(v["metadata"] == R"({"file":"outputs/minds/ada-lovelace/system_prompts/core_identity_v2.md","line":1})");
}

TEST_CASE("a file that cannot become its rows is rejected with its line") {
  auto dir = std::filesystem::temp_directory_path() / "packdb_backfill_unit";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "kb");
  std::ofstream(dir / "kb/a.json") << "{\n  \"chunks\": [\n    {\"text\": \"x\", \"embedding\": [1, 2]},\n    {\"n\": 1}\n  ]\n}\n";
  std::ofstream(dir / "kb/b.json") << "{\n  \"chunks\": [\n    {\"text\": \"x\", \"embedding\": [1, 2, 3]}\n  ]\n";
  std::ofstream(dir / "kb/c.json") << "{\"chunks\": [{\"text\": \"ok\", \"n\": \"seven\"}]}\n";
  auto r = test::check(test::header + R"(
table docs {
  access service only
  body      text
  n         int?
  embedding vector(3)?
}
output chunks json at "kb/*.json" into docs {
  map each "chunks" {
    body      <- field "text"
    n         <- field "n"
    embedding <- field "embedding"
  }
}
)");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  auto plan = backfill::plan(r.model, dir.string(), {});
  REQUIRE(plan.files.size() == 3);
  REQUIRE(plan.files[0].rejection);
  CHECK(plan.files[0].rejection->line == 3);
  CHECK(plan.files[0].rejection->reason == "field `embedding` has 2 numbers; vector(3) needs 3");
  REQUIRE(plan.files[1].rejection);
  CHECK(plan.files[1].rejection->reason.rfind("not valid json: ", 0) == 0);
  REQUIRE(plan.files[2].rejection);
  CHECK(plan.files[2].rejection->reason == "field `n`: `seven` is not an integer");
  std::filesystem::remove_all(dir);
}

TEST_CASE("many files: progress now and then; aliases cannot blow a document up") {
  auto dir = std::filesystem::temp_directory_path() / "packdb_backfill_unit_many";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "notes");
  for (int i = 0; i < 150; ++i) std::ofstream(dir / "notes" / (std::to_string(i) + ".yaml")) << "title: t" << i << "\n";
  // 12 levels of 10 aliases each: 10^12 copies of "x" if expanded blindly.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 12; ++i)
    bomb += fmt::format("a{0}: &a{0} [*a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}]\n", i, i - 1);
  std::ofstream(dir / "notes/bomb.yaml") << bomb;
  auto r = test::check(test::header + R"(
table notes {
  access service only
  title text?
  doc   jsonb
}
output notes yaml at "notes/*.yaml" into notes {
  map {
    title <- field "title"
    doc   <- document
  }
}
)");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  std::vector<std::string> progress;
  auto plan = backfill::plan(r.model, dir.string(), [&](const std::string& s) { progress.push_back(s); });
  REQUIRE(plan.files.size() == 151);
  CHECK(std::find(progress.begin(), progress.end(), "100/151 files read") != progress.end());
  CHECK(progress.back() == "151/151 files read");
  const auto& b = *std::find_if(plan.files.begin(), plan.files.end(),
                                [](const backfill::FileRows& f) { return f.file == "notes/bomb.yaml"; });
  REQUIRE(b.rejection);
  CHECK(b.rejection->reason == "the document expands (through its aliases) past 67108864 bytes");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a field's declared type holds each file to it, even where the column would take more") {
  auto dir = std::filesystem::temp_directory_path() / "packdb_backfill_unit_typed";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "notes");
  std::ofstream(dir / "notes/a.yaml") << "title: first\nrank: 3\nlabels: [a, b]\n";
  std::ofstream(dir / "notes/b.yaml") << "title: second\nrank: high\nlabels: [a]\n";
  std::ofstream(dir / "notes/c.yaml") << "title: third\nrank: 1\nlabels: one\n";
  auto r = test::check(test::header + R"(
table notes {
  access service only
  title  text
  rank   text
  labels jsonb
}
output notes yaml at "notes/*.yaml" into notes {
  map {
    title  <- field "title"
    rank   <- field "rank" as int
    labels <- field "labels" as text[]
  }
}
)");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  auto plan = backfill::plan(r.model, dir.string(), {});
  REQUIRE(plan.files.size() == 3);
  CHECK(!plan.files[0].rejection);
  REQUIRE(plan.files[0].rows.size() == 1);
  REQUIRE(plan.files[1].rejection);
  CHECK(plan.files[1].rejection->line == 2);
  CHECK(plan.files[1].rejection->reason == "field `rank`: `high` is not an integer");
  REQUIRE(plan.files[2].rejection);
  CHECK(plan.files[2].rejection->line == 3);
  CHECK(plan.files[2].rejection->reason == "field `labels` is not a list, and the spec declares it text[]");
  std::filesystem::remove_all(dir);
}
