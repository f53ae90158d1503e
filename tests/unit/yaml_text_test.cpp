// compiler/gen/yaml_text: every scalar, plain or quoted, reads back as the same string with
// yaml-cpp, in block and flow position; the emitter's structure reads back as built.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "compiler/gen/yaml_text.hpp"

namespace yaml = packdb::yaml;

namespace {
const std::vector<std::string> tricky = {
    "plain", "two words", "1.0.0", "42", "-3.5", "1e3", "0x1f", "2025-10-27", "1:20", "true", "No", "null", "~",
    ".inf", "", " leading", "trailing ", "a: b", "a:b", "x # not a comment?", "x#y", "- dash", "[list]", "{map}",
    "a, b", "it's", "say \"hi\"", "back\\slash", "tab\there", "line\nbreak", "ünïcödé", "café au lait", "*alias",
    "&anchor", "!tag", "%directive", "@at", "`tick", "|pipe", ">fold", "?q", "/api/briefs/:slug/approve",
    ".state/state.json", "https://example.com/x", "now()", "(owner_id = (select auth.uid()))", "$1", "<<",
    "\x01control", std::string("\xff\xfe", 2)};
}

TEST_CASE("yaml_text: every scalar reads back as itself, in block and flow position") {
  for (const auto& s : tricky) {
    INFO("scalar: " << s);
    YAML::Node block = YAML::Load("k: " + yaml::scalar(s, false));
    YAML::Node flow = YAML::Load("k: [" + yaml::scalar(s, true) + ", end]");
    if (s == std::string("\xff\xfe", 2)) {  // not UTF-8: escaped, and yaml-cpp reads back the code points
      CHECK(yaml::scalar(s) == "\"\\xff\\xfe\"");
      continue;
    }
    CHECK(block["k"].as<std::string>() == s);
    REQUIRE(flow["k"].size() == 2);
    CHECK(flow["k"][0].as<std::string>() == s);
    // Strings that a reader would type differently are never plain.
    if (s == "42" || s == "true" || s == "null" || s == "1.0.0" || s == "2025-10-27" || s == "") CHECK(yaml::scalar(s)[0] == '"');
  }
  CHECK(yaml::scalar("markdown") == "markdown");
  CHECK(yaml::scalar("a: b") == "\"a: b\"");
}

TEST_CASE("yaml_text: the emitter writes block maps and sequences that read back as built") {
  yaml::Emitter e;
  e << yaml::BeginMap;
  e << yaml::Key << "name" << yaml::Value << "mmos";
  e << yaml::Key << "count" << yaml::Value << 3;
  e << yaml::Key << "served" << yaml::Value << true;
  e << yaml::Key << "empty_list" << yaml::Value << yaml::BeginSeq << yaml::EndSeq;
  e << yaml::Key << "empty_map" << yaml::Value << yaml::BeginMap << yaml::EndMap;
  e << yaml::Key << "flow" << yaml::Value << yaml::Flow << yaml::BeginSeq << "a, b" << "c" << yaml::EndSeq;
  e << yaml::Key << "tables" << yaml::Value << yaml::BeginSeq;
  for (const char* t : {"minds", "1.0"}) {
    e << yaml::BeginMap << yaml::Key << "name" << yaml::Value << t;
    e << yaml::Key << "fields" << yaml::Value << yaml::BeginSeq << yaml::BeginMap << yaml::Key << "id" << yaml::Value
      << "uuid primary key" << yaml::EndMap << yaml::EndSeq;
    e << yaml::Key << "quoted" << yaml::Value << yaml::DoubleQuoted << "plain" << yaml::EndMap;
  }
  e << yaml::EndSeq << yaml::EndMap;
  REQUIRE(e.good());
  const std::string text = e.str();
  CHECK(text ==
        "name: mmos\ncount: 3\nserved: true\nempty_list: []\nempty_map: {}\nflow: [\"a, b\", c]\ntables:\n"
        "  - name: minds\n    fields:\n      - id: uuid primary key\n    quoted: \"plain\"\n"
        "  - name: \"1.0\"\n    fields:\n      - id: uuid primary key\n    quoted: \"plain\"\n");
  YAML::Node n = YAML::Load(text);
  CHECK(n["count"].as<int>() == 3);
  CHECK(n["served"].as<bool>());
  CHECK(n["flow"][0].as<std::string>() == "a, b");
  CHECK(n["tables"][1]["name"].as<std::string>() == "1.0");
  CHECK(n["tables"][0]["fields"][0]["id"].as<std::string>() == "uuid primary key");
}

TEST_CASE("yaml_text: misuse is reported, not written") {
  yaml::Emitter e;
  e << yaml::BeginMap << yaml::EndSeq;
  CHECK_FALSE(e.good());
  yaml::Emitter f;
  f << yaml::BeginMap << yaml::Key << yaml::BeginSeq;
  CHECK_FALSE(f.good());
}

TEST_CASE("yaml_text: a byte that needs quoting is found wherever it stands in a long scalar") {
  // The scan takes sixteen bytes at a time: put each notable byte before, at and past a block edge.
  const std::string a(40, 'a');
  for (std::size_t at : {0u, 1u, 14u, 15u, 16u, 17u, 31u, 32u, 33u, 39u}) {
    for (const char* notable : {": ", " #", "\"", "\\", "`", "\n", "\t", "\x7f", "\x01"}) {
      std::string s = a;
      s.insert(at == 0 ? 1 : at, notable);  // never first: a first byte has its own rule
      INFO("scalar: " << s);
      CHECK(!yaml::plain_ok(s, false));
      CHECK(YAML::Load("k: " + yaml::scalar(s, false))["k"].as<std::string>() == s);
    }
    for (const char* flow_only : {",", "[", "]", "{", "}"}) {
      std::string s = a;
      s.insert(at == 0 ? 1 : at, flow_only);
      CHECK(yaml::plain_ok(s, false));
      CHECK(!yaml::plain_ok(s, true));
    }
    std::string harmless = a;
    harmless.insert(at == 0 ? 1 : at, "a:b c#d 'e' (f) ünï");
    CHECK(yaml::plain_ok(harmless, true));
  }
  std::string bad_utf8 = a + "\xff" + a;  // not UTF-8, past the first block: escaped
  CHECK(yaml::quoted(bad_utf8) == "\"" + a + "\\xff" + a + "\"");
  std::string good_utf8 = a + "ü\"" + a;  // UTF-8 passes through, the quote is escaped
  CHECK(yaml::quoted(good_utf8) == "\"" + a + "ü\\\"" + a + "\"");
}
