// `packdbc audit`: the YAML report parses back, the draft spec is accepted by the compiler
// and stopped by the KISS gate, names are valid, and progress is reported on long scans.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "compiler/audit/audit.hpp"
#include "compiler/audit/report.hpp"
#include "compiler/check/kiss.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"

using namespace packdb::audit;

namespace {

AuditResult sample() {
  AuditResult r;
  r.root = "/somewhere/mind-lab";
  r.pack_name = "mind-lab";
  r.manifest.used = "config.yaml";
  r.manifest.found = {"config.yaml"};
  r.manifest.name = "mind-lab";
  r.manifest.version = "1.0";
  r.manifest.description = "Says \"hi\" \\ twice: {really}";
  Flow in{"interviews", "markdown", "sources/interviews/", "3 files", {"name", "short-title", "2x"}, "folder",
          {{"sources/interviews/", 0, "folder in the pack, 3 files"}}};
  Flow out{"kb", "json", "outputs/minds/{slug}/kb/", "", {}, "script", {{"scripts/a.py", 7, "open() for writing"}}};
  r.inputs = {in};
  r.outputs = {out};
  r.state = {{"processing_status", {"completed", "in-progress", "pending"}, ".state/state.json",
              {{".state/state.json", 2, "key `status` of a state file"}}}};
  r.relationships = {{"One mind → many kb (outputs/minds/{slug}/kb/)", {{"scripts/a.py", 7, "open() for writing"}}}};
  r.databases = {{"supabase", {"minds"}, {"insert"}, {{"scripts/b.py", 3, "Supabase table `minds`: insert"}}}};
  r.env = {{"SUPABASE_DB_URL", true, {{".env.example", 1, "declared (value not read)"}}}};
  r.skipped = {{"data/x.png", "binary file (by its extension), not read"}};
  return r;
}

}  // namespace

TEST_CASE("audit: YAML scalars are quoted when they must be") {
  CHECK(yaml_scalar("markdown") == "markdown");
  CHECK(yaml_scalar("sources/interviews/") == "sources/interviews/");
  CHECK(yaml_scalar("1.0") == "\"1.0\"");
  CHECK(yaml_scalar("yes") == "\"yes\"");
  CHECK(yaml_scalar("{slug}/kb") == "\"{slug}/kb\"");
  CHECK(yaml_scalar("a: b") == "\"a: b\"");
  CHECK(yaml_scalar("") == "\"\"");
  for (std::string s : {"1.0", "yes", "{slug}/kb", "a: b", "- x", "say \"hi\"\n", "#c", "x # y", "→ many", "~", "null"}) {
    YAML::Node n = YAML::Load("k: " + yaml_scalar(s));
    CHECK(n["k"].as<std::string>() == s);
  }
}

TEST_CASE("audit: the report is YAML in the seed's step-2 shape") {
  std::string y = render_audit_yaml(sample());
  YAML::Node root = YAML::Load(y);
  YAML::Node a = root["expansion_pack_audit"];
  REQUIRE(a.IsMap());
  CHECK(a["name"].as<std::string>() == "mind-lab");
  CHECK(a["version"].as<std::string>() == "1.0");
  CHECK(a["data_inputs"][0]["location"].as<std::string>() == "sources/interviews/");
  CHECK(a["data_outputs"][0]["location"].as<std::string>() == "outputs/minds/{slug}/kb/");
  CHECK(a["data_outputs"][0]["evidence"][0].as<std::string>() == "scripts/a.py:7: open() for writing");
  CHECK(a["state_requirements"][0]["values"].size() == 3);
  CHECK(a["relationships"][0]["relation"].as<std::string>() == "One mind → many kb (outputs/minds/{slug}/kb/)");
  CHECK(a["environment_variables"][0]["name"].as<std::string>() == "SUPABASE_DB_URL");
  CHECK(a["skipped"][0]["path"].as<std::string>() == "data/x.png");
}

TEST_CASE("audit: the draft spec passes check and gets STOP from the KISS gate") {
  std::string spec = render_draft_spec(sample());
  INFO(spec);
  packdb::LoadedSpec l;
  packdb::Diagnostics d;
  REQUIRE(packdb::load_spec_text("mind-lab.packdb", spec, l, d));
  auto m = packdb::check::build_model(*l.spec, l.module_ptrs(), d);
  INFO(packdb::render_text(d, l.sources));
  CHECK(d.error_count() == 0);
  CHECK(m.pack == "mind-lab");
  CHECK(m.flows.size() == 2);
  CHECK(m.states.size() == 1);
  CHECK(m.needs.empty());
  auto v = packdb::check::run_kiss(m, nullptr, d);
  CHECK_FALSE(v.proceed);
  CHECK(d.error_count() == 0);
  CHECK(spec.find("TODO") != std::string::npos);
  CHECK(spec.find("\nneed ") == std::string::npos);
}

TEST_CASE("audit: names for specs") {
  CHECK(snake_name("Mind Config-v2") == "mind_config_v2");
  CHECK(snake_name("devStoryLocation") == "dev_story_location");
  CHECK(snake_name("2d-game") == "d_game");
  CHECK(pack_spec_name("BMad 2D Phaser!") == "bmad-2d-phaser");
  CHECK(pack_spec_name("42") == "pack");
  CHECK(singular("minds") == "mind");
  CHECK(singular("stories") == "story");
  CHECK(singular("status") == "status");
}

TEST_CASE("audit: a folder that is not there, and progress on long scans") {
  AuditOptions o;
  CHECK_FALSE(run_audit("/nonexistent/packdbc-audit-test", o).ok);

  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "packdbc-audit-progress-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "data");
  for (int i = 0; i < 300; ++i) std::ofstream(dir / "data" / ("f" + std::to_string(i) + ".md")) << "x\n";
  std::vector<std::string> calls;
  o.progress = [&](const std::string& m) { calls.push_back(m); };
  o.progress_after_ms = 0;  // report at once: the scan is far shorter than a second
  AuditResult r = run_audit(dir.string(), o);
  fs::remove_all(dir);
  CHECK(r.ok);
  CHECK(r.files == 300);
  CHECK(!calls.empty());
  CHECK(r.pack_name == "packdbc-audit-progress-test");
  REQUIRE(r.inputs.size() == 1);
  CHECK(r.inputs[0].location == "data/");
  CHECK(r.inputs[0].volume == "300 files");
}
