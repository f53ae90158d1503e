// The snapshot YAML: what catalog_to_yaml writes, read_snapshot reads back unchanged; the
// minimal hand-written shape still reads; wrong shapes are errors that point into the file.
#include <catch2/catch.hpp>

#include "compiler/check/conventions.hpp"
#include "compiler/db/yaml.hpp"
#include "compiler/front/snapshot.hpp"

using namespace packdb;

namespace {

model::Catalog sample() {
  model::Catalog cat;
  cat.source = "postgresql://app:****@h:5432/db";
  cat.server_version = "15.8";
  cat.schemas = {"public"};
  model::CatalogTable t;
  t.name = "project";
  t.rls = true;
  model::CatalogColumn id;
  id.name = "id";
  id.type = "bigint";
  id.nullable = false;
  id.identity = true;
  id.identity_kind = "by default";
  model::CatalogColumn settings;
  settings.name = "settings";
  settings.type = "jsonb";
  settings.nullable = false;
  settings.default_sql = "'{}'::jsonb";
  model::CatalogColumn odd;  // values YAML would misread unquoted
  odd.name = "null";
  odd.type = "text";
  odd.default_sql = "'yes: no, [x]'::text";
  model::CatalogColumn gen;
  gen.name = "name_lower";
  gen.type = "text";
  gen.generated_sql = "lower(name)";
  t.columns = {id, settings, odd, gen};
  t.primary_key = {"project_pkey", {"id"}, "PRIMARY KEY (id)"};
  model::CatalogForeignKey fk;
  fk.name = "project_owner_id_fkey";
  fk.columns = {"owner_id"};
  fk.ref_schema = "auth";
  fk.ref_table = "users";
  fk.ref_columns = {"id"};
  fk.on_delete = "set null";
  t.foreign_keys = {fk};
  t.uniques = {{"project_owner_name_key", {"owner_id", "name"}, "UNIQUE (owner_id, name)"}};
  t.checks = {{"project_name_length", {}, "CHECK (char_length(name) >= 1)"}};
  model::CatalogIndex gin;
  gin.name = "project_settings_idx";
  gin.method = "gin";
  gin.columns = {"settings"};
  gin.opclasses = {"jsonb_path_ops"};
  gin.definition = "CREATE INDEX project_settings_idx ON public.project USING gin (settings jsonb_path_ops)";
  model::CatalogIndex partial;
  partial.name = "project_active_idx";
  partial.columns = {"owner_id", "lower(name)"};
  partial.opclasses = {"", ""};
  partial.include = {"id"};
  partial.predicate = "NOT archived";
  model::CatalogIndex pk;
  pk.name = "project_pkey";
  pk.unique = pk.primary = pk.constraint = true;
  pk.columns = {"id"};
  pk.opclasses = {""};
  t.indexes = {pk, gin, partial};
  model::CatalogPolicy pol;
  pol.name = "project_update";
  pol.command = "update";
  pol.roles = {"authenticated"};
  pol.using_sql = "(SELECT auth.uid() AS uid) = owner_id";
  pol.check_sql = "(SELECT auth.uid() AS uid) = owner_id";
  model::CatalogPolicy restrictive;
  restrictive.name = "deny";
  restrictive.permissive = false;
  restrictive.roles = {"public"};
  restrictive.using_sql = "false";
  t.policies = {pol, restrictive};
  t.triggers = {{"project_touch", "public.touch", "CREATE TRIGGER project_touch BEFORE UPDATE …", false}};
  cat.tables = {t};
  cat.enums = {{"public", "task_status", {"todo", "done", "true"}}};
  cat.views = {{"public", "open_task", false, true, "SELECT t.id\n   FROM task t\n  WHERE t.status <> 'archived'::task_status;"}};
  cat.functions = {{"public", "count_tasks", "p_project_id bigint", "bigint", "sql", "function", true, "stable"}};
  cat.extensions = {{"pgcrypto", "extensions", "1.3"}};
  cat.patterns = check::find_patterns(cat);
  return cat;
}

void same_table(const model::CatalogTable& a, const model::CatalogTable& b) {
  CHECK(a.schema == b.schema);
  CHECK(a.name == b.name);
  CHECK(a.rls == b.rls);
  CHECK(a.force_rls == b.force_rls);
  REQUIRE(a.columns.size() == b.columns.size());
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    CHECK(a.columns[i].name == b.columns[i].name);
    CHECK(a.columns[i].type == b.columns[i].type);
    CHECK(a.columns[i].nullable == b.columns[i].nullable);
    CHECK(a.columns[i].default_sql == b.columns[i].default_sql);
    CHECK(a.columns[i].identity == b.columns[i].identity);
    CHECK(a.columns[i].identity_kind == b.columns[i].identity_kind);
    CHECK(a.columns[i].generated_sql == b.columns[i].generated_sql);
  }
  CHECK(a.primary_key.name == b.primary_key.name);
  CHECK(a.primary_key.columns == b.primary_key.columns);
  REQUIRE(a.foreign_keys.size() == b.foreign_keys.size());
  for (std::size_t i = 0; i < a.foreign_keys.size(); ++i) {
    const auto &x = a.foreign_keys[i], &y = b.foreign_keys[i];
    CHECK(x.name == y.name);
    CHECK(x.columns == y.columns);
    CHECK(x.ref_schema == y.ref_schema);
    CHECK(x.ref_table == y.ref_table);
    CHECK(x.ref_columns == y.ref_columns);
    CHECK(x.on_delete == y.on_delete);
    CHECK(x.on_update == y.on_update);
  }
  REQUIRE(a.uniques.size() == b.uniques.size());
  CHECK(a.uniques[0].columns == b.uniques[0].columns);
  CHECK(a.uniques[0].definition == b.uniques[0].definition);
  REQUIRE(a.checks.size() == b.checks.size());
  CHECK(a.checks[0].definition == b.checks[0].definition);
  REQUIRE(a.indexes.size() == b.indexes.size());
  for (std::size_t i = 0; i < a.indexes.size(); ++i) {
    const auto &x = a.indexes[i], &y = b.indexes[i];
    CHECK(x.name == y.name);
    CHECK(x.method == y.method);
    CHECK(x.unique == y.unique);
    CHECK(x.primary == y.primary);
    CHECK(x.constraint == y.constraint);
    CHECK(x.columns == y.columns);
    CHECK(x.opclasses == y.opclasses);
    CHECK(x.include == y.include);
    CHECK(x.predicate == y.predicate);
    CHECK(x.definition == y.definition);
  }
  REQUIRE(a.policies.size() == b.policies.size());
  for (std::size_t i = 0; i < a.policies.size(); ++i) {
    CHECK(a.policies[i].name == b.policies[i].name);
    CHECK(a.policies[i].command == b.policies[i].command);
    CHECK(a.policies[i].permissive == b.policies[i].permissive);
    CHECK(a.policies[i].roles == b.policies[i].roles);
    CHECK(a.policies[i].using_sql == b.policies[i].using_sql);
    CHECK(a.policies[i].check_sql == b.policies[i].check_sql);
  }
  REQUIRE(a.triggers.size() == b.triggers.size());
  CHECK(a.triggers[0].name == b.triggers[0].name);
  CHECK(a.triggers[0].function == b.triggers[0].function);
  CHECK(a.triggers[0].definition == b.triggers[0].definition);
  CHECK(a.triggers[0].enabled == b.triggers[0].enabled);
}

}  // namespace

