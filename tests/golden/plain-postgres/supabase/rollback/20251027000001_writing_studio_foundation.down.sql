-- packdbc rollback for pack writing_studio: phase 1, foundation
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop table public.manuscripts;

drop function public.writing_studio_set_updated_at();

drop type public.manuscript_status;
