// The grammar: accepted and rejected inputs, with the exact message and caret for each error.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/front/parse.hpp"
#include "compiler/gen/format.hpp"
#include "test_util.hpp"

using packdb::test::check;
using packdb::test::header;

namespace {
// Only the syntax: stops after parsing.
std::string parse_errors(const std::string& src) {
  packdb::LoadedSpec l;
  packdb::Diagnostics d;
  packdb::load_spec_text("spec.packdb", src, l, d);
  return packdb::render_text(d, l.sources);
}
}  // namespace

TEST_CASE("accepted inputs parse without errors") {
  const char* accepted[] = {
      "pack a",
      "pack a version \"1\" { description \"x\" target postgres }",
      "// comment only\npack a /* block */",
      "pack a\nneed search \"why\"",
      "pack a\nimport postgres",
      "pack a\nenum e { x y, z }",
      "pack a\ninput i markdown at \"in/\" keep files",
      "pack a\ninput i yaml at \"c.yaml\" { fields a, b volume \"1 file\" description \"d\" keep files }",
      "pack a\noutput o json at \"out/{slug}/\" persist high keep files",
      "pack a\nstate s [a, b] keep files",
      "pack a\nstate s: timestamptz keep files",
      "pack a\ntable t { access service only }",
      "pack a\ntable t \"purpose\" owned by user { c text? = 'x' unique per owner }",
      "pack a\ntable t owned by user { v vector(3)?\n index (v) using hnsw cosine }",
      "pack a\ntable t owned by user { a int check (a > 0 and not (a = 3)) }",
      "pack a\ntable t owned by user { a int\n index i (a desc, b) where a is not null and a in (1, 2) }",
      "pack a\ntable t owned by user { policy p for select to anon, authenticated using \"true\" }",
      "pack a\ntable t owned by user { a text[] no timestamps }",
      "pack a\nmixin m { deleted_at timestamptz? }\ntable t owned by user uses m { }",
      "pack a\nextend table projects { add column k text? add index (k) enable rls }",
      "pack a\nquery q = t where owner = me order by created_at desc limit 5",
      "pack a\nsearch s = t.v nearest $q where p = $p limit 3",
      "pack a\nview v = t where a = 1 select a, b",
      "pack a\nseed t { a \"x\", b 1 c true d null e pending }",
      "pack a\noutput o yaml at \"o/{k}.yaml\" into t {\n  map {\n    n <- field \"n\" as int\n    v <- field \"v\" as vector(3)\n  }\n}",
      "\xEF\xBB\xBFpack a",  // a UTF-8 byte order mark
  };
  for (const char* src : accepted) {
    INFO(src);
    CHECK(parse_errors(src).empty());
  }
}

