#include "compiler/db/introspect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace packdb::db {

const std::vector<std::string>& managed_schemas() {
  static const std::vector<std::string> list = {
      "auth",          "storage",     "realtime",        "_realtime",  "extensions", "graphql",
      "graphql_public", "pgsodium",   "pgsodium_masks",  "vault",      "net",        "cron",
      "supabase_functions", "supabase_migrations", "pgbouncer", "_analytics", "pgtle", "repack",
      "tiger",         "tiger_data",  "topology",
  };
  return list;
}

namespace {

// The schemas in scope ($1 = a text[] of names, $2 = true: exactly those; false: all but
// those and the system's), and the tables in them. Every query starts with this.
constexpr const char* kScope = R"sql(
with ns as (
  select n.oid, n.nspname::text as nspname
  from pg_catalog.pg_namespace n
  where case when $2::bool then n.nspname = any($1::text[])
        else n.nspname <> all($1::text[])
             and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
             and not exists (select 1 from pg_catalog.pg_depend d
                             where d.classid = 'pg_catalog.pg_namespace'::regclass and d.objid = n.oid
                               and d.deptype = 'e') end
),
tbl as (
  select c.oid, ns.nspname, c.relname::text as relname, c.relrowsecurity, c.relforcerowsecurity
  from pg_catalog.pg_class c join ns on ns.oid = c.relnamespace
  where c.relkind in ('r', 'p') and not c.relispartition
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
)sql";

constexpr const char* kServer = R"sql(
select pg_catalog.set_config('search_path', 'pg_catalog, public', true),
       pg_catalog.current_setting('server_version'),
       (select coalesce(pg_catalog.array_agg(ns.nspname order by ns.nspname collate "C"), '{}') from ns)::text[]
)sql";

constexpr const char* kTables = R"sql(
select nspname, relname, relrowsecurity, relforcerowsecurity
from tbl order by nspname collate "C", relname collate "C"
)sql";

constexpr const char* kColumns = R"sql(
select t.nspname, t.relname, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,
       a.attidentity::text,
       case when a.attgenerated <> '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,
       a.attnum
from tbl t
join pg_catalog.pg_attribute a on a.attrelid = t.oid
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attnum > 0 and not a.attisdropped
order by t.nspname collate "C", t.relname collate "C", a.attnum
)sql";

// Key columns come back as attribute numbers (named from the columns query), which keeps this
// query cheap; only foreign keys name their referenced columns here (the referenced table may
// be outside the inspected schemas, as auth.users is), and only uniques and checks are
// deparsed (pg_get_constraintdef is the expensive part).
constexpr const char* kConstraints = R"sql(
select t.nspname, t.relname, con.conname::text, con.contype::text, con.conkey::text,
       fn.nspname::text, fc.relname::text,
       case when con.contype = 'f' then
         array(select a.attname::text from pg_catalog.unnest(con.confkey) with ordinality k(n, o)
               join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.o) end,
       con.confdeltype::text, con.confupdtype::text,
       case when con.contype in ('u', 'c') then pg_catalog.pg_get_constraintdef(con.oid, true) end
from tbl t
join pg_catalog.pg_constraint con on con.conrelid = t.oid
left join pg_catalog.pg_class fc on fc.oid = con.confrelid
left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
where con.contype in ('p', 'u', 'f', 'c')
order by t.nspname collate "C", t.relname collate "C", con.conname collate "C"
)sql";

// Index columns come back as attribute numbers too; only expression columns (attnum 0) are
// deparsed, and only indexes that no constraint made get their full definition.
constexpr const char* kIndexes = R"sql(
select t.nspname, t.relname, ic.relname::text, am.amname::text, i.indisunique, i.indisprimary,
       k.oid is not null, i.indkey::pg_catalog.int2[]::text, i.indnkeyatts,
       case when 0 = any(i.indkey::pg_catalog.int2[]) then
         array(select case when i.indkey[s - 1] = 0 then pg_catalog.pg_get_indexdef(i.indexrelid, s, true) else '' end
               from pg_catalog.generate_series(1, i.indnatts::int) s order by s) end,
       array(select case when o.opcdefault then '' else o.opcname::text end
             from pg_catalog.unnest(i.indclass::oid[]) with ordinality c(oid, n)
             join pg_catalog.pg_opclass o on o.oid = c.oid order by c.n),
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),
       case when k.oid is null then pg_catalog.pg_get_indexdef(i.indexrelid) end
from tbl t
join pg_catalog.pg_index i on i.indrelid = t.oid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
left join pg_catalog.pg_constraint k on k.conindid = i.indexrelid and k.conrelid = t.oid and k.contype in ('p', 'u', 'x')
order by t.nspname collate "C", t.relname collate "C", ic.relname collate "C"
)sql";

