-- packdbc rollback for pack writing_studio: phase 3, functions
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop view public.finished_manuscripts;
