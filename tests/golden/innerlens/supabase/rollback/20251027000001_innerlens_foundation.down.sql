-- packdbc rollback for pack innerlens: phase 1, foundation
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop table public.user_assessments;

drop table public.assessments;

drop function public.innerlens_set_updated_at();

drop type public.assessment_status;

drop type public.assessment_type;
