-- Our own catalog queries for the splinter lints (Supabase's database linter) that apply to
-- what packdbc generates. Run against a database after the migrations are applied; every
-- row is a finding: `lint <TAB> object`. roundtrip.sh requires zero rows for every example,
-- and lints-selftest.sh proves that each query finds what it should on a bad schema.
with
tables as (
  select c.oid, c.relname, c.relrowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
),
policies as (
  select p.polrelid, t.relname, p.polname, p.polcmd, p.polpermissive, p.polroles,
         coalesce(pg_get_expr(p.polqual, p.polrelid), '') as qual,
         coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') as with_check
  from pg_policy p join tables t on t.oid = p.polrelid
)
select 'unindexed_foreign_keys', t.relname || '.' || co.conname
from pg_constraint co join tables t on t.oid = co.conrelid
where co.contype = 'f'
  and not exists (
    select 1 from pg_index i
    where i.indrelid = co.conrelid and i.indpred is null
      and (i.indkey::int2[])[0:cardinality(co.conkey) - 1] @> co.conkey
      and (i.indkey::int2[])[0:cardinality(co.conkey) - 1] <@ co.conkey)
union all
select 'auth_rls_initplan', relname || '.' || polname from policies
where (qual || ' ' || with_check) ~* '(auth\.(uid|jwt|role)\(\)|current_setting\()'
  and regexp_replace(qual || ' ' || with_check,
        '\(\s*select\s+\(?\s*(auth\.(uid|jwt|role)\(\)|nullif\(current_setting\(|current_setting\()', '', 'gi')
      ~* '(auth\.(uid|jwt|role)\(\)|current_setting\()'
union all
select 'multiple_permissive_policies', relname || ' ' || role || ' ' || cmd
from (
  select p.relname, r.role, c.cmd, count(*) as n
  from policies p
  cross join lateral unnest(case when p.polroles = '{0}' then array['public'] else
                           (select array_agg(rolname) from pg_roles where oid = any (p.polroles)) end) as r(role)
  cross join lateral unnest(case p.polcmd when '*' then array['r', 'a', 'w', 'd'] else array[p.polcmd::text] end) as c(cmd)
  where p.polpermissive
  group by 1, 2, 3
) x where n > 1
union all
select 'policy_exists_rls_disabled', t.relname from tables t
where not t.relrowsecurity and exists (select 1 from pg_policy p where p.polrelid = t.oid)
union all
select 'rls_enabled_no_policy', t.relname from tables t
where t.relrowsecurity and not exists (select 1 from pg_policy p where p.polrelid = t.oid)
union all
select 'duplicate_index', t.relname || ' ' || string_agg(ci.relname, ', ' order by ci.relname)
from pg_index i join tables t on t.oid = i.indrelid join pg_class ci on ci.oid = i.indexrelid
group by t.relname, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
         coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), (select amname from pg_am where oid = ci.relam)
having count(*) > 1
union all
select 'security_definer_view', c.relname
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind = 'v'
  and not coalesce(c.reloptions @> array['security_invoker=true'], false)
union all
select 'function_search_path_mutable', p.proname
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public'
  and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
  and not coalesce(exists (select 1 from unnest(p.proconfig) s where s like 'search_path=%'), false)
union all
select 'rls_disabled_in_public', t.relname from tables t where not t.relrowsecurity
union all
select 'extension_in_public', e.extname
from pg_extension e join pg_namespace n on n.oid = e.extnamespace
where n.nspname = 'public'
union all
select 'rls_references_user_metadata', relname || '.' || polname from policies
where (qual || ' ' || with_check) ~ 'user_metadata'
union all
select 'rls_policy_always_true', relname || '.' || polname from policies
where polpermissive and polcmd in ('a', 'w', 'd', '*')
  and (lower(qual) in ('true', '(true)') or lower(with_check) in ('true', '(true)'))
union all
select 'no_primary_key', t.relname from tables t
where not exists (select 1 from pg_constraint co where co.conrelid = t.oid and co.contype = 'p')
order by 1, 2;