TEST_CASE("a catalog written as YAML reads back the same") {
  model::Catalog cat = sample();
  std::string yaml = db::catalog_to_yaml(cat);
  INFO(yaml);
  SourceSet sources;
  Diagnostics diags;
  auto back = read_snapshot_text("snap.yaml", yaml, sources, diags);
  INFO(render_text(diags, sources));
  REQUIRE(back);
  CHECK(back->server_version == "15.8");
  CHECK(back->schemas == cat.schemas);
  REQUIRE(back->tables.size() == 1);
  same_table(cat.tables[0], back->tables[0]);
  REQUIRE(back->enums.size() == 1);
  CHECK(back->enums[0].values == cat.enums[0].values);
  REQUIRE(back->views.size() == 1);
  CHECK(back->views[0].definition == cat.views[0].definition);
  CHECK(back->views[0].security_invoker);
  REQUIRE(back->functions.size() == 1);
  CHECK(back->functions[0].arguments == "p_project_id bigint");
  CHECK(back->functions[0].returns == "bigint");
  CHECK(back->functions[0].security_definer);
  CHECK(back->functions[0].volatility == "stable");
  REQUIRE(back->extensions.size() == 1);
  CHECK(back->extensions[0].version == "1.3");
  // byte-stable: the catalog read back writes the same YAML (patterns derived again)
  back->source = cat.source;
  back->patterns = check::find_patterns(*back);
  CHECK(db::catalog_to_yaml(*back) == yaml);
}

