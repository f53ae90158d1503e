// The formatter: for every spec in the repository, formatting keeps the meaning (the AST,
// dumped without comments, is unchanged), keeps every comment, and is idempotent.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/front/parse.hpp"
#include "compiler/gen/format.hpp"

namespace fs = std::filesystem;

namespace {

std::optional<packdb::ast::File> parse(packdb::SourceSet& set, const std::string& name, const std::string& text,
                                       std::uint32_t& id) {
  packdb::Diagnostics d;
  id = set.add(name, text);
  return packdb::parse_file(set, id, d);
}

// The comments of a spec, found with string literals skipped (independently of the
// formatter's own scanner).
std::vector<std::string> comments_of(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c && s[i] != '\n'; ++i)
        if (c == '"' && s[i] == '\\') ++i;
      ++i;
    } else if (s.compare(i, 2, "//") == 0) {
      std::size_t e = s.find('\n', i);
      if (e == std::string::npos) e = s.size();
      std::string t = s.substr(i, e - i);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.pop_back();
      out.push_back(t);
      i = e;
    } else if (s.compare(i, 2, "/*") == 0) {
      std::size_t e = s.find("*/", i + 2);
      e = e == std::string::npos ? s.size() : e + 2;
      out.push_back(s.substr(i, e - i));
      i = e;
    } else {
      ++i;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("formatting every spec in the repository keeps its meaning and its comments") {
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "stdlib", "tests/errors", "tests/cli/cases", "tests/kiss", "bench"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(PACKDB_SOURCE_DIR) / dir))
      if (e.path().extension() == ".packdb") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 40);
  int formatted = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    packdb::SourceSet set;
    std::uint32_t id0 = 0, id1 = 0, id2 = 0;
    auto ast0 = parse(set, f.string(), text, id0);
    if (!ast0) continue;  // a syntax-error case
    ++formatted;
    INFO(f.string());
    std::string once = packdb::gen::format_spec(*ast0, set.get(id0));
    auto ast1 = parse(set, "formatted", once, id1);
    INFO(once);
    REQUIRE(ast1);
    packdb::gen::FormatOptions bare{false};
    CHECK(packdb::gen::format_spec(*ast1, set.get(id1), bare) == packdb::gen::format_spec(*ast0, set.get(id0), bare));
    std::string twice = packdb::gen::format_spec(*ast1, set.get(id1));
    CHECK(twice == once);
    CHECK(comments_of(once) == comments_of(text));
    (void)id2;
  }
  CHECK(formatted > 40);
}

TEST_CASE("the canonical layout") {
  std::string src =
      "pack  demo version \"1\"{target supabase}\n"
      "// the enum\n"
      "enum st{a b}\n\n\n"
      "table t owned by user{ name text // the name\n"
      "  v int=1\n"
      "  index(v desc)  where v>1 and(v<3 or v=5)\n"
      "}\n";
  packdb::SourceSet set;
  std::uint32_t id = 0;
  auto ast = parse(set, "s", src, id);
  REQUIRE(ast);
  CHECK(packdb::gen::format_spec(*ast, set.get(id)) ==
        "pack demo version \"1\" {\n"
        "  target supabase\n"
        "}\n"
        "// the enum\n"
        "enum st { a b }\n"
        "\n"
        "table t owned by user {\n"
        "  name text // the name\n"
        "  v    int = 1\n"
        "  index (v desc) where v > 1 and (v < 3 or v = 5)\n"
        "}\n");
}

TEST_CASE("a flow's map block: arrows aligned, comments where they were") {
  std::string src =
      "output a yaml at \"o/{slug}.yaml\" into minds {\n"
      "  // before the map\n"
      "  map each \"items\" { name <- field \"n\"  // why\n"
      "    // the whole element\n"
      "    document_copy <- item\n"
      "  }\n"
      "}\n";
  packdb::SourceSet set;
  std::uint32_t id = 0;
  auto ast = parse(set, "s", src, id);
  REQUIRE(ast);
  CHECK(packdb::gen::format_spec(*ast, set.get(id)) ==
        "output a yaml at \"o/{slug}.yaml\" {\n"
        "  into minds\n"
        "  // before the map\n"
        "  map each \"items\" {\n"
        "    name          <- field \"n\" // why\n"
        "    // the whole element\n"
        "    document_copy <- item\n"
        "  }\n"
        "}\n");
}