constexpr const char* kPolicies = R"sql(
select t.nspname, t.relname, p.polname::text, p.polcmd::text, p.polpermissive,
       case when p.polroles = '{0}' then '{public}'::text[]
            else array(select r.rolname::text from pg_catalog.pg_roles r where r.oid = any(p.polroles)
                       order by r.rolname collate "C") end,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid, true),
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid, true)
from tbl t
join pg_catalog.pg_policy p on p.polrelid = t.oid
order by t.nspname collate "C", t.relname collate "C", p.polname collate "C"
)sql";

constexpr const char* kTriggers = R"sql(
select t.nspname, t.relname, tg.tgname::text, fn.nspname::text || '.' || f.proname::text,
       pg_catalog.pg_get_triggerdef(tg.oid, true), tg.tgenabled <> 'D'
from tbl t
join pg_catalog.pg_trigger tg on tg.tgrelid = t.oid and not tg.tgisinternal
join pg_catalog.pg_proc f on f.oid = tg.tgfoid
join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
order by t.nspname collate "C", t.relname collate "C", tg.tgname collate "C"
)sql";

constexpr const char* kEnums = R"sql(
select ns.nspname, t.typname::text,
       array(select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)
from pg_catalog.pg_type t join ns on ns.oid = t.typnamespace
where t.typtype = 'e'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
order by ns.nspname collate "C", t.typname collate "C"
)sql";

constexpr const char* kViews = R"sql(
select ns.nspname, c.relname::text, c.relkind = 'm',
       exists (select 1 from pg_catalog.unnest(c.reloptions) o
               where pg_catalog.lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1',
                                             'security_invoker=yes')),
       pg_catalog.pg_get_viewdef(c.oid, true)
from pg_catalog.pg_class c join ns on ns.oid = c.relnamespace
where c.relkind in ('v', 'm')
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
order by ns.nspname collate "C", c.relname collate "C"
)sql";

constexpr const char* kFunctions = R"sql(
select ns.nspname, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid),
       case when p.prokind <> 'p' then pg_catalog.pg_get_function_result(p.oid) end,
       l.lanname::text, p.prokind::text, p.prosecdef, p.provolatile::text
from pg_catalog.pg_proc p
join ns on ns.oid = p.pronamespace
join pg_catalog.pg_language l on l.oid = p.prolang
where not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by ns.nspname collate "C", p.proname collate "C", pg_catalog.pg_get_function_identity_arguments(p.oid) collate "C"
)sql";

constexpr const char* kExtensions = R"sql(
select e.extname::text, n.nspname::text, e.extversion
from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
order by e.extname collate "C"
)sql";

std::string on_delete_word(const std::string& code) {
  if (code == "c") return "cascade";
  if (code == "r") return "restrict";
  if (code == "n") return "set null";
  if (code == "d") return "set default";
  return "no action";
}

std::string command_word(const std::string& code) {
  if (code == "r") return "select";
  if (code == "a") return "insert";
  if (code == "w") return "update";
  if (code == "d") return "delete";
  return "all";
}

// {a,b} with quotes where PostgreSQL's array syntax needs them.
std::string text_array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

