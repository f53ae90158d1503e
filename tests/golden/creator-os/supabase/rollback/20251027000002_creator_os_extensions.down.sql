-- packdbc rollback for pack creator_os: phase 2, extensions
-- The exact reverse of supabase/migrations/ of the same name: drops what it created, in
-- reverse order, and returns the catalog to where it was before it. Nothing is dropped
-- 'if exists' (except extensions this pack created): a failing rollback fails loudly.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>.

drop table public.lesson_progress;

drop table public.course_content;

drop table public.course_lessons;

drop table public.course_modules;
