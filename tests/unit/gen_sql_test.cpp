// The phase planner and the migration generator, on checked models built by hand (the
// resolver's output, as it will be once wired). The models here are also used by
// gen_pgtap_test.cpp (declared there), and a hidden test writes their output to a folder for
// tests/db/roundtrip.sh:
//   PACKDB_GEN_DUMP=/tmp/out ./packdb_unit_tests '[.dump]'
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <regex>
#include <set>

#include "compiler/gen/pgtap.hpp"
#include "compiler/gen/sql.hpp"
#include "compiler/plan/phases.hpp"

using namespace packdb;

namespace gen_test {

model::Profile supabase_profile() {
  model::Profile p;
  p.name = "supabase";
  p.user_table = "auth.users";
  p.current_user_sql = "(select auth.uid())";
  p.owner_default = "auth.uid()";
  p.user_role = "authenticated";
  p.anon_role = "anon";
  p.service_role = "service_role";
  p.jwt_sub_setting = "request.jwt.claim.sub";
  return p;
}

model::SqlType ty(std::string base, std::vector<long long> params = {}, int dims = 0) {
  model::SqlType t;
  t.base = std::move(base);
  t.params = std::move(params);
  t.array_dims = dims;
  return t;
}

model::Column col(std::string name, model::SqlType t, bool nullable = false, std::string def = {},
                  model::ColumnOrigin origin = model::ColumnOrigin::spec) {
  model::Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  c.default_sql = std::move(def);
  c.origin = origin;
  return c;
}

namespace {

model::Index index(std::string name, std::vector<std::string> cols, model::IndexOrigin origin = model::IndexOrigin::spec) {
  model::Index ix;
  ix.name = std::move(name);
  for (auto& c : cols) ix.columns.push_back({c, "", false});
  ix.origin = origin;
  return ix;
}

model::Policy policy(std::string name, model::Command cmd, std::string using_sql, std::string check_sql,
                     std::vector<std::string> roles = {"authenticated"}) {
  model::Policy p;
  p.name = std::move(name);
  p.command = cmd;
  p.roles = std::move(roles);
  p.using_sql = std::move(using_sql);
  p.check_sql = std::move(check_sql);
  return p;
}

model::ForeignKey fk(std::string name, std::vector<std::string> cols, std::string ref, model::OnDelete del,
                     bool to_parent = false, bool to_user = false) {
  model::ForeignKey f;
  f.name = std::move(name);
  f.columns = std::move(cols);
  f.ref_table = std::move(ref);
  f.ref_columns = {"id"};
  f.on_delete = del;
  f.to_parent = to_parent;
  f.to_user = to_user;
  return f;
}

// The implicit parts every table gets from the supabase profile.
model::Table base_table(std::string name, std::string purpose) {
  model::Table t;
  t.name = std::move(name);
  t.purpose = std::move(purpose);
  t.columns.push_back(col("id", ty("uuid"), false, "gen_random_uuid()", model::ColumnOrigin::key));
  t.primary_key = {"id"};
  return t;
}

void add_owner(model::Table& t) {
  t.owned = true;
  t.columns.push_back(col("user_id", ty("uuid"), false, "auth.uid()", model::ColumnOrigin::owner));
  t.foreign_keys.push_back(fk(t.name + "_user_id_fkey", {"user_id"}, "auth.users", model::OnDelete::cascade, false, true));
  const std::string me = "user_id = (select auth.uid())";
  t.policies.push_back(policy(t.name + "_select_own", model::Command::select, me, ""));
  t.policies.push_back(policy(t.name + "_insert_own", model::Command::insert, "", me));
  t.policies.push_back(policy(t.name + "_update_own", model::Command::update, me, me));
  t.policies.push_back(policy(t.name + "_delete_own", model::Command::delete_, me, ""));
  t.access.push_back(model::AccessRule::owner);
}

void add_parent(model::Model& m, model::Table& t, const std::string& parent, const std::string& column) {
  int pi = m.table_index(parent);
  t.parent = pi;
  t.depth = m.tables[pi].depth + 1;
  t.columns.push_back(col(column, ty("uuid"), false, {}, model::ColumnOrigin::parent));
  t.foreign_keys.push_back(fk(t.name + "_" + column + "_fkey", {column}, parent, model::OnDelete::cascade, true));
  const std::string via = "exists (select 1 from public." + parent + " p where p.id = " + t.name + "." + column +
                          " and p.user_id = (select auth.uid()))";
  t.policies.push_back(policy(t.name + "_select_via_" + parent, model::Command::select, via, ""));
  t.policies.push_back(policy(t.name + "_insert_via_" + parent, model::Command::insert, "", via));
  t.policies.push_back(policy(t.name + "_update_via_" + parent, model::Command::update, via, via));
  t.policies.push_back(policy(t.name + "_delete_via_" + parent, model::Command::delete_, via, ""));
  t.access.push_back(model::AccessRule::inherited);
}

void add_timestamps(model::Table& t, bool updated) {
  t.columns.push_back(col("created_at", ty("timestamptz"), false, "now()", model::ColumnOrigin::created));
  if (updated) {
    t.columns.push_back(col("updated_at", ty("timestamptz"), false, "now()", model::ColumnOrigin::updated));
    t.has_updated_at = true;
  }
}

}  // namespace

// The seed's MMOS design, plus one table of each access kind. With `vector`, the knowledge
// chunks with an HNSW index and the search function (needs pgvector).
model::Model mmos_model(bool vector) {
  model::Model m;
  m.pack = "mmos";
  m.version = "2.0.0";
  m.description = "Cognitive clones (minds) built from interviews";
  m.date = "20251027";
  m.profile = supabase_profile();
  m.enums.push_back({"mind_status", {"pending", "processing", "completed", "failed", "archived"}, {}});

  {  // minds: owned root
    model::Table t = base_table("minds", "Store cognitive clone definitions");
    add_owner(t);
    t.columns.push_back(col("slug", ty("text")));
    t.columns.push_back(col("name", ty("text")));
    t.columns.push_back(col("personality_type", ty("text"), true));
    model::SqlType st = ty("mind_status");
    st.enum_type = &m.enums[0];
    t.columns.push_back(col("status", st, false, "'pending'"));
    t.columns.push_back(col("version", ty("integer"), false, "1"));
    t.columns.push_back(col("cognitive_model", ty("jsonb"), true));
    t.columns.push_back(col("last_run_at", ty("timestamptz"), true));
    t.columns.push_back(col("validation_scores", ty("jsonb"), true));
    add_timestamps(t, true);
    t.uniques.push_back({"minds_user_id_slug_key", {"user_id", "slug"}, {}});
    t.checks.push_back({"minds_version_check", "version > 0", {}});
    model::Index st_ix = index("minds_status_idx", {"status"});
    st_ix.where_sql = "status = 'completed'";
    t.indexes.push_back(st_ix);
    m.tables.push_back(std::move(t));
  }
  {  // prompt_templates: a catalog everyone may read
    model::Table t = base_table("prompt_templates", "Prompt templates shared by every user");
    t.columns.push_back(col("title", ty("text")));
    t.columns.push_back(col("body", ty("text")));
    t.columns.push_back(col("tags", ty("text", {}, 1), false, "'{}'"));
    add_timestamps(t, false);
    t.uniques.push_back({"prompt_templates_title_key", {"title"}, {}});
    t.policies.push_back(policy("prompt_templates_read_all", model::Command::select, "true", "", {"anon", "authenticated"}));
    t.access.push_back(model::AccessRule::public_read);
    m.tables.push_back(std::move(t));
  }
  {  // tags: readable by signed-in users only
    model::Table t = base_table("tags", "Tags any signed-in user may use");
    t.columns.push_back(col("label", ty("varchar", {40})));
    t.policies.push_back(policy("tags_read_signed_in", model::Command::select, "true", ""));
    t.access.push_back(model::AccessRule::authenticated_read);
    m.tables.push_back(std::move(t));
  }
  {  // ingest_jobs: service only
    model::Table t = base_table("ingest_jobs", "Background ingestion jobs (service role only)");
    t.columns.push_back(col("source", ty("text")));
    t.columns.push_back(col("attempts", ty("smallint"), false, "0"));
    t.columns.push_back(col("payload", ty("jsonb")));
    add_timestamps(t, true);
    t.access.push_back(model::AccessRule::service_only);
    m.tables.push_back(std::move(t));
  }
  {  // mind_system_prompts: child of minds
    model::Table t = base_table("mind_system_prompts", "Version-controlled system prompts");
    add_parent(m, t, "minds", "mind_id");
    t.columns.push_back(col("version", ty("integer")));
    t.columns.push_back(col("prompt_type", ty("text")));
    t.columns.push_back(col("content", ty("text")));
    t.columns.push_back(col("metadata", ty("jsonb"), true));
    t.columns.push_back(col("template_id", ty("uuid"), true));
    t.foreign_keys.push_back(fk("mind_system_prompts_template_id_fkey", {"template_id"}, "prompt_templates",
                                model::OnDelete::set_null));
    add_timestamps(t, false);
    t.uniques.push_back({"mind_system_prompts_mind_id_version_prompt_type_key", {"mind_id", "version", "prompt_type"}, {}});
    t.indexes.push_back(index("mind_system_prompts_template_id_idx", {"template_id"}, model::IndexOrigin::foreign_key));
    m.tables.push_back(std::move(t));
  }
  {  // mind_tags: many-to-many between minds and tags
    model::Table t;
    t.name = "mind_tags";
    t.purpose = "Tags of a mind";
    t.columns.push_back(col("mind_id", ty("uuid"), false, {}, model::ColumnOrigin::link));
    t.columns.push_back(col("tag_id", ty("uuid"), false, {}, model::ColumnOrigin::link));
    add_timestamps(t, false);
    t.primary_key = {"mind_id", "tag_id"};
    t.foreign_keys.push_back(fk("mind_tags_mind_id_fkey", {"mind_id"}, "minds", model::OnDelete::cascade));
    t.foreign_keys.push_back(fk("mind_tags_tag_id_fkey", {"tag_id"}, "tags", model::OnDelete::cascade));
    t.indexes.push_back(index("mind_tags_tag_id_idx", {"tag_id"}, model::IndexOrigin::foreign_key));
    t.links = {0, 2};
    t.depth = 1;
    const std::string via = "exists (select 1 from public.minds p where p.id = mind_tags.mind_id and p.user_id = (select auth.uid()))";
    t.policies.push_back(policy("mind_tags_select_via_minds", model::Command::select, via, ""));
    t.policies.push_back(policy("mind_tags_insert_via_minds", model::Command::insert, "", via));
    t.policies.push_back(policy("mind_tags_delete_via_minds", model::Command::delete_, via, ""));
    t.access.push_back(model::AccessRule::inherited);
    m.tables.push_back(std::move(t));
  }
  if (vector) {  // mind_knowledge_chunks: child of minds with an embedding
    model::Table t = base_table("mind_knowledge_chunks", "RAG-ready knowledge base");
    add_parent(m, t, "minds", "mind_id");
    t.columns.push_back(col("chunk_text", ty("text")));
    t.columns.push_back(col("embedding", ty("vector", {3})));
    t.columns.push_back(col("metadata", ty("jsonb"), true));
    add_timestamps(t, false);
    t.indexes.push_back(index("mind_knowledge_chunks_mind_id_idx", {"mind_id"}, model::IndexOrigin::foreign_key));
    model::Index hnsw;
    hnsw.name = "mind_knowledge_chunks_embedding_idx";
    hnsw.columns.push_back({"embedding", "vector_cosine_ops", false});
    hnsw.method = model::IndexMethod::hnsw;
    t.indexes.push_back(hnsw);
    m.tables.push_back(std::move(t));
    m.extensions.push_back("vector");

    model::Search s;
    s.name = "search_mind_knowledge";
    s.table = m.table_index("mind_knowledge_chunks");
    s.column = "embedding";
    s.vector_type = ty("vector", {3});
    s.metric_operator = "<=>";
    s.param = "query_embedding";
    s.filter_params.push_back({"mind", ty("uuid")});
    s.where_sql = "mind_knowledge_chunks.mind_id = search_mind_knowledge.mind";
    s.limit = 10;
    s.returned_columns = {"id", "chunk_text"};
    m.searches.push_back(s);
  }
  // The `minds` policies index: the owner column leads the unique (user_id, slug) index.
  // The child FK columns lead their unique / FK indexes.
  model::View v;
  v.name = "active_minds";
  v.table = 0;
  v.where_sql = "status = 'completed'";
  v.columns = {"id", "slug", "name", "status"};
  m.views.push_back(v);

  model::SeedRow s1;
  s1.table = 0;
  s1.values = {{"slug", "'test-mind'"}, {"name", "'Test Mind'"}};
  s1.owner_literal = "'00000000-0000-0000-0000-000000000001'";
  m.seeds.push_back(s1);
  model::SeedRow s2;
  s2.table = 1;
  s2.values = {{"title", "'Generalist'"}, {"body", "'You are a helpful clone of {name}.'"}};
  m.seeds.push_back(s2);
  model::SeedRow s3;
  s3.table = m.table_index("mind_system_prompts");
  s3.values = {{"mind_id", "'00000000-0000-0000-0000-0000000000f1'"},
               {"version", "1"},
               {"prompt_type", "'generalista'"},
               {"content", "'Hello'"}};
  m.seeds.push_back(s3);
  return m;
}

// The same design on plain PostgreSQL (stdlib/postgres.packdb): no auth schema, the user from
// a setting, no anon or service role.
model::Model postgres_model() {
  model::Model m = mmos_model(false);
  const std::string me = "(select nullif(current_setting('app.user_id', true), '')::uuid)";
  m.profile.name = "postgres";
  m.profile.user_table = "";
  m.profile.current_user_sql = me;
  m.profile.owner_default = "nullif(current_setting('app.user_id', true), '')::uuid";
  m.profile.user_role = "app_user";
  m.profile.anon_role = "";
  m.profile.service_role = "";
  m.profile.jwt_sub_setting = "app.user_id";
  m.profile.extension_schema = "public";
  auto replace_all = [](std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  };
  for (auto& t : m.tables) {
    std::erase_if(t.foreign_keys, [](const model::ForeignKey& f) { return f.to_user; });
    for (auto& c : t.columns)
      if (c.origin == model::ColumnOrigin::owner) c.default_sql = m.profile.owner_default;
    for (auto& p : t.policies) {
      replace_all(p.using_sql, "(select auth.uid())", me);
      replace_all(p.check_sql, "(select auth.uid())", me);
      for (auto& r : p.roles)
        if (r == "authenticated" || r == "anon") r = "app_user";
      std::sort(p.roles.begin(), p.roles.end());
      p.roles.erase(std::unique(p.roles.begin(), p.roles.end()), p.roles.end());
    }
  }
  // minds(user_id) leads the unique (user_id, slug) index; nothing else to index.
  return m;
}

// A brownfield pack: `extend table projects` (an existing table) plus a new child of it.
model::Model extend_model() {
  model::Model m;
  m.pack = "proj-ext";
  m.profile = supabase_profile();
  model::Table t;
  t.name = "projects";
  t.existing = true;
  t.columns.push_back(col("pack_kind", ty("text"), true));
  t.columns.push_back(col("pack_rank", ty("integer"), false, "0"));
  t.checks.push_back({"projects_pack_rank_check", "pack_rank >= 0", {}});
  t.indexes.push_back(index("projects_pack_kind_idx", {"pack_kind"}));
  t.policies.push_back(policy("projects_select_own", model::Command::select, "owner_id = (select auth.uid())", ""));
  t.has_updated_at = true;
  t.access.push_back(model::AccessRule::custom);
  m.tables.push_back(t);

  model::Table n = base_table("project_notes", "Notes on a project");
  n.columns.push_back(col("project_id", ty("uuid")));
  n.columns.push_back(col("body", ty("text")));
  n.foreign_keys.push_back(fk("project_notes_project_id_fkey", {"project_id"}, "projects", model::OnDelete::cascade, true));
  n.indexes.push_back(index("project_notes_project_id_idx", {"project_id"}, model::IndexOrigin::foreign_key));
  n.parent = 0;
  n.depth = 1;
  n.policies.push_back(policy("project_notes_all", model::Command::all,
                              "exists (select 1 from public.projects p where p.id = project_notes.project_id)",
                              "exists (select 1 from public.projects p where p.id = project_notes.project_id)"));
  n.access.push_back(model::AccessRule::custom);
  m.tables.push_back(n);

  model::SeedRow s;
  s.table = 0;
  s.values = {{"pack_kind", "'demo'"}, {"pack_rank", "7"}};
  m.seeds.push_back(s);
  return m;
}

}  // namespace gen_test