std::optional<model::Catalog> introspect(Connection& conn, const InspectOptions& opts, Error& err) {
  const bool exact = !opts.schemas.empty();
  const std::vector<std::string> params = {text_array_literal(exact ? opts.schemas : managed_schemas()),
                                           exact ? "true" : "false"};
  auto run = [&](const char* what, const char* sql) {
    return conn.query(what, std::string(kScope) + sql, err, params);
  };
  if (!conn.exec("begin transaction isolation level repeatable read, read only", err)) return std::nullopt;

  model::Catalog cat;
  cat.source = conn.masked_url();
  auto server = run("the server version", kServer);
  if (!server) return std::nullopt;
  cat.server_version = server->text(0, 1);
  cat.schemas = server->array(0, 2);
  for (const auto& s : opts.schemas)
    if (std::find(cat.schemas.begin(), cat.schemas.end(), s) == cat.schemas.end()) {
      err = {ErrorKind::query, fmt::format("the database has no schema `{}`", s), "",
             fmt::format("inspect one of: {}", fmt::join(cat.schemas, ", "))};
      return std::nullopt;
    }

  std::map<std::pair<std::string, std::string>, std::size_t> at;
  auto table_of = [&](const Result& r, int row) -> model::CatalogTable* {
    auto it = at.find({r.text(row, 0), r.text(row, 1)});
    return it == at.end() ? nullptr : &cat.tables[it->second];
  };

  auto tables = run("the tables", kTables);
  if (!tables) return std::nullopt;
  cat.tables.reserve(tables->rows());
  for (int i = 0; i < tables->rows(); ++i) {
    model::CatalogTable t;
    t.schema = tables->text(i, 0);
    t.name = tables->text(i, 1);
    t.rls = tables->boolean(i, 2);
    t.force_rls = tables->boolean(i, 3);
    at[{t.schema, t.name}] = cat.tables.size();
    cat.tables.push_back(std::move(t));
  }

  // attribute number → column name, per table (keys and indexes come back as numbers)
  std::vector<std::map<long long, std::string>> attname(cat.tables.size());
  auto names = [&](const model::CatalogTable* t, const std::string& attnums) {
    std::vector<std::string> out;
    const auto& m = attname[static_cast<std::size_t>(t - cat.tables.data())];
    for (const auto& n : parse_text_array(attnums)) {
      auto it = m.find(std::stoll(n));
      out.push_back(it == m.end() ? "#" + n : it->second);
    }
    return out;
  };

  auto columns = run("the columns", kColumns);
  if (!columns) return std::nullopt;
  for (int i = 0; i < columns->rows(); ++i) {
    model::CatalogTable* t = table_of(*columns, i);
    if (!t) continue;
    attname[static_cast<std::size_t>(t - cat.tables.data())][columns->integer(i, 8)] = columns->text(i, 2);
    model::CatalogColumn c;
    c.name = columns->text(i, 2);
    c.type = columns->text(i, 3);
    c.nullable = !columns->boolean(i, 4);
    c.default_sql = columns->text(i, 5);
    std::string ident = columns->text(i, 6);
    c.identity = ident == "a" || ident == "d";
    c.identity_kind = ident == "a" ? "always" : ident == "d" ? "by default" : "";
    c.generated_sql = columns->text(i, 7);
    t->columns.push_back(std::move(c));
  }

  auto cons = run("the constraints", kConstraints);
  if (!cons) return std::nullopt;
  for (int i = 0; i < cons->rows(); ++i) {
    model::CatalogTable* t = table_of(*cons, i);
    if (!t) continue;
    const std::string type = cons->text(i, 3);
    if (type == "f") {
      model::CatalogForeignKey fk;
      fk.name = cons->text(i, 2);
      fk.columns = names(t, cons->text(i, 4));
      fk.ref_schema = cons->text(i, 5);
      fk.ref_table = cons->text(i, 6);
      fk.ref_columns = cons->array(i, 7);
      fk.on_delete = on_delete_word(cons->text(i, 8));
      fk.on_update = on_delete_word(cons->text(i, 9));
      t->foreign_keys.push_back(std::move(fk));
      continue;
    }
    model::CatalogConstraint c{cons->text(i, 2), type == "c" ? std::vector<std::string>{} : names(t, cons->text(i, 4)),
                               cons->text(i, 10)};
    if (type == "p") t->primary_key = std::move(c);
    else if (type == "u") t->uniques.push_back(std::move(c));
    else t->checks.push_back(std::move(c));
  }

  auto idx = run("the indexes", kIndexes);
  if (!idx) return std::nullopt;
  for (int i = 0; i < idx->rows(); ++i) {
    model::CatalogTable* t = table_of(*idx, i);
    if (!t) continue;
    model::CatalogIndex x;
    x.name = idx->text(i, 2);
    x.method = idx->text(i, 3);
    x.unique = idx->boolean(i, 4);
    x.primary = idx->boolean(i, 5);
    x.constraint = idx->boolean(i, 6);
    // columns by number; an expression (0) by its text
    std::vector<std::string> all = names(t, idx->text(i, 7));
    std::vector<std::string> exprs = idx->array(i, 9);
    for (std::size_t k = 0; k < all.size(); ++k)
      if (all[k] == "#0" && k < exprs.size()) all[k] = exprs[k];
    auto nkey = static_cast<std::size_t>(std::min<long long>(idx->integer(i, 8), static_cast<long long>(all.size())));
    x.columns.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(nkey));
    x.include.assign(all.begin() + static_cast<std::ptrdiff_t>(nkey), all.end());
    x.opclasses = idx->array(i, 10);
    x.predicate = idx->text(i, 11);
    x.definition = idx->text(i, 12);
    t->indexes.push_back(std::move(x));
  }

  auto pol = run("the policies", kPolicies);
  if (!pol) return std::nullopt;
  for (int i = 0; i < pol->rows(); ++i) {
    model::CatalogTable* t = table_of(*pol, i);
    if (!t) continue;
    model::CatalogPolicy p;
    p.name = pol->text(i, 2);
    p.command = command_word(pol->text(i, 3));
    p.permissive = pol->boolean(i, 4);
    p.roles = pol->array(i, 5);
    p.using_sql = pol->text(i, 6);
    p.check_sql = pol->text(i, 7);
    t->policies.push_back(std::move(p));
  }

  auto trg = run("the triggers", kTriggers);
  if (!trg) return std::nullopt;
  for (int i = 0; i < trg->rows(); ++i) {
    model::CatalogTable* t = table_of(*trg, i);
    if (!t) continue;
    t->triggers.push_back({trg->text(i, 2), trg->text(i, 3), trg->text(i, 4), trg->boolean(i, 5)});
  }

  auto enums = run("the enums", kEnums);
  if (!enums) return std::nullopt;
  for (int i = 0; i < enums->rows(); ++i) cat.enums.push_back({enums->text(i, 0), enums->text(i, 1), enums->array(i, 2)});

  auto views = run("the views", kViews);
  if (!views) return std::nullopt;
  for (int i = 0; i < views->rows(); ++i) {
    std::string def = views->text(i, 4);
    while (!def.empty() && (def.front() == ' ' || def.front() == '\n')) def.erase(def.begin());
    cat.views.push_back({views->text(i, 0), views->text(i, 1), views->boolean(i, 2), views->boolean(i, 3), def});
  }

  auto fns = run("the functions", kFunctions);
  if (!fns) return std::nullopt;
  for (int i = 0; i < fns->rows(); ++i) {
    model::CatalogFunction f;
    f.schema = fns->text(i, 0);
    f.name = fns->text(i, 1);
    f.arguments = fns->text(i, 2);
    f.returns = fns->text(i, 3);
    f.language = fns->text(i, 4);
    std::string k = fns->text(i, 5);
    f.kind = k == "p" ? "procedure" : k == "a" ? "aggregate" : k == "w" ? "window" : "function";
    f.security_definer = fns->boolean(i, 6);
    std::string v = fns->text(i, 7);
    f.volatility = v == "i" ? "immutable" : v == "s" ? "stable" : "volatile";
    cat.functions.push_back(std::move(f));
  }

  auto ext = run("the extensions", kExtensions);
  if (!ext) return std::nullopt;
  for (int i = 0; i < ext->rows(); ++i) cat.extensions.push_back({ext->text(i, 0), ext->text(i, 1), ext->text(i, 2)});

  if (!conn.exec("commit", err)) return std::nullopt;
  return cat;
}