TEST_CASE("rejected inputs say what was expected, where") {
  struct Case {
    const char* src;
    const char* expected;
  };
  const Case cases[] = {
      {"pack a\ntable t {\n  slug\n}",
       "spec.packdb:3:7: error[P0001]: expected a column type after the column name (for example `text`, `int`, `uuid`)\n"
       "  |\n3 |   slug\n  |       ^\n"},
      {"pack a\ntable t { a text",
       "spec.packdb:2:17: error[P0001]: expected `}` to close the block\n  |\n2 | table t { a text\n  |                 ^\n"},
      {"pack a \"unterminated",
       "spec.packdb:1:8: error[P0001]: expected a declaration (`pack`, `need`, `input`, `output`, `state`, `enum`, "
       "`table`, `extend table`, `query`, `search`, `view`, `seed`, `import`)\n  |\n1 | pack a \"unterminated\n  |        ^\n"},
      {"pack a\nneed search \"why",
       "spec.packdb:2:17: error[P0001]: unterminated string; expected a closing `\"` before the end of the line\n"
       "  |\n2 | need search \"why\n  |                 ^\n"},
      {"pack a\nneed search",
       "spec.packdb:2:12: error[P0001]: expected the reason for the need, as a string (for example `need search \"RAG "
       "over chunks\"`)\n  |\n2 | need search\n  |            ^\n"},
      {"pack a /* never closed",
       "spec.packdb:1:23: error[P0001]: unterminated block comment; expected `*/` before the end of the file\n"
       "  |\n1 | pack a /* never closed\n  |                       ^\n"},
      {"pack a\ntable t { a int check (a > ) }",
       "spec.packdb:2:28: error[P0001]: expected a value after the comparison operator\n"
       "  |\n2 | table t { a int check (a > ) }\n  |                            ^\n"},
      {"pack a\ntable t { index (v) using rtree }",
       "spec.packdb:2:27: error[P0001]: expected an index method: `btree`, `hash`, `gin`, `gist`, `brin`, `hnsw` or "
       "`ivfflat`\n  |\n2 | table t { index (v) using rtree }\n  |                           ^\n"},
      {"pack a\ntable t owned by { }",
       "spec.packdb:2:18: error[P0001]: expected `user` after `owned by`\n  |\n2 | table t owned by { }\n  |                  ^\n"},
      {"pack a\noutput o json at \"x\" persist forever",
       "spec.packdb:2:30: error[P0001]: expected a persistence level: `high`, `medium` or `low`\n"
       "  |\n2 | output o json at \"x\" persist forever\n  |                              ^\n"},
      {"pack a\nstate s",
       "spec.packdb:2:8: error[P0001]: expected `-> table.column` or `keep files` for the state\n"
       "  |\n2 | state s\n  |        ^\n"},
      {"pack a\nsearch s = t nearest $q",
       "spec.packdb:2:13: error[P0001]: expected `.` and the vector column, as in `chunks.embedding`\n"
       "  |\n2 | search s = t nearest $q\n  |             ^\n"},
      {"pack a\noutput o yaml at \"o.yaml\" into t { map { n <- field \"n\" as } }",
       "spec.packdb:2:60: error[P0001]: expected the field's type after `as` (for example `text`, `int`, `vector(1536)`)\n"
       "  |\n2 | output o yaml at \"o.yaml\" into t { map { n <- field \"n\" as } }\n  |                                                            ^\n"},
      {"pack a\ntable t { access everyone }",
       "spec.packdb:2:18: error[P0001]: expected an access rule: `owner`, `inherited`, `public read`, `authenticated "
       "read` or `service only`\n  |\n2 | table t { access everyone }\n  |                  ^\n"},
  };
  for (const auto& c : cases) {
    INFO(c.src);
    CHECK(parse_errors(c.src) == c.expected);
  }
}

TEST_CASE("bad bytes are reported with a position, not parsed") {
  CHECK(parse_errors("pack a\n\xff\xfe") ==
        "spec.packdb:2:1: error[P0002]: invalid UTF-8 in the source\n  |\n2 | ??\n  | ^\nhelp: save the file as UTF-8\n");
  std::string nul = "pack a\n";
  nul.push_back('\0');
  CHECK(parse_errors(nul).rfind("spec.packdb:2:1: error[P0002]: unexpected NUL byte", 0) == 0);
  CHECK(parse_errors("").find("error[E0100]: the spec has no `pack` header") == std::string::npos);  // parse only
}

TEST_CASE("deep nesting is refused, not a stack overflow") {
  std::string src = "pack a\ntable t { a int check (";
  for (int i = 0; i < 10000; ++i) src += "(";
  src += "a > 1";
  for (int i = 0; i < 10000; ++i) src += ")";
  src += ") }";
  std::string out = parse_errors(src);
  CHECK(out.find("error[P0001]: expression nested too deeply (the limit is 256 levels)") != std::string::npos);
  std::string nots = "pack a\ntable t { a bool check (";
  for (int i = 0; i < 10000; ++i) nots += "not ";
  nots += "a) }";
  CHECK(parse_errors(nots).find("nested too deeply") != std::string::npos);
}

TEST_CASE("an empty file parses; the checker then asks for a pack header") {
  auto r = check("");
  CHECK(r.text() ==
        "spec.packdb:1:1: error[E0100]: the spec has no `pack` header\n  |\n1 | \n  | ^\n"
        "help: start the file with `pack NAME version \"1.0.0\" { target supabase }`\n");
}