namespace {

const gen::OutputFile* find(const std::vector<gen::OutputFile>& files, const std::string& path) {
  for (const auto& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

std::size_t pos(const std::vector<std::string>& stmts, const std::string& needle) {
  for (std::size_t i = 0; i < stmts.size(); ++i)
    if (stmts[i].find(needle) != std::string::npos) return i;
  return std::string::npos;
}

bool has(const std::vector<std::string>& stmts, const std::string& needle) { return pos(stmts, needle) != std::string::npos; }

}  // namespace

TEST_CASE("phases: versions are 14 digits, unique, ordered and consecutive") {
  auto m = gen_test::mmos_model(true);
  auto phases = plan::plan_phases(m, "20251027");
  REQUIRE(phases.size() == 3);
  std::regex digits("^[0-9]{14}$");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    CHECK(std::regex_match(phases[i].version, digits));
    CHECK(phases[i].version == "20251027" + std::string(5, '0') + std::to_string(i + 1));
    CHECK(seen.insert(phases[i].version).second);
    if (i) CHECK(phases[i - 1].version < phases[i].version);
  }
  CHECK(phases[0].name == "foundation");
  CHECK(phases[1].name == "extensions");
  CHECK(phases[2].name == "functions");
  CHECK_THROWS_AS(plan::plan_phases(m, "2025-10-27"), std::invalid_argument);
}

TEST_CASE("phases: empty phases are skipped and the rest numbered consecutively") {
  auto m = gen_test::mmos_model(false);
  m.views.clear();
  auto phases = plan::plan_phases(m, "20240101");
  REQUIRE(phases.size() == 2);
  CHECK(phases[1].version == "20240101000002");

  auto e = gen_test::extend_model();  // only existing tables and their children: no phase 1
  auto ep = plan::plan_phases(e, "20240101");
  REQUIRE(ep.size() == 1);
  CHECK(ep[0].kind == plan::PhaseKind::extensions);
  CHECK(ep[0].version == "20240101000001");
}

TEST_CASE("phases: each statement lands in its phase") {
  auto m = gen_test::mmos_model(true);
  auto phases = plan::plan_phases(m, "20251027");
  const auto& p1 = phases[0].up;
  const auto& p2 = phases[1].up;
  const auto& p3 = phases[2].up;

  // phase 1: extension, enum, trigger function, root tables with RLS and policies, seeds
  CHECK(has(p1, "create extension vector with schema extensions;"));
  CHECK(has(p1, "comment on extension vector is 'packdbc:mmos';"));
  CHECK(has(p1, "create type public.mind_status as enum ('pending', 'processing', 'completed', 'failed', 'archived');"));
  CHECK(has(p1, "create function public.mmos_set_updated_at()"));
  CHECK(has(p1, "set search_path = ''"));
  CHECK(has(p1, "create table public.minds (\n  id uuid not null default gen_random_uuid(),"));
  CHECK(has(p1, "  status public.mind_status not null default 'pending',"));
  CHECK(has(p1, "  constraint minds_pkey primary key (id),"));
  CHECK(has(p1, "  constraint minds_user_id_slug_key unique (user_id, slug),"));
  CHECK(has(p1, "  constraint minds_version_check check (version > 0),"));
  CHECK(has(p1, "  constraint minds_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade\n);"));
  CHECK(has(p1, "create index minds_status_idx on public.minds using btree (status) where status = 'completed';"));
  CHECK(has(p1, "alter table public.minds enable row level security;"));
  CHECK(has(p1, "create policy minds_select_own on public.minds\n  for select\n  to authenticated\n  using (user_id = (select auth.uid()));"));
  CHECK(has(p1, "create policy minds_insert_own on public.minds\n  for insert\n  to authenticated\n  with check (user_id = (select auth.uid()));"));
  CHECK(has(p1, "create trigger minds_set_updated_at\n  before update on public.minds\n  for each row execute function public.mmos_set_updated_at();"));
  CHECK(has(p1, "create policy prompt_templates_read_all on public.prompt_templates\n  for select\n  to anon, authenticated\n  using (true);"));
  CHECK(has(p1, "alter table public.ingest_jobs enable row level security;"));
  CHECK(!has(p1, "mind_system_prompts"));
  // seeds: the owned row only when its user exists; the catalog row unconditionally
  CHECK(has(p1, "insert into public.minds (slug, name, user_id)\n  select 'test-mind', 'Test Mind', "
                "'00000000-0000-0000-0000-000000000001'::uuid\n  where exists (select 1 from auth.users where id = "
                "'00000000-0000-0000-0000-000000000001'::uuid);"));
  CHECK(has(p1, "insert into public.prompt_templates (title, body)\n  values ('Generalist', 'You are a helpful clone of {name}.');"));
  // order: extension, enum and function before the tables; tables before their seeds
  CHECK(pos(p1, "create extension") < pos(p1, "create type"));
  CHECK(pos(p1, "create type") < pos(p1, "create table public.minds"));
  CHECK(pos(p1, "create function") < pos(p1, "create trigger"));
  CHECK(pos(p1, "create table public.minds") < pos(p1, "insert into public.minds"));

  // phase 2: children, link tables, their FKs and indexes, vector types qualified
  CHECK(has(p2, "create table public.mind_system_prompts ("));
  CHECK(has(p2, "constraint mind_system_prompts_mind_id_fkey foreign key (mind_id) references public.minds (id) on delete cascade"));
  CHECK(has(p2, "constraint mind_system_prompts_template_id_fkey foreign key (template_id) references public.prompt_templates (id) on delete set null"));
  CHECK(has(p2, "  constraint mind_tags_pkey primary key (mind_id, tag_id),"));
  CHECK(has(p2, "  embedding extensions.vector(3) not null,"));
  CHECK(has(p2, "create index mind_knowledge_chunks_embedding_idx on public.mind_knowledge_chunks using hnsw (embedding extensions.vector_cosine_ops);"));
  CHECK(has(p2, "alter table public.mind_knowledge_chunks enable row level security;"));
  CHECK(!has(p2, "create function public.mmos_set_updated_at"));
  // the child seed row waits for its parent
  CHECK(has(p2, "where exists (select 1 from public.minds where id = '00000000-0000-0000-0000-0000000000f1');"));
  CHECK(!has(p2, "create table public.minds"));

  // phase 3: search function and view
  CHECK(has(p3, "create function public.search_mind_knowledge(\n  mind uuid,\n  query_embedding extensions.vector(3),\n  match_count integer default 10\n)"));
  CHECK(has(p3, "returns table (id uuid, chunk_text text, similarity double precision)"));
  CHECK(has(p3, "security invoker\nset search_path = ''"));
  CHECK(has(p3, "order by mind_knowledge_chunks.embedding operator(extensions.<=>) search_mind_knowledge.query_embedding"));
  CHECK(has(p3, "limit search_mind_knowledge.match_count"));
  CHECK(has(p3, "(1 - (mind_knowledge_chunks.embedding operator(extensions.<=>) search_mind_knowledge.query_embedding))::double precision as similarity"));
  CHECK(has(p3, "where mind_knowledge_chunks.mind_id = search_mind_knowledge.mind"));
  CHECK(has(p3, "create view public.active_minds with (security_invoker = true) as\n  select id, slug, name, status\n  from public.minds\n  where status = 'completed';"));
}

TEST_CASE("phases: down scripts drop exactly what the up created, in reverse order") {
  auto m = gen_test::mmos_model(true);
  auto phases = plan::plan_phases(m, "20251027");
  const auto& d1 = phases[0].down;
  REQUIRE(d1.size() == 7);
  CHECK(d1[0] == "drop table public.ingest_jobs;");
  CHECK(d1[1] == "drop table public.tags;");
  CHECK(d1[2] == "drop table public.prompt_templates;");
  CHECK(d1[3] == "drop table public.minds;");
  CHECK(d1[4] == "drop function public.mmos_set_updated_at();");
  CHECK(d1[5] == "drop type public.mind_status;");
  CHECK(d1[6].find("drop extension vector;") != std::string::npos);
  CHECK(d1[6].find("obj_description(e.oid, 'pg_extension') = 'packdbc:mmos'") != std::string::npos);

  const auto& d2 = phases[1].down;
  REQUIRE(d2.size() == 3);
  CHECK(d2[0] == "drop table public.mind_knowledge_chunks;");
  CHECK(d2[1] == "drop table public.mind_tags;");
  CHECK(d2[2] == "drop table public.mind_system_prompts;");

  const auto& d3 = phases[2].down;
  REQUIRE(d3.size() == 2);
  CHECK(d3[0] == "drop view public.active_minds;");
  CHECK(d3[1] == "drop function public.search_mind_knowledge(uuid, extensions.vector(3), integer);");

  for (const auto& p : phases)
    for (const auto& s : p.down) {
      if (s.rfind("do $$", 0) == 0) continue;
      CHECK(s.find("if exists") == std::string::npos);
      CHECK(s.find("cascade") == std::string::npos);
    }
}

TEST_CASE("phases: existing tables are altered in phase 2 and restored exactly") {
  auto m = gen_test::extend_model();
  auto phases = plan::plan_phases(m, "20240101");
  REQUIRE(phases.size() == 1);
  const auto& up = phases[0].up;
  const auto& down = phases[0].down;
  CHECK(has(up, "alter table public.projects add column pack_kind text;"));
  CHECK(has(up, "alter table public.projects add column pack_rank integer not null default 0;"));
  CHECK(has(up, "alter table public.projects add constraint projects_pack_rank_check check (pack_rank >= 0);"));
  CHECK(has(up, "create index projects_pack_kind_idx on public.projects using btree (pack_kind);"));
  CHECK(has(up, "comment on policy projects_select_own on public.projects is 'packdbc:proj-ext:rls';"));
  CHECK(has(up, "create function public.proj_ext_set_updated_at()"));
  CHECK(has(up, "create trigger projects_set_updated_at"));
  CHECK(has(up, "constraint project_notes_project_id_fkey foreign key (project_id) references public.projects (id) on delete cascade"));
  // the up order: columns before the index, the policy before the RLS switch that marks it
  CHECK(pos(up, "add column pack_kind") < pos(up, "create index projects_pack_kind_idx"));
  CHECK(pos(up, "create policy projects_select_own") < pos(up, "enable row level security"));

  std::vector<std::string> expect_order = {
      "delete from public.projects",                              // the seed row
      "drop table public.project_notes;",                         // the new child
      "drop trigger projects_set_updated_at on public.projects;",
      "alter table public.projects disable row level security;",  // only if this pack enabled it
      "drop policy projects_select_own on public.projects;",
      "drop index public.projects_pack_kind_idx;",
      "alter table public.projects drop constraint projects_pack_rank_check;",
      "alter table public.projects drop column pack_rank;",
      "alter table public.projects drop column pack_kind;",
      "drop function public.proj_ext_set_updated_at();",
  };
  REQUIRE(down.size() == expect_order.size());
  for (std::size_t i = 0; i < down.size(); ++i) {
    INFO(down[i]);
    CHECK(down[i].find(expect_order[i]) != std::string::npos);
  }
  CHECK(has(down, "delete from public.projects\n  where pack_kind is not distinct from 'demo'\n    and pack_rank is not distinct from 7;"));
}

TEST_CASE("phases: a foreign key to a table created later is added once both exist") {
  auto m = gen_test::mmos_model(false);
  // minds (phase 1) refers to one of its own prompts (phase 2): a forward reference.
  m.tables[0].columns.push_back(gen_test::col("current_prompt_id", gen_test::ty("uuid"), true));
  model::ForeignKey f;
  f.name = "minds_current_prompt_id_fkey";
  f.columns = {"current_prompt_id"};
  f.ref_table = "mind_system_prompts";
  f.ref_columns = {"id"};
  f.on_delete = model::OnDelete::set_null;
  m.tables[0].foreign_keys.push_back(f);
  auto phases = plan::plan_phases(m, "20251027");
  CHECK(!has(phases[0].up, "minds_current_prompt_id_fkey"));
  CHECK(has(phases[1].up, "alter table public.minds add constraint minds_current_prompt_id_fkey foreign key (current_prompt_id) references public.mind_system_prompts (id) on delete set null;"));
  REQUIRE(!phases[1].down.empty());
  CHECK(phases[1].down.front() == "alter table public.minds drop constraint minds_current_prompt_id_fkey;");
}

TEST_CASE("phases: a cycle of foreign keys between root tables") {
  model::Model m;
  m.pack = "cyc";
  m.profile = gen_test::supabase_profile();
  for (const char* n : {"a", "b"}) {
    model::Table t;
    t.name = n;
    t.rls = false;  // keeps the statement list short
    t.columns.push_back(gen_test::col("id", gen_test::ty("uuid"), false, "gen_random_uuid()", model::ColumnOrigin::key));
    t.columns.push_back(gen_test::col(std::string(n[0] == 'a' ? "b" : "a") + "_id", gen_test::ty("uuid"), true));
    t.primary_key = {"id"};
    model::ForeignKey f;
    f.name = std::string(n) + "_fk";
    f.columns = {t.columns[1].name};
    f.ref_table = n[0] == 'a' ? "b" : "a";
    f.on_delete = model::OnDelete::set_null;
    t.foreign_keys.push_back(f);
    m.tables.push_back(t);
  }
  auto phases = plan::plan_phases(m, "20240101");
  REQUIRE(phases.size() == 1);
  const auto& up = phases[0].up;
  REQUIRE(up.size() == 3);
  CHECK(up[0].find("a_fk") == std::string::npos);  // b does not exist yet
  CHECK(up[1].find("constraint b_fk foreign key (a_id) references public.a on delete set null") != std::string::npos);
  CHECK(up[2] == "alter table public.a add constraint a_fk foreign key (b_id) references public.b on delete set null;");
  CHECK(phases[0].down == std::vector<std::string>{"alter table public.a drop constraint a_fk;", "drop table public.b;",
                                                   "drop table public.a;"});
}

TEST_CASE("migrations: file names, headers and statement layout") {
  auto m = gen_test::mmos_model(true);
  auto phases = plan::plan_phases(m, "20251027");
  auto files = gen::generate_migrations(m, phases);
  REQUIRE(files.size() == 6);
  const char* names[] = {"20251027000001_mmos_foundation", "20251027000002_mmos_extensions",
                         "20251027000003_mmos_functions"};
  for (const char* n : names) {
    const auto* up = find(files, std::string("supabase/migrations/") + n + ".sql");
    const auto* down = find(files, std::string("supabase/rollback/") + n + ".down.sql");
    REQUIRE(up);
    REQUIRE(down);
    CHECK(up->content.rfind("-- packdbc migration for pack mmos: phase ", 0) == 0);
    CHECK(down->content.rfind("-- packdbc rollback for pack mmos: phase ", 0) == 0);
    CHECK(up->content.back() == '\n');
    CHECK(down->content.back() == '\n');
    CHECK(up->content.find("20251027") == std::string::npos);  // no dates or versions in the text
    CHECK(up->content.find("\t") == std::string::npos);
  }
  const auto* f1 = find(files, "supabase/migrations/20251027000001_mmos_foundation.sql");
  CHECK(f1->content.find("--   - table public.minds — Store cognitive clone definitions (") != std::string::npos);
  CHECK(f1->content.find("\ncreate type public.mind_status as enum") != std::string::npos);

  // A pack name with a dash still gives <digits>_<word chars>.sql
  auto e = gen_test::extend_model();
  auto ef = gen::generate_migrations(e, plan::plan_phases(e, "20240101"));
  REQUIRE(ef.size() == 2);
  CHECK(ef[0].path == "supabase/migrations/20240101000001_proj_ext_extensions.sql");
  CHECK(ef[1].path == "supabase/rollback/20240101000001_proj_ext_extensions.down.sql");
}

TEST_CASE("migrations: output is deterministic") {
  auto a = gen_test::mmos_model(true);
  auto b = gen_test::mmos_model(true);
  auto fa = gen::generate_migrations(a, plan::plan_phases(a, "20251027"));
  auto fb = gen::generate_migrations(b, plan::plan_phases(b, "20251027"));
  REQUIRE(fa.size() == fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    CHECK(fa[i].path == fb[i].path);
    CHECK(fa[i].content == fb[i].content);
  }
}

TEST_CASE("sql helpers: types, names and identifiers") {
  auto m = gen_test::mmos_model(false);
  model::SqlType v;
  v.base = "vector";
  v.params = {1536};
  CHECK(plan::type_sql(m, v) == "extensions.vector(1536)");
  model::SqlType e;
  e.base = "mind_status";
  e.array_dims = 1;
  CHECK(plan::type_sql(m, e) == "public.mind_status[]");
  model::SqlType n;
  n.base = "numeric";
  n.params = {10, 2};
  CHECK(plan::type_sql(m, n) == "numeric(10,2)");
  CHECK(plan::pack_ident("Creator-OS") == "creator_os");
  CHECK(plan::qualify("public", "auth.users") == "auth.users");
  CHECK(plan::qualify("public", "user") == "public.\"user\"");
  CHECK(plan::uuid_literal_sql("'00000000-0000-0000-0000-000000000001'") == "'00000000-0000-0000-0000-000000000001'::uuid");
  CHECK(plan::uuid_literal_sql("00000000-0000-0000-0000-000000000001") == "'00000000-0000-0000-0000-000000000001'::uuid");
  CHECK(plan::required_extensions(gen_test::mmos_model(true)) == std::vector<std::string>{"vector"});
}

TEST_CASE("migrations: reserved words are quoted everywhere", "[gen]") {
  model::Model m;
  m.pack = "q";
  m.profile = gen_test::supabase_profile();
  model::Table t;
  t.name = "order";
  t.columns.push_back(gen_test::col("id", gen_test::ty("uuid"), false, "gen_random_uuid()", model::ColumnOrigin::key));
  t.columns.push_back(gen_test::col("user", gen_test::ty("text")));
  t.primary_key = {"id"};
  model::Index ix;
  ix.name = "order_user_idx";
  ix.columns.push_back({"user", "", true});
  t.indexes.push_back(ix);
  m.tables.push_back(t);
  auto phases = plan::plan_phases(m, "20240101");
  REQUIRE(phases.size() == 1);
  CHECK(has(phases[0].up, "create table public.\"order\" (\n  id uuid not null default gen_random_uuid(),\n  \"user\" text not null,\n  constraint order_pkey primary key (id)\n);"));
  CHECK(has(phases[0].up, "create index order_user_idx on public.\"order\" using btree (\"user\" desc);"));
  CHECK(phases[0].down == std::vector<std::string>{"drop table public.\"order\";"});
}

// Writes the sample models' output for tests/db/roundtrip.sh (hidden: run it by its tag).
TEST_CASE("dump sample outputs", "[.dump]") {
  const char* dir = std::getenv("PACKDB_GEN_DUMP");
  REQUIRE(dir);
  auto write = [&](const std::string& sub, const model::Model& m) {
    std::vector<gen::OutputFile> files = gen::generate_migrations(m, plan::plan_phases(m, "20251027"));
    files.push_back(gen::generate_pgtap(m));
    for (const auto& f : files) {
      std::filesystem::path p = std::filesystem::path(dir) / sub / f.path;
      std::filesystem::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << f.content;
    }
  };
  write("mmos", gen_test::mmos_model(false));
  write("mmos-vector", gen_test::mmos_model(true));
  write("extend", gen_test::extend_model());
  write("postgres", gen_test::postgres_model());
}
