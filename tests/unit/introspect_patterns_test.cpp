// Patterns found in a catalog, the conventions generated tables follow from them, the
// warnings where a spec insists otherwise, and the migration's risk.
#include <catch2/catch.hpp>

#include "compiler/check/conventions.hpp"
#include "compiler/check/resolve.hpp"
#include "compiler/front/load.hpp"
#include "test_util.hpp"

using namespace packdb;

namespace {

model::CatalogColumn col(std::string name, std::string type, bool nullable = false, std::string dflt = "") {
  model::CatalogColumn c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.nullable = nullable;
  c.default_sql = std::move(dflt);
  return c;
}

model::CatalogColumn identity(std::string name = "id") {
  auto c = col(std::move(name), "bigint");
  c.identity = true;
  c.identity_kind = "always";
  return c;
}

// A table keyed by bigint identity, with owner_id → auth.users and inserted_at.
model::CatalogTable owned(std::string name, bool rls = true) {
  model::CatalogTable t;
  t.name = std::move(name);
  t.rls = rls;
  t.columns = {identity(), col("owner_id", "uuid", false, "auth.uid()"),
               col("inserted_at", "timestamp with time zone", false, "now()")};
  t.primary_key = {t.name + "_pkey", {"id"}, ""};
  model::CatalogForeignKey fk;
  fk.name = t.name + "_owner_id_fkey";
  fk.columns = {"owner_id"};
  fk.ref_schema = "auth";
  fk.ref_table = "users";
  fk.ref_columns = {"id"};
  fk.on_delete = "cascade";
  t.foreign_keys.push_back(fk);
  return t;
}

// The taskboard of tests/introspect/existing.sql, reduced to what the patterns look at.
model::Catalog taskboard() {
  model::Catalog cat;
  cat.source = "test";
  for (const char* n : {"project", "task", "comment", "tag", "task_tag"}) cat.tables.push_back(owned(n));
  model::CatalogTable audit;
  audit.name = "audit_log";
  audit.columns = {identity(), col("action", "text"), col("inserted_at", "timestamp with time zone", false, "now()")};
  audit.primary_key = {"audit_log_pkey", {"id"}, ""};
  cat.tables.push_back(audit);
  for (auto& t : cat.tables)
    if (t.name == "project" || t.name == "task" || t.name == "comment")
      t.columns.push_back(col("updated_at", "timestamp with time zone", false, "now()"));
  model::CatalogForeignKey setnull;
  setnull.name = "task_assignee_id_fkey";
  setnull.columns = {"assignee_id"};
  setnull.ref_schema = "auth";
  setnull.ref_table = "users";
  setnull.on_delete = "set null";
  cat.tables[1].columns.push_back(col("assignee_id", "uuid", true));
  cat.tables[1].foreign_keys.push_back(setnull);
  cat.patterns = check::find_patterns(cat);
  return cat;
}

}  // namespace

TEST_CASE("the patterns of the taskboard schema") {
  model::Catalog cat = taskboard();
  const auto& p = cat.patterns;
  CHECK(p.key.kind == "bigint identity");
  CHECK(p.key.tables == 6);
  CHECK(p.key.of == 6);
  CHECK(p.key.column == "id");
  CHECK(p.key.type == "bigint");
  CHECK(p.key.default_sql == "generated always as identity");
  CHECK(p.created.column == "inserted_at");
  CHECK(p.created.tables == 6);
  CHECK(p.updated.column == "updated_at");
  CHECK(p.updated.tables == 3);
  CHECK(p.tenancy.column == "owner_id");
  CHECK(p.tenancy.tables == 5);
  CHECK(p.tenancy.references == "auth.users");
  CHECK(p.rls.enabled == 5);
  CHECK(p.rls.of == 6);
  CHECK(p.rls.without == std::vector<std::string>{"public.audit_log"});
  CHECK(p.naming.style == "singular");
  CHECK(p.on_delete.habit == "cascade");
  CHECK(p.on_delete.counts.at("cascade") == 5);
  CHECK(p.on_delete.counts.at("set null") == 1);
  CHECK(p.summary == std::vector<std::string>{
                         "Multi-tenancy via owner_id (5 of 6 tables, references auth.users)",
                         "Bigint identity primary keys (6 of 6 tables; id bigint generated always as identity)",
                         "Timestamps inserted_at (6 of 6 tables), updated_at (3 of 6 tables)",
                         "RLS enabled on 5 of 6 tables (not on public.audit_log)",
                         "Table names in the singular (6 of 6 tables)",
                         "Foreign keys on delete cascade (5 of 6)",
                     });
}

