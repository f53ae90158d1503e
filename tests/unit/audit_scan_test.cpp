// `packdbc audit`: path expressions, the touchpoint detectors and the manifest reader, on
// text held in memory.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/audit/detect.hpp"
#include "compiler/audit/manifest.hpp"
#include "compiler/audit/pathexpr.hpp"

using namespace packdb::audit;

namespace {

std::string eval(const std::string& e, Lang lang = Lang::python, Consts c = {}) {
  return eval_path(e, c, lang).value_or("<none>");
}

// "w outputs/x.json json @3" for each path use, sorted.
std::vector<std::string> uses(const FileFacts& f) {
  std::vector<std::string> out;
  for (const auto& u : f.paths)
    out.push_back(std::string(u.access == Access::write ? "w " : "r ") + u.path +
                  (u.folder && u.path.back() != '/' ? "/" : "") +
                  (u.format.empty() ? "" : " " + u.format) + " @" + std::to_string(u.ev.line));
  std::sort(out.begin(), out.end());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("audit: path expressions become templated paths") {
  CHECK(eval("\"outputs/minds\"") == "outputs/minds");
  CHECK(eval("f\"outputs/minds/{slug}/kb/\"") == "outputs/minds/{slug}/kb/");
  CHECK(eval("f\"outputs/{mind.slug}/{i:03d}.json\"") == "outputs/{slug}/{i}.json");
  CHECK(eval("os.path.join(OUT, slug, \"analysis\")", Lang::python, {{"OUT", "outputs/minds"}}) ==
        "outputs/minds/{slug}/analysis");
  CHECK(eval("Path(OUT) / slug / \"kb\" / f\"{slug}.json\"", Lang::python, {{"OUT", "outputs/minds"}}) ==
        "outputs/minds/{slug}/kb/{slug}.json");
  CHECK(eval("os.path.join(os.path.dirname(__file__), \"data\", \"x.json\")") == "data/x.json");
  CHECK(eval("os.environ.get(\"OUT_DIR\", \"outputs\")") == "outputs");
  CHECK(eval("Path(__file__).parent / \"state.json\"") == "state.json");
  CHECK(eval("\"outputs/\" + slug + \"/kb\"") == "outputs/{slug}/kb");
  CHECK(eval("`generated/${brief.slug}/report.json`", Lang::js) == "generated/{slug}/report.json");
  CHECK(eval("path.join(__dirname, 'data', name)", Lang::js) == "data/{name}");
  CHECK(eval("process.env.OUT_DIR || 'out'", Lang::js) == "out");
  CHECK(eval("some_call(x)") == "<none>");
  CHECK(eval("slug") == "<none>");  // no literal: not a path
  CHECK(shell_word("\"$ARCHIVE/$RUN_ID/build.log\"", {{"ARCHIVE", "artifacts/runs"}}) == "artifacts/runs/{run_id}/build.log");
  CHECK(shell_word("${OUT:-outputs}/x.md", {}) == "outputs/x.md");
  CHECK(normalize_literal("docs/{{game_name}}-brief.md", Lang::other, false) == "docs/{game_name}-brief.md");
  CHECK(clean_path("./a//b/./c") == "a/b/c");
}

TEST_CASE("audit: what looks like a data path") {
  CHECK(looks_like_path("outputs/minds/{slug}/kb/"));
  CHECK(looks_like_path("state.json"));
  CHECK(looks_like_path("config/mind-config.yaml"));
  CHECK_FALSE(looks_like_path("https://api.example.com/v1"));
  CHECK_FALSE(looks_like_path("application/json"));
  CHECK_FALSE(looks_like_path("hello world.md"));
  CHECK_FALSE(looks_like_path("utf-8"));
  CHECK_FALSE(looks_like_path("/dev/null"));
}

TEST_CASE("audit: Python reads, writes, dumps, state and Supabase") {
  const std::string src =
      "import json, os\n"
      "from supabase import create_client\n"
      "OUT = 'outputs/minds'\n"
      "def run(slug):\n"
      "    with open(f'sources/{slug}.md') as f:\n"
      "        text = f.read()\n"
      "    with open(os.path.join(OUT, slug, 'kb.json'), 'w') as out:\n"
      "        json.dump({'text': text}, out)\n"
      "    state = {'status': 'in_progress'}\n"
      "    state['status'] = 'completed'\n"
      "    client = create_client(os.environ['SUPABASE_URL'], os.getenv('SUPABASE_KEY'))\n"
      "    client.table('minds').insert({'slug': slug}).execute()\n"
      "    cur.execute(\"SELECT id FROM minds WHERE slug = %s\", (slug,))\n";
  FileFacts f = scan_file("scripts/run.py", src, FileKind::python);
  auto u = uses(f);
  INFO(Catch::Detail::stringify(u));
  CHECK(has(u, "r sources/{slug}.md @5"));
  CHECK(has(u, "w outputs/minds/{slug}/kb.json @7"));
  CHECK(has(u, "w outputs/minds/{slug}/kb.json json @8"));
  std::vector<std::string> st;
  for (const auto& s : f.statuses) st.push_back(s.key + "=" + s.value);
  CHECK(has(st, "status=in_progress"));
  CHECK(has(st, "status=completed"));
  std::vector<std::string> env;
  for (const auto& [n, e] : f.env) env.push_back(n);
  CHECK(has(env, "SUPABASE_URL"));
  CHECK(has(env, "SUPABASE_KEY"));
  std::vector<std::string> db;
  for (const auto& d : f.db) db.push_back(d.kind + ":" + d.table + ":" + d.operation);
  INFO(Catch::Detail::stringify(db));
  CHECK(has(db, "supabase::connect"));
  CHECK(has(db, "supabase:minds:insert"));
  CHECK(has(db, "sql:minds:select"));
}

TEST_CASE("audit: JavaScript files, env, routes and calls") {
  const std::string src =
      "import fs from 'node:fs';\n"
      "const OUT = 'generated/reports';\n"
      "fs.writeFileSync(`${OUT}/${slug}/r.json`, JSON.stringify(x));\n"
      "const b = fs.readFileSync('inputs/briefs/a.md', 'utf8');\n"
      "const url = process.env.DATABASE_URL;\n"
      "app.post('/api/briefs', handler);\n"
      "await fetch('https://user:pw@api.example.com/v1/x?key=SECRET', { method: 'PUT' });\n"
      "const s = Array.from('abc');\n";
  FileFacts f = scan_file("src/a.mjs", src, FileKind::js);
  auto u = uses(f);
  INFO(Catch::Detail::stringify(u));
  CHECK(has(u, "w generated/reports/{slug}/r.json json @3"));
  CHECK(has(u, "r inputs/briefs/a.md @4"));
  REQUIRE(f.env.size() == 1);
  CHECK(f.env[0].first == "DATABASE_URL");
  REQUIRE(f.endpoints.size() == 2);
  std::vector<std::string> eps;
  for (const auto& [e, ev] : f.endpoints) eps.push_back(e.direction + " " + e.method + " " + e.target);
  std::sort(eps.begin(), eps.end());
  CHECK(eps[0] == "calls PUT https://api.example.com/v1/x");  // no credentials, no query
  CHECK(eps[1] == "serves POST /api/briefs");
  CHECK(f.db.empty());  // Array.from is not Supabase
}

TEST_CASE("audit: shell redirections, mkdir, psql and curl") {
  const std::string src =
      "#!/bin/sh\n"
      "ARCHIVE=artifacts/runs\n"
      "mkdir -p \"$ARCHIVE/$RUN_ID\"\n"
      "node build.mjs > \"$ARCHIVE/$RUN_ID/build.log\" 2>&1\n"
      "psql \"$SUPABASE_DB_URL\" -c \"INSERT INTO runs (id) VALUES (1)\" >/dev/null\n"
      "curl -d @x.json https://hooks.example.com/p?token=1\n"
      "cat < inputs/list.txt\n";
  FileFacts f = scan_file("run.sh", src, FileKind::shell);
  auto u = uses(f);
  INFO(Catch::Detail::stringify(u));
  CHECK(has(u, "w artifacts/runs/{run_id}/ @3"));
  CHECK(has(u, "w artifacts/runs/{run_id}/build.log @4"));
  CHECK(has(u, "r inputs/list.txt @7"));
  CHECK(u.size() == 3);
  std::vector<std::string> env;
  for (const auto& [n, e] : f.env) env.push_back(n);
  CHECK(has(env, "SUPABASE_DB_URL"));
  CHECK(has(env, "RUN_ID"));
  CHECK_FALSE(has(env, "ARCHIVE"));  // set by the script itself
  std::vector<std::string> db;
  for (const auto& d : f.db) db.push_back(d.kind + ":" + d.table + ":" + d.operation);
  CHECK(has(db, "postgres::connect"));
  CHECK(has(db, "sql:runs:insert"));
  REQUIRE(f.endpoints.size() == 1);
  CHECK(f.endpoints[0].first.method == "POST");
  CHECK(f.endpoints[0].first.target == "https://hooks.example.com/p");
}

TEST_CASE("audit: env files give names, never values") {
  FileFacts f = scan_file(".env.example", "# c\nSUPABASE_DB_URL=postgres://u:secret@h/db\nexport API_KEY='k'\n", FileKind::env);
  REQUIRE(f.env.size() == 2);
  CHECK(f.env[0].first == "SUPABASE_DB_URL");
  CHECK(f.env[1].first == "API_KEY");
  for (const auto& [n, e] : f.env) CHECK(e.what.find("secret") == std::string::npos);
  CHECK(database_env_name("SUPABASE_DB_URL"));
  CHECK(database_env_name("DATABASE_URL"));
  CHECK_FALSE(database_env_name("OPENAI_API_KEY"));
}

TEST_CASE("audit: BMad templates name the document they write") {
  FileFacts f = scan_file("templates/brief-tmpl.yaml",
                          "template:\n  id: x\n  output:\n    format: markdown\n    filename: docs/{{game_name}}-brief.md\n",
                          FileKind::yaml);
  CHECK(f.template_output == "docs/{game_name}-brief.md");
  CHECK(f.template_format == "markdown");
  CHECK(f.template_line == 5);
}

TEST_CASE("audit: markdown prose and fenced scripts") {
  const std::string src =
      "# Task\n"
      "Save the prompt to `outputs/minds/{slug}/system_prompts/`.\n"
      "```bash\n"
      "echo done > outputs/done.txt\n"
      "```\n"
      "Read `docs/prd.md` first.\n";
  FileFacts f = scan_file("tasks/t.md", src, FileKind::markdown);
  auto u = uses(f);
  INFO(Catch::Detail::stringify(u));
  CHECK(has(u, "w outputs/minds/{slug}/system_prompts/ @2"));
  CHECK(has(u, "w outputs/done.txt @4"));
  CHECK(u.size() == 2);  // docs/ is no data root: not a touchpoint by itself
}

TEST_CASE("audit: an invalid manifest is reported with line:col and read line by line") {
  Walk w;
  w.files = {{"config.yaml", 10}, {"agents/writer.md", 5}};
  w.dirs = {"agents"};
  auto m = read_manifest(
      {{"config.yaml", "name: broken\nversion: 2.1.0\ndescription: >-\n  two\n  lines\nagents:\n  - a.md\n  bad: indent\n"}}, w);
  CHECK(m.info.used == "config.yaml");
  CHECK(m.info.salvaged);
  CHECK(m.info.name == "broken");
  CHECK(m.info.version == "2.1.0");
  CHECK(m.info.description == "two lines");
  REQUIRE(!m.info.problems.empty());
  CHECK(m.info.problems[0].rfind("config.yaml:8:", 0) == 0);
}

TEST_CASE("audit: manifests that disagree, and files a manifest declares but the folder lacks") {
  Walk w;
  w.files = {{"config.yaml", 10}, {"squad.yaml", 10}, {"agents/a.md", 5}, {"tasks/t.md", 5}};
  w.dirs = {"agents", "tasks"};
  auto m = read_manifest({{"config.yaml", "name: p\nversion: 1.0.0\ncomponents:\n  agents: [a.md, b.md]\n  tasks:\n    - t\n"},
                          {"squad.yaml", "name: p\nversion: 1.1.0\n"}},
                         w);
  CHECK(m.info.used == "config.yaml");
  CHECK(m.info.version == "1.0.0");
  REQUIRE(m.info.problems.size() == 1);
  CHECK(m.info.problems[0] == "config.yaml and squad.yaml disagree on version: `1.0.0` and `1.1.0`; config.yaml is used");
  REQUIRE(m.info.missing_files.size() == 1);
  CHECK(m.info.missing_files[0].text() == "config.yaml:4: declares `agents/b.md`, which the folder lacks");
}

TEST_CASE("audit: manifest locations of a BMad pack are data touchpoints") {
  Walk w;
  auto m = read_manifest({{"config.yaml", "name: g\nqa:\n  qaLocation: docs/qa\nprd:\n  prdFile: docs/prd.md\n  epicFilePattern: "
                                          "epic-{n}*.md\ndevLoadAlwaysFiles:\n  - docs/architecture/tech-stack.md\n"}},
                         w);
  REQUIRE(m.locations.size() == 3);
  std::vector<std::string> got;
  for (const auto& l : m.locations) got.push_back(l.key + "=" + l.path + (l.input ? " (read)" : ""));
  std::sort(got.begin(), got.end());
  CHECK(got[0] == "devLoadAlwaysFiles=docs/architecture/tech-stack.md (read)");
  CHECK(got[1] == "prdFile=docs/prd.md");
  CHECK(got[2] == "qaLocation=docs/qa");
}
