// Reading the state file back (compiler/plan/state.cpp, compiler/gen/yaml_read.cpp): the fast
// reader takes what packdbc writes and gives what yaml-cpp gives; what packdbc does not write
// goes to yaml-cpp and still reads the same.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include <yaml-cpp/yaml.h>

#include "compiler/gen/yaml_read.hpp"
#include "compiler/plan/state.hpp"
#include "test_util.hpp"

using namespace packdb;
namespace fs = std::filesystem;

namespace {
using test::read_file;

// Read with both readers, each written back: both must give `text` again.
void reads_back(const std::string& text) {
  for (bool fast : {true, false}) {
    INFO("fast reader: " << fast);
    std::string why;
    auto s = plan::read_state(text, why, fast);
    REQUIRE(s);
    CHECK(plan::write_state(*s, nullptr) == text);
  }
}

// A tree as text, to compare the two readers' trees.
std::string canon(const yaml::Tree& t) {
  using K = yaml::Tree::Kind;
  std::string o;
  switch (t.kind) {
    case K::null: return "~";
    case K::scalar: return "S(" + t.text + ")";
    case K::seq:
      for (const auto& i : t.items) o += canon(i) + ",";
      return "[" + o + "]";
    case K::map:
      for (std::size_t i = 0; i < t.keys.size(); ++i) o += t.keys[i] + "=" + canon(t.items[i]) + ",";
      return "{" + o + "}";
  }
  return o;
}
std::string canon(const YAML::Node& n) {
  if (n.IsNull()) return "~";
  if (n.IsScalar()) return "S(" + n.Scalar() + ")";
  std::string o;
  if (n.IsSequence()) {
    for (const auto& i : n) o += canon(i) + ",";
    return "[" + o + "]";
  }
  for (const auto& kv : n) o += kv.first.Scalar() + "=" + canon(kv.second) + ",";
  return "{" + o + "}";
}

plan::State tricky_state() {
  plan::State s;
  s.pack = "tricky";
  s.target = "supabase";
  s.version = "20250101000002";
  s.generations = {{"1.0.0", {"20250101000001_tricky_foundation.sql"}}, {"1.1", {}}};
  plan::Schema schema;
  schema.extensions = {"vector", "pg_trgm"};
  schema.enums = {{"st", "public.st", {"true", "a, b", "[x]", "say \"hi\"", ""}}};
  plan::StateTable t;
  t.name = "t";
  t.qualified = "public.t";
  t.rls = true;
  t.comment = "ünïcödé: a # not a comment, \"quoted\", back\\slash, tab\there, line\nbreak";
  t.columns = {{"id", "uuid", false, "gen_random_uuid()", "id uuid not null default gen_random_uuid()"},
               {"n", "integer", true, "0", "n integer default 0"},
               {"note", "text", false, "'{}'::jsonb", "note text not null default '{}'"},
               {"yes", "boolean", false, "", "yes boolean not null"}};
  t.objects = {{"index", "t_n_idx", {"n", "id"}, "create index t_n_idx on public.t (n, id);", "drop index public.t_n_idx;"},
               {"policy", "t_select", {}, "create policy t_select on public.t for select using (true);",
                "drop policy t_select on public.t;"}};
  schema.tables = {t};
  schema.routines = {{"function", "f", "create function f() returns int as $$ select 1 $$ language sql;", "drop function f();"}};
  s.schema = schema;
  s.base = schema;
  s.base->tables.clear();
  s.base_version = "20250101000001";
  return s;
}
}  // namespace

TEST_CASE("state: what compile writes is read by the fast reader, and both readers read it back") {
  for (const char* pack : {"mmos", "innerlens", "creator-os", "plain-postgres"}) {
    for (const auto& e : fs::directory_iterator(fs::path(PACKDB_SOURCE_DIR) / "tests/golden" / pack / "supabase/state")) {
      INFO("state file: " << e.path());
      const std::string text = read_file(e.path());
      CHECK(yaml::read_written(text));
      reads_back(text);
    }
  }
  const std::string tricky = plan::write_state(tricky_state(), nullptr);
  CHECK(yaml::read_written(tricky));
  reads_back(tricky);
}

