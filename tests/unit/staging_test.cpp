// Staging outputs (compiler/cli/output.cpp): a file handed over in pieces is written, or left
// untouched (its mtime kept) when the pieces are exactly its bytes — not when they are a
// prefix of it, or it is a prefix of them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "compiler/cli/output.hpp"
#include "test_util.hpp"

using namespace packdb;
namespace fs = std::filesystem;

namespace {
std::string read(const fs::path& p) { return test::read_file(p); }

// Commits the one file staged in `s`; returns whether it was rewritten.
bool commit_one(cli::Staging& s) {
  auto w = s.commit();
  REQUIRE(w.error.empty());
  REQUIRE(w.written.size() + w.unchanged.size() == 1);
  return !w.written.empty();
}

// Stages "state.yaml" from `pieces` into `dir` and commits; returns whether it was rewritten.
bool stage_in_pieces(const fs::path& dir, const std::vector<std::string>& pieces) {
  cli::Staging s(dir.string());
  s.stage_pieces("sub/state.yaml", [&](const cli::Staging::Piece& piece) {
    for (const auto& p : pieces) piece(p);
  });
  return commit_one(s);
}
}  // namespace

TEST_CASE("a file staged in pieces is written, or kept when it is the same") {
  const fs::path dir = fs::temp_directory_path() / "packdb_staging_unit";
  fs::remove_all(dir);
  const fs::path f = dir / "sub/state.yaml";
  CHECK(stage_in_pieces(dir, {"abc", "", "def"}));  // new
  CHECK(read(f) == "abcdef");
  CHECK(!stage_in_pieces(dir, {"ab", "cdef"}));  // the same bytes, cut elsewhere
  CHECK(!fs::exists(dir / "sub/state.yaml.packdbc-tmp"));
  CHECK(stage_in_pieces(dir, {"abc"}));  // a prefix of the file
  CHECK(read(f) == "abc");
  CHECK(stage_in_pieces(dir, {"abc", "x"}));  // the file is a prefix of the pieces
  CHECK(read(f) == "abcx");
  CHECK(stage_in_pieces(dir, {"abdx"}));  // same size, other bytes
  CHECK(read(f) == "abdx");
  std::string big(3u << 20, 'y');  // pieces larger than one read
  CHECK(stage_in_pieces(dir, {big, big}));
  CHECK(!stage_in_pieces(dir, {big + big}));
  CHECK(read(f).size() == big.size() * 2);
  fs::remove_all(dir);
}

namespace {
// Stages "t.sql" as `head` before `pieces` into `dir` and commits; returns whether it was rewritten.
bool stage_headed(const fs::path& dir, const std::string& head, const std::vector<std::string>& pieces) {
  cli::Staging s(dir.string());
  s.stage_headed("sub/t.sql", [&](const cli::Staging::Piece& piece) {
    for (const auto& p : pieces) piece(p);
    return head;
  });
  return commit_one(s);
}
}  // namespace

TEST_CASE("a file whose head comes after its body is staged head first, and kept when the same") {
  const fs::path dir = fs::temp_directory_path() / "packdb_staging_headed_unit";
  fs::remove_all(dir);
  const fs::path f = dir / "sub/t.sql";
  CHECK(stage_headed(dir, "plan(2);\n", {"a;\n", "b;\n"}));
  CHECK(read(f) == "plan(2);\na;\nb;\n");
  CHECK(!stage_headed(dir, "plan(2);\na;", {"\n", "b;\n"}));  // the same bytes, cut elsewhere
  CHECK(stage_headed(dir, "plan(3);\n", {"a;\n", "b;\n"}));   // another head
  CHECK(read(f) == "plan(3);\na;\nb;\n");
  CHECK(stage_headed(dir, "", {}));  // nothing at all
  CHECK(read(f).empty());
  std::string big(3u << 20, 'z');  // a body of several read-backs
  CHECK(stage_headed(dir, "h\n", {big, "end"}));
  CHECK(read(f) == "h\n" + big + "end");
  std::vector<std::string> left;  // neither the staging file nor the scratch body stays
  for (const auto& e : fs::directory_iterator(dir / "sub")) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"t.sql"});
  fs::remove_all(dir);
}

TEST_CASE("a headed file in a folder that cannot be made is an error, and nothing is written") {
  const fs::path dir = fs::temp_directory_path() / "packdb_staging_headed_blocked";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "sub") << "a file where the folder should be";
  cli::Staging s(dir.string());
  bool produced = false;
  s.stage_headed("sub/t.sql", [&](const cli::Staging::Piece& piece) {
    produced = true;
    piece("body");
    return std::string("head");
  });
  auto w = s.commit();
  CHECK(produced);
  CHECK(w.error.rfind("cannot create `", 0) == 0);
  CHECK(w.written.empty());
  CHECK(read(dir / "sub") == "a file where the folder should be");
  fs::remove_all(dir);
}
