-- packdbc rollback for pack mmos: phase 1, foundation
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop table public.minds;

drop function public.mmos_set_updated_at();

drop type public.mind_status;

do $$
begin
  if exists (select 1 from pg_catalog.pg_extension e
             where e.extname = 'vector'
               and pg_catalog.obj_description(e.oid, 'pg_extension') = 'packdbc:mmos') then
    drop extension vector;
  end if;
end
$$;
