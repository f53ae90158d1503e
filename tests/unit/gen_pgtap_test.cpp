// The pgTAP generator, on the hand-built models of gen_sql_test.cpp.
#include <catch2/catch.hpp>

#include <regex>

#include "compiler/gen/pgtap.hpp"

using namespace packdb;

namespace gen_test {
model::Model mmos_model(bool vector);
model::Model extend_model();
model::Model postgres_model();
}  // namespace gen_test

namespace {

// The number of pgTAP assertions in a file: every statement starting a line with
// `select <function>(` (the CTE checks end in such a line too), except plan() itself.
int count_assertions(const std::string& sql) {
  static const std::regex test_line(R"(^select ([a-z_]+)\()");
  int n = 0;
  std::size_t start = 0;
  while (start < sql.size()) {
    std::size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    std::string line = sql.substr(start, end - start);
    std::smatch mt;
    if (std::regex_search(line, mt, test_line) && mt[1] != "plan") ++n;
    start = end + 1;
  }
  return n;
}

int planned(const std::string& sql) {
  std::smatch mt;
  static const std::regex plan_re(R"(select plan\(([0-9]+)\);)");
  REQUIRE(std::regex_search(sql, mt, plan_re));
  return std::stoi(mt[1]);
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("pgtap: file name, transaction and an exact plan") {
  for (bool vector : {false, true}) {
    auto m = gen_test::mmos_model(vector);
    auto f = gen::generate_pgtap(m);
    CHECK(f.path == "supabase/tests/mmos_rls.test.sql");
    const std::string& s = f.content;
    CHECK(contains(s, "\nbegin;\ncreate extension if not exists pgtap;\nselect plan("));
    const std::string tail = "\nselect * from finish();\nrollback;\n";
    REQUIRE(s.size() > tail.size());
    CHECK(s.substr(s.size() - tail.size()) == tail);
    CHECK(planned(s) == count_assertions(s));
    CHECK(planned(s) > 100);
  }
  auto e = gen_test::extend_model();
  auto fe = gen::generate_pgtap(e);
  CHECK(fe.path == "supabase/tests/proj_ext_rls.test.sql");
  CHECK(planned(fe.content) == count_assertions(fe.content));
}

TEST_CASE("pgtap: structure tests for every table, policy, foreign key and index") {
  auto m = gen_test::mmos_model(true);
  const std::string s = gen::generate_pgtap(m).content;
  for (const auto& t : m.tables) {
    CHECK(contains(s, "select has_table('public', '" + t.name + "', "));
    CHECK(contains(s, "select has_pk('public', '" + t.name + "', "));
    CHECK(contains(s, "where c.oid = 'public." + t.name + "'::regclass), 'row level security is enabled on public." + t.name + "');"));
    CHECK(contains(s, "select policies_are('public', '" + t.name + "', "));
    for (const auto& fk : t.foreign_keys) CHECK(contains(s, "'" + t.name + "', array['" + fk.columns[0] + "']::name[], "));
    for (const auto& ix : t.indexes) CHECK(contains(s, "select has_index('public', '" + t.name + "', '" + ix.name + "', "));
  }
  CHECK(contains(s, "select policies_are('public', 'minds', array['minds_select_own', 'minds_insert_own', 'minds_update_own', 'minds_delete_own']::name[], "));
  CHECK(contains(s, "select policies_are('public', 'ingest_jobs', '{}'::name[], "));
  CHECK(contains(s, "select fk_ok('public', 'minds', array['user_id']::name[], 'auth', 'users', array['id']::name[], "));
  CHECK(contains(s, "'public.mind_system_prompts(mind_id) leads an index'"));
  CHECK(contains(s, "'public.minds(user_id) leads an index'"));
  CHECK(contains(s, "select has_extension('extensions', 'vector', "));
  CHECK(contains(s, "select enum_has_labels('public', 'mind_status', array['pending', 'processing', 'completed', 'failed', 'archived']::name[], "));
  CHECK(contains(s, "select has_trigger('public', 'minds', 'minds_set_updated_at', "));
  CHECK(contains(s, "p.proconfig @> array['search_path=\"\"']"));
  CHECK(contains(s, "where n.nspname = 'public' and p.proname = 'search_mind_knowledge'"));
  CHECK(contains(s, "c.reloptions @> array['security_invoker=true']"));
}

TEST_CASE("pgtap: RLS isolation as real roles") {
  auto m = gen_test::mmos_model(true);
  const std::string s = gen::generate_pgtap(m).content;
  // two users, created as the superuser
  CHECK(contains(s, "insert into auth.users (id) values ('00000000-0000-4000-8000-00000000000a'::uuid), ('00000000-0000-4000-8000-00000000000b'::uuid);"));
  // A writes its own rows (the owner from its default) and down the FK chain
  CHECK(contains(s, "set local role authenticated;\nset local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';"));
  CHECK(contains(s, "$$ insert into public.minds (id, slug, name) values ('00000000-0000-4000-a000-000000000001'::uuid, 'sample-minds-a', 'sample-minds-a') $$"));
  CHECK(contains(s, "insert into public.mind_knowledge_chunks (id, mind_id, chunk_text, embedding) values ('00000000-0000-4000-a000-000000000007'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 'sample-mind_knowledge_chunks-a', array_fill(0.1::real, array[3])::extensions.vector)"));
  // rows of tables users cannot write come from the superuser
  CHECK(contains(s, "'setup: a row in public.prompt_templates (as the superuser, bypassing RLS)'"));
  CHECK(contains(s, "insert into public.tags (id, label) values ('00000000-0000-4000-b000-000000000003'::uuid, 'sample-tags-a')"));
  // B: sees nothing, cannot forge, cannot write under A's rows, cannot change or delete
  CHECK(contains(s, "set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000b';"));
  CHECK(contains(s, "select is((select count(*) from public.minds), 0::bigint, 'user B sees none of user A''s rows in public.minds');"));
  CHECK(contains(s, "$$ insert into public.minds (user_id, slug, name) values ('00000000-0000-4000-8000-00000000000a'::uuid, 'sample-minds-b', 'sample-minds-b') $$,\n  '42501', 'new row violates row-level security policy for table \"minds\"',"));
  CHECK(contains(s, "'user B cannot add a row under user A''s minds in public.mind_system_prompts'"));
  CHECK(contains(s, "with changed as (update public.minds set id = id returning 1)\nselect is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.minds') from changed;"));
  CHECK(contains(s, "with gone as (delete from public.minds returning 1)"));
  CHECK(contains(s, "'signed-in users cannot write to public.prompt_templates'"));
  CHECK(contains(s, "select ok((select count(*) from public.tags) > 0, 'signed-in users can read public.tags');"));
  CHECK(contains(s, "from public.search_mind_knowledge('00000000-0000-4000-a000-000000000001'::uuid, array_fill(0.1::real, array[3])::extensions.vector)), 0::bigint, "));
  CHECK(contains(s, "select is((select count(*) from public.active_minds), 0::bigint, "));
  // A sees its own
  CHECK(contains(s, "select is((select count(*) from public.mind_tags), 1::bigint, 'user A sees its own row in public.mind_tags');"));
  // anon sees nothing private, but the public catalog
  CHECK(contains(s, "set local role anon;\nset local request.jwt.claim.sub = '';"));
  CHECK(contains(s, "'anon sees no rows of public.tags'"));
  CHECK(contains(s, "select ok((select count(*) from public.prompt_templates) > 0, 'anon can read public.prompt_templates');"));
  // service_role reaches the service-only table
  CHECK(contains(s, "set local role service_role;"));
  CHECK(contains(s, "'service_role reaches the rows of public.ingest_jobs'"));
  // and the role is reset before finish()
  CHECK(contains(s, "reset role;\n\nselect * from finish();"));
  // the order of the blocks
  CHECK(s.find("user A can create a row in public.minds") < s.find("user B sees none"));
  CHECK(s.find("user B sees none") < s.find("user A sees its own row"));
  CHECK(s.find("user A sees its own row") < s.find("set local role anon;"));
}

TEST_CASE("pgtap: custom and existing tables get structure tests only, and say why") {
  auto m = gen_test::extend_model();
  const std::string s = gen::generate_pgtap(m).content;
  CHECK(contains(s, "-- public.projects: structure tests only (it is an existing table"));
  CHECK(contains(s, "-- public.project_notes: no sample row, so no RLS behaviour tests"));
  CHECK(contains(s, "select has_column('public', 'projects', 'pack_kind', "));
  CHECK(!contains(s, "policies_are('public', 'projects'"));  // other policies may exist on it
  CHECK(!contains(s, "lives_ok"));
  CHECK(!contains(s, "throws_ok"));
}

TEST_CASE("pgtap: a profile without auth.users or anon (plain postgres)") {
  auto m = gen_test::postgres_model();
  const std::string s = gen::generate_pgtap(m).content;
  CHECK(!contains(s, "auth.users"));
  CHECK(!contains(s, "set local role anon"));
  CHECK(contains(s, "set local role app_user;\nset local app.user_id = '00000000-0000-4000-8000-00000000000a';"));
  CHECK(contains(s, "-- No anonymous role in the profile: no anonymous-access tests."));
  CHECK(planned(s) == count_assertions(s));
}

TEST_CASE("pgtap: output is deterministic") {
  CHECK(gen::generate_pgtap(gen_test::mmos_model(true)).content == gen::generate_pgtap(gen_test::mmos_model(true)).content);
}