TEST_CASE("the patterns of a Supabase-style schema: uuid keys, user_id, created_at, plural") {
  model::Catalog cat;
  for (const char* n : {"minds", "prompts", "chunks"}) {
    model::CatalogTable t;
    t.name = n;
    t.rls = true;
    t.columns = {col("id", "uuid", false, "gen_random_uuid()"), col("user_id", "uuid"),
                 col("created_at", "timestamp with time zone", false, "now()")};
    t.primary_key = {std::string(n) + "_pkey", {"id"}, ""};
    cat.tables.push_back(t);
  }
  cat.patterns = check::find_patterns(cat);
  CHECK(cat.patterns.key.kind == "uuid");
  CHECK(cat.patterns.key.default_sql == "gen_random_uuid()");
  CHECK(cat.patterns.naming.style == "plural");
  CHECK(cat.patterns.summary[0] == "Multi-tenancy via user_id (3 of 3 tables)");
  CHECK(cat.patterns.summary[3] == "RLS enabled on all 3 tables");
  auto c = check::conventions_from(cat);
  REQUIRE(c.find("key_type"));
  CHECK(c.find("key_type")->value == "uuid");
  CHECK(c.find("key_default")->value == "gen_random_uuid()");
  CHECK(c.find("owner_column")->value == "user_id");
  CHECK(c.naming == "plural");
}

TEST_CASE("serial keys become identity of the same width; an empty database has no patterns") {
  model::Catalog cat;
  for (const char* n : {"a", "b"}) {
    model::CatalogTable t;
    t.name = n;
    t.columns = {col("id", "integer", false, "nextval('a_id_seq'::regclass)")};
    t.primary_key = {"pk", {"id"}, ""};
    cat.tables.push_back(t);
  }
  cat.patterns = check::find_patterns(cat);
  CHECK(cat.patterns.key.kind == "serial");
  auto c = check::conventions_from(cat);
  CHECK(c.find("key_type")->value == "integer");
  CHECK(c.find("key_default")->value == "generated by default as identity");

  model::Catalog empty;
  empty.patterns = check::find_patterns(empty);
  CHECK(empty.patterns.summary == std::vector<std::string>{"No tables yet"});
  CHECK(check::conventions_from(empty).settings.empty());
}

TEST_CASE("no convention without a majority") {
  model::Catalog cat;
  model::CatalogTable a = owned("alpha"), b;
  b.name = "beta";
  b.columns = {col("id", "uuid", false, "gen_random_uuid()")};
  b.primary_key = {"beta_pkey", {"id"}, ""};
  cat.tables = {a, b};
  cat.patterns = check::find_patterns(cat);
  auto c = check::conventions_from(cat);
  CHECK(!c.find("key_type"));        // 1 of 2 each
  CHECK(!c.find("created_column"));  // 1 of 2
  REQUIRE(c.find("owner_column"));   // the only tenancy column there is
  CHECK(c.find("owner_column")->value == "owner_id");
}

TEST_CASE("looks_plural") {
  for (const char* p : {"projects", "minds", "categories", "people", "course_modules", "media"}) CHECK(check::looks_plural(p));
  for (const char* s : {"project", "status", "address", "analysis", "audit_log", "task_tag", "news", "corpus"})
    CHECK(!check::looks_plural(s));
}

namespace {

struct Compiled {
  LoadedSpec loaded;
  Diagnostics diags;
  model::Model model;
  check::Conventions conv;
  ast::File module;
  std::string text() const { return render_text(diags, loaded.sources); }
};

// What cli::check_spec does with a catalog: its conventions between the stdlib and the spec.
void compile_against(Compiled& r, const model::Catalog& cat, const std::string& src) {
  REQUIRE(load_spec_text("spec.packdb", src, r.loaded, r.diags));
  r.conv = check::conventions_from(cat);
  r.module = check::conventions_module(r.conv, check::required_modules(*r.loaded.spec).front().name, r.loaded.sources);
  auto mods = r.loaded.module_ptrs();
  mods.push_back(&r.module);
  r.model = check::build_model(*r.loaded.spec, mods, r.diags);
  if (!r.diags.has_errors()) {
    check::check_conventions(*r.loaded.spec, r.model, r.conv, r.diags);
    check::assess_risk(r.model, &cat);
  }
}

const model::Column* column(const model::Model& m, const std::string& t, const std::string& c) {
  int i = m.table_index(t);
  REQUIRE(i >= 0);
  return m.tables[i].column(c);
}

}  // namespace