TEST_CASE("the YAML starts with the format, the source and the patterns found") {
  std::string yaml = db::catalog_to_yaml(sample());
  CHECK(yaml.rfind("# written by `packdbc inspect`; the shape is described in docs/snapshot.md\npackdbc_snapshot: 1\n"
                   "source: postgresql://app:****@h:5432/db\n",
                   0) == 0);
  CHECK(yaml.find("patterns_found:\n  - No tenancy column") != std::string::npos);
  CHECK(yaml.find("- {name: id, type: bigint, nullable: false, identity: by default}") != std::string::npos);
}

TEST_CASE("the minimal hand-written shape still reads") {
  SourceSet sources;
  Diagnostics diags;
  auto cat = read_snapshot_text("min.yaml",
                                "tables:\n  - name: projects\n    rls: true\n    columns:\n"
                                "      - {name: id, type: bigint, nullable: false, identity: always}\n"
                                "      - {name: name, type: text}\n  - name: bare\n",
                                sources, diags);
  INFO(render_text(diags, sources));
  REQUIRE(cat);
  REQUIRE(cat->tables.size() == 2);
  CHECK(cat->tables[0].schema == "public");
  CHECK(cat->tables[0].columns[0].identity);
  CHECK(cat->tables[0].columns[0].identity_kind == "always");
  CHECK(cat->tables[0].columns[1].nullable);
  CHECK(cat->tables[1].columns.empty());
  CHECK(cat->tables[1].primary_key.name.empty());
}

TEST_CASE("wrong shapes are errors with a position") {
  auto error_of = [](const std::string& text) {
    SourceSet sources;
    Diagnostics diags;
    auto cat = read_snapshot_text("s.yaml", text, sources, diags);
    CHECK(!cat);
    return render_text(diags, sources);
  };
  CHECK(error_of("tables: [unclosed\n").find("error[S0001]: the schema snapshot is not valid YAML") != std::string::npos);
  CHECK(error_of("just text\n").find("s.yaml:1:1: error[S0002]: the schema snapshot has the wrong shape: expected a "
                                     "mapping with a `tables` list") != std::string::npos);
  CHECK(error_of("tables:\n  - name: t\n    rls: maybe\n").find("s.yaml:3:10: error[S0002]: the schema snapshot has the "
                                                                 "wrong shape: `rls` of table `t` must be true or false") !=
        std::string::npos);
  CHECK(error_of("tables:\n  - name: t\n    primary_key: 7\n").find("`primary_key` of table `t` must be a list") !=
        std::string::npos);
  CHECK(error_of("tables:\n  - name: t\n    foreign_keys:\n      - {name: f, columns: [a]}\n")
            .find("a foreign key of table `t` needs `references: {schema, table, columns}`") != std::string::npos);
  CHECK(error_of("tables:\n  - name: t\n    indexes:\n      - {name: i, columns: [a, b], opclasses: [x]}\n")
            .find("`opclasses` must have one entry per column") != std::string::npos);
  CHECK(error_of("packdbc_snapshot: 9\ntables: []\n").find("format 9 is newer than this packdbc reads (1)") !=
        std::string::npos);
  CHECK(error_of("tables: []\nviews: {a: 1}\n").find("`views` of the snapshot must be a list") != std::string::npos);
}
