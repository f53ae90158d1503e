-- packdbc rollback for pack creator_os: phase 1, foundation
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop table public.courses;

drop function public.creator_os_set_updated_at();

drop type public.progress_status;

drop type public.lesson_content_type;

drop type public.course_status;