TEST_CASE("import \"file.packdb\" loads a file beside the spec, once, and lists it as read") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("packdb_import_" + std::to_string(::getpid()));
  fs::create_directories(dir / "lib");
  auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; };
  write(dir / "lib" / "common.packdb", "mixin soft_delete { deleted_at timestamptz? }\nimport \"more.packdb\"\n");
  write(dir / "lib" / "more.packdb", "mixin stamped { stamp text? }\nimport \"common.packdb\"\n");  // a cycle
  packdb::LoadedSpec l;
  packdb::Diagnostics d;
  std::string spec = (dir / "spec.packdb").string();
  packdb::load_spec_text(spec, "pack a\nimport \"lib/common.packdb\", 'lib/common.packdb', postgres\n", l, d);
  CHECK(packdb::render_text(d, l.sources).empty());
  REQUIRE(l.spec);
  REQUIRE(l.spec->imports.size() == 3);
  CHECK(l.spec->imports[0].path == "lib/common.packdb");
  CHECK(l.spec->imports[2].path.empty());
  // supabase (the target), postgres, then the two files, each once.
  REQUIRE(l.modules.size() == 4);
  CHECK(l.modules[2].mixins.at(0).name.name == "soft_delete");
  CHECK(l.modules[3].mixins.at(0).name.name == "stamped");
  std::vector<std::string> want{"<stdlib>/supabase.packdb", "<stdlib>/postgres.packdb",
                                (dir / "lib" / "common.packdb").string(), (dir / "lib" / "more.packdb").string()};
  CHECK(l.files_read == want);
  fs::remove_all(dir);
}

namespace {
// The spec as `packdbc fmt` prints it from the AST: equal outputs mean equal ASTs (spans aside).
std::string parsed_as(const std::string& text, std::size_t parallel_from) {
  packdb::SourceSet sources;
  const std::uint32_t id = sources.add("spec.packdb", text);
  packdb::Diagnostics d;
  auto file = packdb::parse_file(sources, id, d, parallel_from);
  if (!file) return "(no AST)\n" + packdb::render_text(d, sources);
  return packdb::gen::format_spec(*file, sources.get(id)) + packdb::render_text(d, sources);
}

std::string many_tables(int n, const std::string& middle) {
  std::string s = "pack big { date \"2025-01-01\" }\nenum e { a b }\n";
  for (int i = 0; i < n; ++i) {
    if (i == n / 2) s += middle;
    s += "table t" + std::to_string(i) + " owned by user {\n  name text\n  n int = " + std::to_string(i) + "\n}\n";
    s += "view v" + std::to_string(i) + " = t" + std::to_string(i) + " where n > 0\n";
  }
  return s;
}
}  // namespace

// A large file's halves are parsed at once: the AST must be exactly the one-pass AST, and
// whenever the split could change the result, the one-pass parse is what counts.
TEST_CASE("parsing a file in two halves gives the one-pass AST") {
  const std::size_t one_pass = std::string::npos;
  SECTION("declarations of every kind on both sides of the split") {
    const std::string text = many_tables(400, "");
    const std::string want = parsed_as(text, one_pass);
    CHECK(want.find("(no AST)") == std::string::npos);
    CHECK(parsed_as(text, 0) == want);
  }
  SECTION("the split falls in a block comment that holds a declaration line") {
    std::string comment = "/*\n";
    for (int i = 0; i < 200; ++i) comment += "table in_comment" + std::to_string(i) + " { x int }\n";
    comment += "*/\n";
    const std::string text = many_tables(40, comment);
    const std::string want = parsed_as(text, one_pass);
    // The comment is most of the file, so the middle falls in it, at a line `table in_comment…`.
    CHECK(want.find("(no AST)") == std::string::npos);
    CHECK(parsed_as(text, 0) == want);
  }
  SECTION("a syntax error in each half: the errors of one pass, in order") {
    std::string text = many_tables(100, "table broken_mid owned by user {\n  slug\n}\n");
    text.insert(text.find("table t1 "), "table broken_top {\n  slug\n}\n");
    const std::string want = parsed_as(text, one_pass);
    CHECK(want.find("error[P0001]") != want.rfind("error[P0001]"));  // both are reported
    CHECK(parsed_as(text, 0) == want);
  }
  SECTION("a second pack header in the second half is still an error") {
    const std::string text = many_tables(100, "pack again\n");
    const std::string want = parsed_as(text, one_pass);
    CHECK(want.find("E0102") != std::string::npos);
    CHECK(parsed_as(text, 0) == want);
  }
}