TEST_CASE("state: YAML that packdbc does not write goes to yaml-cpp and reads the same") {
  const std::string text = plan::write_state(tricky_state(), nullptr);
  // Each edit is valid YAML for the same data, in a spelling the fast reader leaves alone.
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = text;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<std::string> edited = {
      replace("pack: tricky\n", "pack: 'tricky'\n"),            // single quotes
      replace("pack: tricky\n", "pack: tricky  # a comment\n"),  // a comment after a value
      replace("target: supabase\n", "target: &t supabase\n"),     // an anchor
      replace("rls: true\n", "rls: yes\n"),                       // YAML 1.1's other booleans
  };
  for (const auto& s : edited) {
    INFO("text: " << s.substr(0, 300));
    CHECK_FALSE(yaml::read_written(s));
    std::string why_fast, why_slow;
    auto fast = plan::read_state(s, why_fast, true);
    auto slow = plan::read_state(s, why_slow, false);
    REQUIRE(fast);
    REQUIRE(slow);
    CHECK(plan::write_state(*fast, nullptr) == text);
    CHECK(plan::write_state(*slow, nullptr) == text);
  }
}

TEST_CASE("state: a byte that is not UTF-8 reads as yaml-cpp reads it, from either reader") {
  plan::State s = tricky_state();
  s.schema.tables[0].comment = "a\xff";  // written "a\xff"; yaml-cpp reads U+00FF back
  const std::string text = plan::write_state(s, nullptr);
  CHECK(yaml::read_written(text));
  std::string why;
  auto fast = plan::read_state(text, why, true);
  auto slow = plan::read_state(text, why, false);
  REQUIRE(fast);
  REQUIRE(slow);
  CHECK(fast->schema.tables[0].comment == "a\xc3\xbf");
  CHECK(slow->schema.tables[0].comment == "a\xc3\xbf");
}

TEST_CASE("state: a broken state file is an error with its line, from either reader") {
  std::string why;
  CHECK_FALSE(plan::read_state("format: packdbc-state 1\npack: p\ntables: [\n", why));
  CHECK(why == "line 4: end of sequence flow not found");
  CHECK_FALSE(plan::read_state("format: packdbc-state 1\npack: p\n", why));
  CHECK(why == "line 1: `target` is missing");
  CHECK_FALSE(plan::read_state("format: packdbc-state 2\n", why));
  CHECK(why == "format `packdbc-state 2` is not one this packdbc reads (packdbc-state 1)");
  const std::string text = plan::write_state(tricky_state(), nullptr);
  std::string bad = text;
  bad.replace(bad.find("rls: true"), 9, "rls: maybe");
  CHECK_FALSE(plan::read_state(bad, why));
  CHECK(why.find("`rls` must be true or false") != std::string::npos);
}

TEST_CASE("state: whatever the fast reader takes, yaml-cpp reads the same (random edits)") {
  const std::string base = read_file(fs::path(PACKDB_SOURCE_DIR) / "tests/golden/mmos/supabase/state/mmos.state.yaml");
  std::mt19937 rng(7);  // fixed: the same edits every run
  const std::string pool = " :-\"\\[]{},#\n\txa0\xff";
  int taken = 0;
  for (int k = 0; k < 3000; ++k) {
    std::string s = base;
    for (int j = 1 + static_cast<int>(rng() % 4); j > 0; --j) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[at] = pool[rng() % pool.size()]; break;
        case 1: s.erase(at, 1 + rng() % 3); break;
        default: s.insert(at, 1, pool[rng() % pool.size()]);
      }
    }
    if (rng() % 5 == 0) s.resize(rng() % s.size());
    auto tree = yaml::read_written(s);
    if (!tree) continue;
    ++taken;
    std::string theirs;
    try {
      theirs = canon(YAML::Load(s));
    } catch (const YAML::Exception& e) {
      theirs = std::string("error: ") + e.what();
    }
    INFO("edit " << k);
    REQUIRE(canon(*tree) == theirs);
  }
  CHECK(taken > 500);  // the edits left a good share to the fast reader
}