TEST_CASE("generated tables follow the database: bigint identity, owner_id, inserted_at") {
  Compiled r;
  compile_against(r, taskboard(),
                  test::header + "table note owned by user { title text }\ntable note_item in note { label text }\n");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  CHECK(r.diags.warning_count() == 0);
  CHECK(r.model.profile.key_type == "bigint");
  CHECK(r.model.profile.key_default == "generated always as identity");
  const model::Column* id = column(r.model, "note", "id");
  REQUIRE(id);
  CHECK(id->type.base == "bigint");
  CHECK(id->default_sql == "generated always as identity");
  CHECK(column(r.model, "note", "owner_id"));
  CHECK(!column(r.model, "note", "user_id"));
  CHECK(column(r.model, "note", "inserted_at"));
  CHECK(!column(r.model, "note", "created_at"));
  REQUIRE(column(r.model, "note_item", "note_id"));
  CHECK(column(r.model, "note_item", "note_id")->type.base == "bigint");
  CHECK(r.model.risk.level == model::Risk::low);
  CHECK(r.model.risk.modified_tables.empty());
}

TEST_CASE("the spec insists otherwise: it wins, with warnings C0401-C0404") {
  Compiled r;
  compile_against(r, taskboard(),
                  test::header +
                      "profile supabase { key_type \"uuid\" key_default \"gen_random_uuid()\" }\n"
                      "table notes owned by user { title text\n created_at timestamptz = now()\n user_id uuid? }\n");
  INFO(r.text());
  REQUIRE(!r.diags.has_errors());
  CHECK(r.model.profile.key_type == "uuid");
  std::string text = r.text();
  CHECK(text.find("warning[C0401]: the spec sets key_type \"uuid\", but the database's tables use \"bigint\" "
                  "(bigint identity keys on 6 of 6 tables)") != std::string::npos);
  CHECK(text.find("warning[C0401]: the spec sets key_default \"gen_random_uuid()\"") != std::string::npos);
  CHECK(text.find("warning[C0402]: table `notes` is plural, but the database names its tables in the singular "
                  "(project, task, comment)") != std::string::npos);
  CHECK(text.find("warning[C0403]: `created_at` differs from the database's timestamp column `inserted_at`") !=
        std::string::npos);
  CHECK(text.find("warning[C0404]: `user_id` looks like a tenancy column, but the database's tables use `owner_id`") !=
        std::string::npos);
}

TEST_CASE("risk: medium for an existing table, high for a users table") {
  model::Catalog cat = taskboard();
  model::CatalogTable profile;
  profile.name = "profile";
  profile.columns = {col("id", "uuid"), col("display_name", "text", true)};
  profile.primary_key = {"profile_pkey", {"id"}, ""};
  model::CatalogForeignKey fk;
  fk.name = "profile_id_fkey";
  fk.columns = {"id"};
  fk.ref_schema = "auth";
  fk.ref_table = "users";
  fk.ref_columns = {"id"};
  profile.foreign_keys.push_back(fk);
  cat.tables.push_back(profile);
  cat.patterns = check::find_patterns(cat);
  {
    Compiled r;
    compile_against(r, cat, test::header + "extend table project { add column pack_kind text? }\n");
    INFO(r.text());
    REQUIRE(!r.diags.has_errors());
    CHECK(r.model.risk.level == model::Risk::medium);
    CHECK(r.model.risk.modified_tables == std::vector<std::string>{"public.project"});
  }
  {
    Compiled r;
    compile_against(r, cat, test::header + "extend table profile { add column handle text? }\n");
    INFO(r.text());
    REQUIRE(!r.diags.has_errors());
    CHECK(r.model.risk.level == model::Risk::high);
    CHECK(r.model.risk.modified_tables == std::vector<std::string>{"public.profile"});
    CHECK(r.model.risk.reasons.back() ==
          "touches public.profile: its key references auth.users: it holds one row per user");
  }
  {
    Compiled r;
    compile_against(r, cat, test::header + "extend table users { add column handle text? }\n");
    REQUIRE(!r.diags.has_errors());
    CHECK(r.model.risk.level == model::Risk::high);
  }
}
