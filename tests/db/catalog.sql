-- catalog.sql: a deterministic text snapshot of everything user-visible in the current
-- database's catalog, used to prove that migrations followed by their down scripts return the
-- catalog to exactly where it was (tests/db/roundtrip.sh diffs two snapshots).
--
-- Run with:  psql -X -A -t -v ON_ERROR_STOP=1 -f catalog.sql
-- Works on PostgreSQL 15 and on PGlite (PostgreSQL 18).  Read-only: it creates nothing (no
-- helper functions, no temp tables), so taking a snapshot cannot change the next one.
--
-- Rules that keep it stable:
--  * one text line per fact, sorted with COLLATE "C"; multi-line definitions are indented;
--  * no OIDs, relfilenodes, attnums, enumsortorder values or other physical details: objects
--    are named by schema-qualified names, columns by their rank among non-dropped columns
--    (so ADD COLUMN + DROP COLUMN compares equal to never having added it);
--  * ACL arrays are printed sorted, NULL (= built-in default) printed as "default";
--  * lazily-maintained flags (relhasindex, relhassubclass, ...) are left out: PostgreSQL
--    only clears them at VACUUM, so they would differ after an exact rollback;
--  * objects that belong to an extension (pg_depend deptype 'e': vector's types and
--    operators, pgtap's functions) are left out; the extension itself is listed.
--
-- Schemas covered: all except pg_catalog, information_schema, pg_toast*, pg_temp_*.
-- Cluster-wide facts that migrations can change are included too: roles (except pg_*),
-- role memberships, role settings, event triggers, user casts.

with
ns as (
  select n.oid, n.nspname
  from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    and not exists (select 1 from pg_depend d
                    where d.classid = 'pg_namespace'::regclass and d.objid = n.oid
                      and d.deptype = 'e')
),
-- user relations (tables, views, sequences, ...; indexes come separately), not extension members
rel as (
  select c.oid, c.relname, c.relkind, ns.nspname,
         format('%I.%I', ns.nspname, c.relname) as qname,
         c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
         c.relowner, c.reloptions, c.relacl, c.relpartbound
  from pg_class c
  join ns on ns.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'f', 'c', 'S')
    and not exists (select 1 from pg_depend d
                    where d.classid = 'pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
    -- a composite type made by an extension is a member through its pg_type row
    and not exists (select 1 from pg_depend d
                    where d.classid = 'pg_type'::regclass and d.objid = c.reltype
                      and d.deptype = 'e')
),
fn as (
  select p.oid, ns.nspname, p.proname, p.prokind, p.proowner, p.proacl
  from pg_proc p
  join ns on ns.oid = p.pronamespace
  where not exists (select 1 from pg_depend d
                    where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                      and d.deptype = 'e')
),
typ as (
  select t.oid, ns.nspname, format('%I.%I', ns.nspname, t.typname) as qname,
         t.typtype, t.typowner, t.typacl, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefaultbin
  from pg_type t
  join ns on ns.oid = t.typnamespace
  where not exists (select 1 from pg_depend d
                    where d.classid = 'pg_type'::regclass and d.objid = t.oid
                      and d.deptype = 'e')
    -- array types come and go with their element type
    and not exists (select 1 from pg_type e where e.typarray = t.oid)
    -- row types of tables/views come and go with the relation (composite types stay)
    and (t.typrelid = 0 or exists (select 1 from pg_class c
                                   where c.oid = t.typrelid and c.relkind = 'c'))
),
lines(line) as (
  -- schemas ------------------------------------------------------------------------------
  select format('schema %I owner=%s acl=%s comment=%s',
                n.nspname, pg_get_userbyid(n.nspowner),
                coalesce((select string_agg(a::text, ',' order by a::text) from unnest(n.nspacl) a), 'default'),
                coalesce(obj_description(n.oid, 'pg_namespace'), '-'))
  from pg_namespace n join ns on ns.oid = n.oid

  -- extensions ---------------------------------------------------------------------------
  union all
  select format('extension %I schema=%I version=%s', e.extname, n.nspname, e.extversion)
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace

  -- relations ----------------------------------------------------------------------------
  union all
  select format('relation %s kind=%s persistence=%s rls=%s force_rls=%s replident=%s owner=%s options=%s acl=%s partkey=%s partbound=%s inherits=%s comment=%s',
                r.qname, r.relkind, r.relpersistence, r.relrowsecurity, r.relforcerowsecurity,
                r.relreplident, pg_get_userbyid(r.relowner),
                coalesce((select string_agg(o, ',' order by o) from unnest(r.reloptions) o), '-'),
                coalesce((select string_agg(a::text, ',' order by a::text) from unnest(r.relacl) a), 'default'),
                coalesce(case when r.relkind = 'p' then pg_get_partkeydef(r.oid) end, '-'),
                coalesce(pg_get_expr(r.relpartbound, r.oid), '-'),
                coalesce((select string_agg(format('%I.%I', pn.nspname, pc.relname), ',' order by pn.nspname, pc.relname)
                          from pg_inherits i join pg_class pc on pc.oid = i.inhparent
                          join pg_namespace pn on pn.oid = pc.relnamespace
                          where i.inhrelid = r.oid), '-'),
                coalesce(obj_description(r.oid, 'pg_class'), '-'))
  from rel r

  -- columns ------------------------------------------------------------------------------
  union all
  select format('column %s #%s %I type=%s notnull=%s default=%s identity=%s generated=%s collation=%s acl=%s comment=%s',
                r.qname,
                row_number() over (partition by r.oid order by a.attnum),
                a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                coalesce(pg_get_expr(ad.adbin, ad.adrelid), '-'),
                coalesce(nullif(a.attidentity, ''), '-'),
                coalesce(nullif(a.attgenerated, ''), '-'),
                coalesce((select format('%I.%I', cn.nspname, co.collname)
                          from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
                          where co.oid = a.attcollation and a.attcollation <> t.typcollation), '-'),
                coalesce((select string_agg(x::text, ',' order by x::text) from unnest(a.attacl) x), 'default'),
                coalesce(col_description(r.oid, a.attnum), '-'))
  from rel r
  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
  where r.relkind <> 'S'

  -- constraints (tables and domains) -----------------------------------------------------
  union all
  select format('constraint %s %I type=%s def=%s comment=%s',
                coalesce(r.qname, t.qname), c.conname, c.contype,
                pg_get_constraintdef(c.oid),
                coalesce(obj_description(c.oid, 'pg_constraint'), '-'))
  from pg_constraint c
  left join rel r on r.oid = c.conrelid
  left join typ t on t.oid = c.contypid
  where r.oid is not null or t.oid is not null

  -- indexes ------------------------------------------------------------------------------
  union all
  select format('index %s %I valid=%s comment=%s def=%s',
                r.qname, ic.relname, i.indisvalid,
                coalesce(obj_description(ic.oid, 'pg_class'), '-'),
                pg_get_indexdef(i.indexrelid))
  from pg_index i
  join rel r on r.oid = i.indrelid
  join pg_class ic on ic.oid = i.indexrelid

  -- row level security policies ------------------------------------------------------------
  union all
  select format('policy %I.%I %I cmd=%s permissive=%s roles=%s using=%s with_check=%s',
                p.schemaname, p.tablename, p.policyname, p.cmd, p.permissive,
                (select string_agg(x, ',' order by x) from unnest(p.roles) x),
                coalesce(p.qual, '-'), coalesce(p.with_check, '-'))
  from pg_policies p
  join rel r on r.nspname = p.schemaname and r.relname = p.tablename

  -- views and materialized views: their query -----------------------------------------------
  union all
  select format(E'viewdef %s\n    %s', r.qname,
                replace(rtrim(pg_get_viewdef(r.oid, true), E'\n'), E'\n', E'\n    '))
  from rel r where r.relkind in ('v', 'm')

  -- rules other than views' _RETURN ---------------------------------------------------------
  union all
  select format('rule %I.%I %I def=%s', ru.schemaname, ru.tablename, ru.rulename, ru.definition)
  from pg_rules ru
  join rel r on r.nspname = ru.schemaname and r.relname = ru.tablename

  -- triggers -------------------------------------------------------------------------------
  union all
  select format('trigger %s %I enabled=%s def=%s comment=%s',
                r.qname, tg.tgname, tg.tgenabled, pg_get_triggerdef(tg.oid),
                coalesce(obj_description(tg.oid, 'pg_trigger'), '-'))
  from pg_trigger tg
  join rel r on r.oid = tg.tgrelid
  where not tg.tgisinternal

  -- sequences: parameters and ownership (OWNED BY / identity) ---------------------------------
  union all
  select format('sequence %s type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s owned_by=%s',
                r.qname, format_type(s.seqtypid, null), s.seqstart, s.seqincrement,
                s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                coalesce((select format('%I.%I.%I(%s)', dn.nspname, dc.relname, da.attname, d.deptype)
                          from pg_depend d
                          join pg_class dc on dc.oid = d.refobjid
                          join pg_namespace dn on dn.oid = dc.relnamespace
                          join pg_attribute da on da.attrelid = d.refobjid and da.attnum = d.refobjsubid
                          where d.classid = 'pg_class'::regclass and d.objid = r.oid
                            and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
                          limit 1), '-'))
  from rel r join pg_sequence s on s.seqrelid = r.oid

  -- types: enums (labels in order), domains, ranges, composites, base types ---------------------
  union all
  select format('type %s typtype=%s owner=%s acl=%s comment=%s detail=%s',
                t.qname, t.typtype, pg_get_userbyid(t.typowner),
                coalesce((select string_agg(a::text, ',' order by a::text) from unnest(t.typacl) a), 'default'),
                coalesce(obj_description(t.oid, 'pg_type'), '-'),
                case t.typtype
                  when 'e' then (select format('labels=[%s]', string_agg(quote_literal(e.enumlabel), ',' order by e.enumsortorder))
                                 from pg_enum e where e.enumtypid = t.oid)
                  when 'd' then format('base=%s notnull=%s default=%s',
                                       format_type(t.typbasetype, t.typtypmod), t.typnotnull,
                                       coalesce(pg_get_expr(t.typdefaultbin, 0), '-'))
                  when 'r' then (select format('subtype=%s', format_type(rg.rngsubtype, null))
                                 from pg_range rg where rg.rngtypid = t.oid)
                  else '-'
                end)
  from typ t

  -- functions, procedures, aggregates: full definition (includes SET search_path, SECURITY
  -- DEFINER, volatility, language and body) ----------------------------------------------------
  union all
  select format(E'function %I.%I(%s) kind=%s owner=%s acl=%s comment=%s\n    %s',
                f.nspname, f.proname, pg_get_function_identity_arguments(f.oid), f.prokind,
                pg_get_userbyid(f.proowner),
                coalesce((select string_agg(a::text, ',' order by a::text) from unnest(f.proacl) a), 'default'),
                coalesce(obj_description(f.oid, 'pg_proc'), '-'),
                case when f.prokind = 'a'
                  then (select format('aggregate sfunc=%s stype=%s finalfunc=%s initcond=%s',
                                      ag.aggtransfn::regproc, format_type(ag.aggtranstype, null),
                                      ag.aggfinalfn::regproc, coalesce(ag.agginitval, '-'))
                        from pg_aggregate ag where ag.aggfnoid = f.oid)
                  else replace(rtrim(pg_get_functiondef(f.oid), E'\n'), E'\n', E'\n    ')
                end)
  from fn f

  -- other schema objects, by identity: operators, operator classes/families, collations,
  -- conversions, text search objects, extended statistics ---------------------------------------
  union all
  select format('object %s %s', i.type, i.identity)
  from (
    select 'pg_operator'::regclass as cls, o.oid, o.oprnamespace as nsp from pg_operator o
    union all select 'pg_opclass'::regclass, o.oid, o.opcnamespace from pg_opclass o
    union all select 'pg_opfamily'::regclass, o.oid, o.opfnamespace from pg_opfamily o
    union all select 'pg_collation'::regclass, o.oid, o.collnamespace from pg_collation o
    union all select 'pg_conversion'::regclass, o.oid, o.connamespace from pg_conversion o
    union all select 'pg_ts_config'::regclass, o.oid, o.cfgnamespace from pg_ts_config o
    union all select 'pg_ts_dict'::regclass, o.oid, o.dictnamespace from pg_ts_dict o
    union all select 'pg_ts_parser'::regclass, o.oid, o.prsnamespace from pg_ts_parser o
    union all select 'pg_ts_template'::regclass, o.oid, o.tmplnamespace from pg_ts_template o
    union all select 'pg_statistic_ext'::regclass, o.oid, o.stxnamespace from pg_statistic_ext o
  ) obj
  join ns on ns.oid = obj.nsp
  cross join lateral pg_identify_object(obj.cls, obj.oid, 0) i
  where not exists (select 1 from pg_depend d
                    where d.classid = obj.cls and d.objid = obj.oid and d.deptype = 'e')

  -- default privileges (ALTER DEFAULT PRIVILEGES) ------------------------------------------------
  union all
  select format('default_acl role=%s schema=%s objtype=%s acl=%s',
                pg_get_userbyid(da.defaclrole),
                coalesce((select quote_ident(n.nspname) from pg_namespace n where n.oid = da.defaclnamespace), '*'),
                da.defaclobjtype,
                (select string_agg(a::text, ',' order by a::text) from unnest(da.defaclacl) a))
  from pg_default_acl da

  -- publications (e.g. Supabase realtime) -------------------------------------------------------
  union all
  select format('publication %I alltables=%s insert=%s update=%s delete=%s truncate=%s tables=%s',
                pb.pubname, pb.puballtables, pb.pubinsert, pb.pubupdate, pb.pubdelete, pb.pubtruncate,
                coalesce((select string_agg(format('%I.%I', pn.nspname, pc.relname), ',' order by pn.nspname, pc.relname)
                          from pg_publication_rel pr join pg_class pc on pc.oid = pr.prrelid
                          join pg_namespace pn on pn.oid = pc.relnamespace
                          where pr.prpubid = pb.oid), '-'))
  from pg_publication pb

  -- event triggers -----------------------------------------------------------------------------
  union all
  select format('event_trigger %I event=%s function=%s enabled=%s tags=%s',
                et.evtname, et.evtevent, et.evtfoid::regprocedure, et.evtenabled,
                coalesce(array_to_string(et.evttags, ','), '-'))
  from pg_event_trigger et
  where not exists (select 1 from pg_depend d
                    where d.classid = 'pg_event_trigger'::regclass and d.objid = et.oid and d.deptype = 'e')

  -- user-defined casts (pg_cast has no schema; built-in casts have OIDs below 16384) ------------------
  union all
  select format('cast %s -> %s function=%s context=%s method=%s',
                format_type(ca.castsource, null), format_type(ca.casttarget, null),
                case when ca.castfunc = 0 then '-' else ca.castfunc::regprocedure::text end,
                ca.castcontext, ca.castmethod)
  from pg_cast ca
  where ca.oid >= 16384
    and not exists (select 1 from pg_depend d
                    where d.classid = 'pg_cast'::regclass and d.objid = ca.oid and d.deptype = 'e')

  -- roles (cluster-wide), memberships and per-role settings -----------------------------------------
  union all
  select format('role %I super=%s inherit=%s createrole=%s createdb=%s login=%s replication=%s bypassrls=%s connlimit=%s',
                ro.rolname, ro.rolsuper, ro.rolinherit, ro.rolcreaterole, ro.rolcreatedb,
                ro.rolcanlogin, ro.rolreplication, ro.rolbypassrls, ro.rolconnlimit)
  from pg_roles ro
  where ro.rolname !~ '^pg_'
  union all
  select format('role_member %I in %I admin=%s', pg_get_userbyid(m.member), pg_get_userbyid(m.roleid), m.admin_option)
  from pg_auth_members m
  where pg_get_userbyid(m.roleid) !~ '^pg_'
  union all
  select format('role_setting role=%s database=%s config=%s',
                coalesce((select quote_ident(rolname) from pg_roles where oid = s.setrole), '*'),
                case when s.setdatabase = 0 then '*' else 'current' end,
                (select string_agg(x, ',' order by x) from unnest(s.setconfig) x))
  from pg_db_role_setting s
  where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
)
select line from lines order by line collate "C";
