// The documentation outputs of compile (compiler/gen/docs_*.cpp): every YAML output parses
// back with yaml-cpp and says what the model says (tables, fields, phases, risk, files);
// the ERDs and the guide cover every table; the output is deterministic; a KISS STOP gives
// the report alone, with the reasons.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/check/checklist.hpp"
#include "compiler/check/kiss.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"
#include "compiler/gen/docs_outputs.hpp"
#include "compiler/gen/pgtap.hpp"
#include "compiler/gen/sql.hpp"
#include "compiler/plan/phases.hpp"

using namespace packdb;

namespace {

struct Compiled {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  check::KissVerdict kiss;
  std::vector<plan::Phase> phases;
  std::vector<gen::OutputFile> files;  // everything compile writes on PROCEED
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What `packdbc compile` does, in memory.
void compile_text(const std::string& name, const std::string& text, Compiled& c) {
  REQUIRE(load_spec_text(name, text, c.loaded, c.diags));
  c.model = check::build_model(*c.loaded.spec, c.loaded.module_ptrs(), c.diags);
  INFO(render_text(c.diags, c.loaded.sources));
  REQUIRE(c.diags.error_count() == 0);
  check::run_validation(c.model, nullptr, c.diags);
  c.kiss = check::run_kiss(c.model, nullptr, c.diags);
  REQUIRE(c.diags.error_count() == 0);
  if (!c.kiss.proceed) return;
  c.phases = plan::plan_phases(c.model, c.model.date.empty() ? "20250101" : c.model.date);
  c.files = gen::generate_migrations(c.model, c.phases);
  c.files.push_back(gen::generate_pgtap(c.model));
  auto docs = gen::generate_docs(c.model, c.kiss, c.phases, c.files);
  c.files.insert(c.files.end(), docs.begin(), docs.end());
}

void compile_example(const std::string& example, Compiled& c) {
  const std::string path = std::string(PACKDB_SOURCE_DIR) + "/examples/" + example + "/" + example + ".packdb";
  compile_text(example + ".packdb", read(path), c);
}

const gen::OutputFile& file(const Compiled& c, const std::string& path) {
  for (const auto& f : c.files)
    if (f.path == path) return f;
  FAIL("no output " << path);
  throw;
}

YAML::Node parse(const gen::OutputFile& f) {
  INFO(f.path << ":\n" << f.content);
  YAML::Node n;
  REQUIRE_NOTHROW(n = YAML::Load(f.content));
  REQUIRE(n.IsMap());
  return n;
}

// The key of a one-key map ("- id: uuid PRIMARY KEY").
std::string only_key(const YAML::Node& n) {
  REQUIRE(n.IsMap());
  REQUIRE(n.size() == 1);
  return n.begin()->first.as<std::string>();
}

const std::vector<std::string> kExamples = {"mmos", "creator-os", "innerlens", "plain-postgres"};

}  // namespace

TEST_CASE("docs: every YAML output of every example parses back and matches the model", "[docs]") {
  for (const auto& ex : kExamples) {
    DYNAMIC_SECTION(ex) {
      Compiled c;
      compile_example(ex, c);
      REQUIRE(c.kiss.proceed);
      const model::Model& m = c.model;

      // ---- data-flow audit (step 2)
      YAML::Node audit = parse(file(c, gen::data_flow_audit_path(m)))["expansion_pack_audit"];
      REQUIRE(audit.IsMap());
      CHECK(audit["name"].as<std::string>() == m.pack);
      CHECK(audit["version"].as<std::string>() == m.version);
      std::size_t inputs = 0, outputs = 0;
      for (const auto& f : m.flows) (f.kind == ast::FlowKind::input ? inputs : outputs)++;
      REQUIRE(audit["data_inputs"].size() == inputs);
      REQUIRE(audit["data_outputs"].size() == outputs);
      std::size_t oi = 0;
      for (const auto& f : m.flows) {
        if (f.kind != ast::FlowKind::output) continue;
        YAML::Node o = audit["data_outputs"][oi++];
        CHECK(o["type"].as<std::string>() == f.name);
        CHECK(o["location"].as<std::string>() == f.location);
        CHECK(o["persistence_need"].IsScalar());
        std::string storage = o["storage"].as<std::string>();
        if (f.into_table >= 0) CHECK(storage.rfind(m.tables[f.into_table].name, 0) == 0);
        else CHECK(storage.rfind("filesystem", 0) == 0);
      }
      REQUIRE(audit["state_requirements"].size() == m.states.size());
      for (std::size_t i = 0; i < m.states.size(); ++i) {
        CHECK(audit["state_requirements"][i]["name"].as<std::string>() == m.states[i].name);
        if (m.states[i].table >= 0)
          CHECK(audit["state_requirements"][i]["stored_in"].as<std::string>() ==
                m.tables[m.states[i].table].name + "." + m.states[i].column);
      }
      // One relationship per foreign key (owners, parents, references); every child appears.
      REQUIRE(audit["relationships"].IsSequence());
      std::string rels;
      for (const auto& r : audit["relationships"]) rels += r.as<std::string>() + "\n";
      for (const auto& t : m.tables)
        if (t.parent >= 0) CHECK_THAT(rels, Catch::Contains("many " + t.name) || Catch::Contains("at most one"));
      for (const auto& t : m.tables)
        if (t.owned) CHECK_THAT(rels, Catch::Contains("One user → many " + t.name));

      // ---- schema design (step 4), twice: the design and the schema definition
      const std::string design_text = file(c, gen::schema_design_path(m)).content;
      const std::string schema_text = file(c, gen::database_schema_path(m)).content;
      CHECK(design_text.substr(design_text.find('\n', design_text.find('\n') + 1)) ==
            schema_text.substr(schema_text.find('\n', schema_text.find('\n') + 1)));
      for (const std::string& path : {gen::schema_design_path(m), gen::database_schema_path(m)}) {
        YAML::Node s = parse(file(c, path))["proposed_schema"];
        REQUIRE(s.IsMap());
        CHECK(s["target"].as<std::string>() == m.profile.name);
        std::vector<const model::Table*> added, modified;
        for (const auto& t : m.tables) (t.existing ? modified : added).push_back(&t);
        REQUIRE(s["new_tables"].size() == added.size());
        REQUIRE(s["modified_tables"].IsSequence());
        REQUIRE(s["modified_tables"].size() == modified.size());
        for (std::size_t i = 0; i < added.size(); ++i) {
          YAML::Node t = s["new_tables"][i];
          const model::Table& mt = *added[i];
          CHECK(t["name"].as<std::string>() == mt.name);
          CHECK(t["purpose"].as<std::string>() == mt.purpose);
          REQUIRE(t["fields"].size() == mt.columns.size());
          for (std::size_t k = 0; k < mt.columns.size(); ++k) {
            CHECK(only_key(t["fields"][k]) == mt.columns[k].name);
            std::string words = t["fields"][k][mt.columns[k].name].as<std::string>();
            CHECK(words.rfind(mt.columns[k].type.sql(), 0) == 0);
            if (mt.primary_key == std::vector<std::string>{mt.columns[k].name})
              CHECK_THAT(words, Catch::Contains("PRIMARY KEY"));
            else if (!mt.columns[k].nullable)
              CHECK_THAT(words, Catch::Contains("NOT NULL"));
            for (const auto& fk : mt.foreign_keys)
              if (fk.columns == std::vector<std::string>{mt.columns[k].name})
                CHECK_THAT(words, Catch::Contains("REFERENCES"));
          }
          CHECK(t["indexes"].size() >= mt.indexes.size());
          CHECK_FALSE(t["rls"].as<std::string>().empty());
          REQUIRE(t["policies"].size() == mt.policies.size());
          for (std::size_t k = 0; k < mt.policies.size(); ++k) {
            CHECK(only_key(t["policies"][k]) == mt.policies[k].name);
            CHECK_THAT(t["policies"][k][mt.policies[k].name].as<std::string>(), Catch::Contains(mt.policies[k].intent));
          }
        }
        REQUIRE(s["enums"].size() == m.enums.size());
        for (std::size_t i = 0; i < m.enums.size(); ++i) {
          CHECK(s["enums"][i]["name"].as<std::string>() == m.enums[i].name);
          CHECK(s["enums"][i]["values"].as<std::vector<std::string>>() == m.enums[i].values);
        }
        std::string fns;
        for (const auto& f : s["functions"]) fns += f["name"].as<std::string>() + "\n";
        for (const auto& se : m.searches) CHECK_THAT(fns, Catch::Contains(se.name + "("));
        if (!m.queries.empty()) CHECK(s["queries"].size() == m.queries.size());
      }

      // ---- migration plan (step 6)
      YAML::Node plan = parse(file(c, gen::migration_plan_path(m)))["migration_plan"];
      REQUIRE(plan.IsMap());
      REQUIRE(c.phases.size() >= 1);
      for (const auto& p : c.phases) {
        const std::string key = "phase_" + std::to_string(plan::phase_number(p.kind)) + "_" + p.name;
        YAML::Node ph = plan[key];
        INFO(key);
        REQUIRE(ph.IsMap());
        CHECK(ph["version"].as<std::string>() == p.version);
        CHECK(ph["migration"].as<std::string>() == "supabase/migrations/" + gen::migration_stem(m, p) + ".sql");
        CHECK(ph["rollback"].as<std::string>() == "supabase/rollback/" + gen::migration_stem(m, p) + ".down.sql");
        CHECK(ph["creates"].as<std::vector<std::string>>() == p.summary);
        CHECK(ph["risk"].as<std::string>() == "low");  // the examples only add tables
      }
      REQUIRE(plan["risk_assessment"].size() == c.phases.size());
      for (const auto& r : plan["risk_assessment"]) {
        CHECK(r["risk"].as<std::string>() == "low");
        CHECK_FALSE(r["reason"].as<std::string>().empty());
      }
      CHECK(plan["migration_risk"].as<std::string>() == "low");
      std::string strategy;
      for (const auto& s : plan["rollback_strategy"]) strategy += s.as<std::string>() + "\n";
      CHECK_THAT(strategy, Catch::Contains("packdbc snapshot") && Catch::Contains("supabase/rollback/") &&
                               Catch::Contains("staging"));

      // ---- report (step 8)
      YAML::Node report = parse(file(c, gen::report_path(m)));
      CHECK(report["integration_analysis"]["expansion_pack"].as<std::string>() == m.pack);
      CHECK(report["integration_analysis"]["analyst"].as<std::string>() == "packdbc");
      CHECK(report["integration_analysis"]["database"].as<std::string>() == m.profile.name);
      YAML::Node sum = report["summary"];
      CHECK(sum["recommendation"].as<std::string>() == "Integrate with database");
      REQUIRE(sum["rationale"].size() == m.needs.size() + 1);
      for (std::size_t i = 0; i < m.needs.size(); ++i)
        CHECK_THAT(sum["rationale"][i].as<std::string>(), Catch::Contains(m.needs[i].reason));
      CHECK(sum["tables_added"].as<int>() == c.kiss.new_tables);
      CHECK(sum["tables_modified"].as<int>() == c.kiss.extended_tables);
      CHECK(sum["migration_risk"].as<std::string>() == "low");
      std::vector<std::string> paths;
      for (const auto& f : c.files) paths.push_back(f.path);
      std::sort(paths.begin(), paths.end());
      CHECK(report["files_written"].as<std::vector<std::string>>() == paths);
      CHECK(report["next_steps"].size() >= 5);
      CHECK(report["migration_plan"]["phases"].as<std::size_t>() == c.phases.size());
    }
  }
}

TEST_CASE("docs: compile writes every output the brief names, at its path", "[docs]") {
  Compiled c;
  compile_example("mmos", c);
  std::set<std::string> paths;
  for (const auto& f : c.files) paths.insert(f.path);
  for (const char* p : {"expansion-packs/mmos/database-integration-report.yaml", "expansion-packs/mmos/data-flow-audit.yaml",
                        "expansion-packs/mmos/schema-design.yaml", "docs/mmos/database-integration.md",
                        "docs/mmos/database-schema.yaml", "docs/mmos/migration-plan.yaml", "docs/mmos/database-erd.mmd",
                        "docs/mmos/database-erd.dot", "supabase/tests/mmos_rls.test.sql"})
    CHECK(paths.count(p) == 1);
  // The seed's step 2 relationships, in its words.
  std::string audit = file(c, gen::data_flow_audit_path(c.model)).content;
  CHECK_THAT(audit, Catch::Contains("One mind → many mind_system_prompts (versioned; via mind_id; deleted with it)"));
  CHECK_THAT(audit, Catch::Contains("One mind → many mind_knowledge_chunks"));
  CHECK_THAT(audit, Catch::Contains("One user → many minds"));
  // The seed's step 4: the search function with its arguments and result.
  YAML::Node s = YAML::Load(file(c, gen::schema_design_path(c.model)).content)["proposed_schema"];
  CHECK(s["functions"][0]["name"].as<std::string>() ==
        "search_mind_knowledge(mind uuid, query_embedding vector(1536), match_count integer DEFAULT 10)");
  CHECK_THAT(s["functions"][0]["returns"].as<std::string>(),
             Catch::StartsWith("TABLE(id uuid") && Catch::EndsWith("similarity double precision)"));
  CHECK(s["new_tables"][0]["rls"].as<std::string>() ==
        "Each signed-in user reaches only their own rows (user_id is the user).");
  CHECK(s["new_tables"][1]["rls"].as<std::string>().rfind("Inherited from minds via mind_id", 0) == 0);
}

TEST_CASE("docs: ERDs name every table, key and relation", "[docs]") {
  for (const auto& ex : kExamples) {
    DYNAMIC_SECTION(ex) {
      Compiled c;
      compile_example(ex, c);
      const std::string mmd = file(c, gen::erd_mermaid_path(c.model)).content;
      const std::string dot = file(c, gen::erd_dot_path(c.model)).content;
      CHECK_THAT(mmd, Catch::Contains("\nerDiagram\n"));
      CHECK_THAT(dot, Catch::Contains("digraph "));
      for (const auto& t : c.model.tables) {
        CHECK_THAT(mmd, Catch::Contains("  " + t.name + " {"));
        CHECK_THAT(dot, Catch::Contains("\"" + t.name + "\" [label=<"));
        CHECK_THAT(mmd, Catch::Contains(" id PK"));
        if (t.parent >= 0) {
          // parent ||--o{ child (or ||--o| when the child is unique per parent)
          std::regex rel("  " + c.model.tables[t.parent].name + R"( \|\|--o[{|] )" + t.name + " : \"contains\"");
          CHECK(std::regex_search(mmd, rel));
        }
        if (t.owned && !c.model.profile.user_table.empty())
          CHECK_THAT(mmd, Catch::Contains("\"auth.users\" ||--o{ " + t.name + " : \"owns\""));
      }
      CHECK_THAT(mmd, Catch::Contains(" FK \"→ "));
    }
  }
  Compiled c;
  compile_example("innerlens", c);
  const std::string mmd = file(c, gen::erd_mermaid_path(c.model)).content;
  CHECK_THAT(mmd, Catch::Contains("user_assessments ||--o| assessment_results : \"contains\""));  // one result per sitting
  CHECK_THAT(mmd, Catch::Contains("assessments ||..o{ user_assessments : \"assessment_id\""));   // a plain reference
  CHECK_THAT(mmd, Catch::Contains("text slug UK"));
}

TEST_CASE("docs: the guide has a section per table and runnable SQL examples", "[docs]") {
  for (const auto& ex : kExamples) {
    DYNAMIC_SECTION(ex) {
      Compiled c;
      compile_example(ex, c);
      const model::Model& m = c.model;
      const std::string md = file(c, gen::guide_path(m)).content;
      for (const char* h : {"## Overview", "## Schema", "## Usage", "## Migration path"})
        CHECK_THAT(md, Catch::Contains(std::string("\n") + h + "\n"));
      for (const auto& t : m.tables) CHECK_THAT(md, Catch::Contains("### `" + t.name + "` table"));
      for (const auto& q : m.queries) CHECK_THAT(md, Catch::Contains("### Query `" + q.name + "`"));
      for (const auto& s : m.searches) CHECK_THAT(md, Catch::Contains("### Search `" + s.name + "`"));
      for (const auto& p : c.phases) CHECK_THAT(md, Catch::Contains(gen::migration_stem(m, p) + ".sql"));
      // The usage SQL: concrete values, no :placeholders left; acts as the signed-in role.
      const std::string usage = md.substr(md.find("## Usage"), md.find("## Migration path") - md.find("## Usage"));
      std::regex block("```sql\n([^`]*)```");
      std::string sql;
      for (std::sregex_iterator it(usage.begin(), usage.end(), block), end; it != end; ++it) sql += (*it)[1].str();
      CHECK_THAT(sql, Catch::Contains("set local role " + m.profile.user_role + ";"));
      CHECK_THAT(sql, Catch::Contains("set local " + m.profile.jwt_sub_setting + " = '" + gen::kGuideExampleUser + "';"));
      // A row in every table users write: the root tables (owned) and their children.
      for (const auto& t : m.tables)
        if (t.owned || t.parent >= 0) CHECK_THAT(sql, Catch::Contains("insert into public." + t.name + " ("));
      CHECK_FALSE(std::regex_search(sql, std::regex(R"([^:]:[a-z_]+\b)")));
      for (const auto& q : m.queries) CHECK_THAT(sql, Catch::Contains("from public." + m.tables[q.table].name));
    }
  }
  Compiled c;
  compile_example("mmos", c);
  const std::string md = file(c, gen::guide_path(c.model)).content;
  CHECK_THAT(md, Catch::StartsWith("# MMOS Database Integration\n"));
  // A child row points at the root row inserted before it; the query binds its parameters to them.
  CHECK_THAT(md, Catch::Contains("insert into public.minds (id, slug, name)\nvalues ('00000000-0000-4000-8000-00000000e001', "
                                 "'example-mind', 'Example name');"));
  CHECK_THAT(md, Catch::Contains("where mind_id = '00000000-0000-4000-8000-00000000e001' and prompt_type = "
                                 "'Example prompt type'"));
  CHECK_THAT(md, Catch::Contains("from public.search_mind_knowledge(\n  mind => '00000000-0000-4000-8000-00000000e001',"));
  Compiled il;
  compile_example("innerlens", il);
  // Users only read the catalog: a sitting refers to a seed row of the migrations.
  CHECK_THAT(file(il, gen::guide_path(il.model)).content,
             Catch::Contains("(select id from public.assessments where slug = 'big-five-mini-ipip')"));
}

TEST_CASE("docs: output is deterministic", "[docs]") {
  for (const auto& ex : kExamples) {
    Compiled a, b;
    compile_example(ex, a);
    compile_example(ex, b);
    REQUIRE(a.files.size() == b.files.size());
    for (std::size_t i = 0; i < a.files.size(); ++i) {
      CHECK(a.files[i].path == b.files[i].path);
      CHECK(a.files[i].content == b.files[i].content);
    }
  }
}

TEST_CASE("docs: risk is computed per phase with the reason", "[docs]") {
  // An existing table altered: medium.
  Compiled c;
  compile_text("brown.packdb",
               "pack t version \"1.0.0\" { target supabase date \"2025-01-01\" }\n"
               "need querying \"list packs by kind\"\n"
               "extend table projects { add column pack_kind text? add index (pack_kind) }\n"
               "output kinds yaml at \"kinds/\" persist high into projects.pack_kind\n"
               "query by_kind = projects where pack_kind = $kind\n",
               c);
  REQUIRE(c.kiss.proceed);
  bool altered = false;
  for (const auto& p : c.phases) {
    gen::Risk r = gen::phase_risk(c.model, p);
    if (p.kind == plan::PhaseKind::extensions) {
      altered = true;
      CHECK(r.level == "medium");
      CHECK_THAT(r.reason, Catch::Contains("alters existing tables (public.projects)"));
    } else {
      CHECK(r.level == "low");
    }
  }
  CHECK(altered);
  CHECK(gen::overall_risk(c.model, c.phases).level == "medium");
  YAML::Node plan = YAML::Load(file(c, gen::migration_plan_path(c.model)).content)["migration_plan"];
  CHECK(plan["migration_risk"].as<std::string>() == "medium");
  YAML::Node s = YAML::Load(file(c, gen::schema_design_path(c.model)).content)["proposed_schema"];
  REQUIRE(s["modified_tables"].size() == 1);
  CHECK(s["modified_tables"][0]["name"].as<std::string>() == "projects");
  CHECK(only_key(s["modified_tables"][0]["adds_fields"][0]) == "pack_kind");
  YAML::Node report = YAML::Load(file(c, gen::report_path(c.model)).content);
  CHECK(report["summary"]["tables_modified"].as<int>() == 1);
  CHECK(report["summary"]["migration_risk"].as<std::string>() == "medium");

  // The users table altered: high (here the profile's users table is the extended one).
  model::Model m = c.model;
  m.profile.user_table = "projects";
  for (const auto& p : c.phases)
    if (p.kind == plan::PhaseKind::extensions) {
      gen::Risk r = gen::phase_risk(m, p);
      CHECK(r.level == "high");
      CHECK_THAT(r.reason, Catch::StartsWith("alters public.projects of Supabase Auth"));
    }
  CHECK(gen::overall_risk(m, c.phases).level == "high");
  // New tables only, referencing auth.users: low, and says so.
  Compiled mm;
  compile_example("mmos", mm);
  gen::Risk r = gen::phase_risk(mm.model, mm.phases[0]);
  CHECK(r.level == "low");
  CHECK(r.reason == "new tables only (minds); no existing data is affected; auth.users is only referenced by foreign "
                    "keys, not changed");
}

TEST_CASE("docs: a phase cut into parts names only each part's tables in its risk", "[docs]") {
  // 201 root tables: phase 1 is cut into a part of 200 and a part of 1 (kTablesPerMigration).
  std::string spec = "pack t version \"1.0.0\" { target supabase date \"2025-01-01\" }\n"
                     "need multi_user \"each user owns their rows\"\n";
  for (int i = 0; i < 201; ++i) spec += fmt::format("table t{} owned by user {{ name text }}\n", i);
  Compiled c;
  compile_text("parts.packdb", spec, c);
  REQUIRE(c.phases.size() >= 2);
  REQUIRE(c.phases[0].name == "foundation_part1");
  REQUIRE(c.phases[1].name == "foundation_part2");
  CHECK(c.phases[0].table_indexes.size() == 200);
  CHECK(c.phases[1].table_indexes == std::vector<int>{200});
  CHECK(gen::phase_risk(c.model, c.phases[1]).reason ==
        "new tables only (t200); no existing data is affected; auth.users is only referenced by foreign keys, not "
        "changed");
  std::string first = gen::phase_risk(c.model, c.phases[0]).reason;
  CHECK_THAT(first, Catch::StartsWith("new tables only (t0, t1, "));
  CHECK_THAT(first, Catch::Contains(", t199)"));
  CHECK(first.find("t200") == std::string::npos);
}

TEST_CASE("docs: a KISS STOP gives the report alone, with the reasons", "[docs]") {
  Compiled c;
  const std::string path = std::string(PACKDB_SOURCE_DIR) + "/tests/kiss/bmad/bmad-creative-writing.packdb";
  compile_text("bmad-creative-writing.packdb", read(path), c);
  REQUIRE_FALSE(c.kiss.proceed);
  gen::OutputFile f = gen::generate_stop_report(c.model, c.kiss);
  CHECK(f.path == "expansion-packs/bmad_creative_writing/database-integration-report.yaml");
  YAML::Node n = parse(f);
  CHECK(n["summary"]["recommendation"].as<std::string>() == "Keep the filesystem");
  CHECK_THAT(n["summary"]["kiss_gate"].as<std::string>(), Catch::StartsWith("STOP"));
  REQUIRE(n["summary"]["rationale"].size() == c.kiss.reasons.size());
  REQUIRE(c.kiss.reasons.size() >= 1);
  CHECK(n["summary"]["rationale"][0].as<std::string>() == c.kiss.reasons[0]);
  CHECK(n["summary"]["tables_added"].as<int>() == 0);
  CHECK(n["files_written"].as<std::vector<std::string>>() == std::vector<std::string>{f.path});
  CHECK_FALSE(n["migration_plan"]);
  CHECK(n["summary"]["stays_on_filesystem"].size() == c.model.flows.size());
  // The same bytes twice.
  CHECK(gen::generate_stop_report(c.model, c.kiss).content == f.content);
}

TEST_CASE("docs: strings YAML would read as numbers, booleans or dates stay strings", "[docs]") {
  Compiled c;
  compile_text("odd.packdb",
               "pack t version \"1.0\" { description \"yes\" target supabase date \"2025-01-01\" }\n"
               "need multi_user \"true\"\n"
               "table notes owned by user { body text }\n"
               "output n markdown at \"2025-01-01\" persist high into notes.body\n",
               c);
  REQUIRE(c.kiss.proceed);
  for (const auto& f : c.files) {
    if (f.path.size() < 5 || f.path.compare(f.path.size() - 5, 5, ".yaml") != 0) continue;
    YAML::Node n = parse(f);
    (void)n;
  }
  YAML::Node audit = YAML::Load(file(c, gen::data_flow_audit_path(c.model)).content)["expansion_pack_audit"];
  CHECK(audit["version"].as<std::string>() == "1.0");
  CHECK(audit["version"].Tag() == "!");  // quoted: a string, not the float 1.0
  CHECK(audit["description"].Tag() == "!");
  CHECK(audit["data_outputs"][0]["location"].Tag() == "!");
  YAML::Node plan = YAML::Load(file(c, gen::migration_plan_path(c.model)).content)["migration_plan"];
  CHECK(plan["phase_1_foundation"]["version"].Tag() == "!");
}