std::optional<EnvReport> env_check(Connection& conn, Error& err) {
  EnvReport r;
  r.user = conn.user();
  r.database = conn.database();
  r.host = conn.host();
  r.port = conn.port();
  r.ssl = conn.ssl_in_use();
  r.server_version_num = conn.server_version_num();
  // One query; every part reads the catalogs, so a role that may not gets a clear error.
  auto q = conn.query("the server's settings, roles, schemas and extensions", R"sql(
select pg_catalog.current_setting('server_version'),
       (select r.rolsuper from pg_catalog.pg_roles r where r.rolname = current_user),
       (select pg_catalog.count(*) from pg_catalog.pg_class) > 0,
       array(select r.rolname::text from pg_catalog.pg_roles r
             where r.rolname in ('anon', 'authenticated', 'service_role')),
       exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth'),
       exists (select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'auth' and c.relname = 'users' and c.relkind in ('r', 'p')),
       exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
               where n.nspname = 'auth' and p.proname = 'uid'),
       array(select a.name::text || '|' || coalesce(a.default_version, '') || '|' ||
                    coalesce(e.extversion, '') || '|' || coalesce(n.nspname::text, '')
             from pg_catalog.pg_available_extensions a
             left join pg_catalog.pg_extension e on e.extname = a.name
             left join pg_catalog.pg_namespace n on n.oid = e.extnamespace
             where a.name in ('vector', 'pgcrypto', 'pgtap'))
)sql",
                        err);
  if (!q) return std::nullopt;
  r.server_version = q->text(0, 0);
  r.superuser = q->boolean(0, 1);
  r.catalog_readable = q->boolean(0, 2);
  auto roles = q->array(0, 3);
  for (const char* role : {"anon", "authenticated", "service_role"})
    r.roles.emplace_back(role, std::find(roles.begin(), roles.end(), role) != roles.end());
  r.auth_schema = q->boolean(0, 4);
  r.auth_users = q->boolean(0, 5);
  r.auth_uid = q->boolean(0, 6);
  std::map<std::string, ExtensionStatus> found;
  for (const auto& row : q->array(0, 7)) {
    std::vector<std::string> parts;
    std::size_t b = 0;
    for (std::size_t p = row.find('|'); ; p = row.find('|', b)) {
      parts.push_back(row.substr(b, p == std::string::npos ? std::string::npos : p - b));
      if (p == std::string::npos) break;
      b = p + 1;
    }
    parts.resize(4);
    found[parts[0]] = {parts[0], true, parts[1], parts[2], parts[3]};
  }
  for (const char* name : {"vector", "pgcrypto", "pgtap"}) {
    auto it = found.find(name);
    r.extensions.push_back(it != found.end() ? it->second : ExtensionStatus{name, false, "", "", ""});
  }
  return r;
}

}  // namespace packdb::db
