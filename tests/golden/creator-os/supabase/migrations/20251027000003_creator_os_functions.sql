-- packdbc migration for pack creator_os: phase 3, functions (search functions and views)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - view public.published_courses over public.courses (security invoker: callers see only what RLS lets them)
--   - view public.completed_lessons over public.lesson_progress (security invoker: callers see only what RLS lets them)

create view public.published_courses with (security_invoker = true) as
  select id, user_id, slug, title, topic, target_audience, language, status, outline, last_generated_at, published_at, created_at, updated_at
  from public.courses
  where status = 'published';

create view public.completed_lessons with (security_invoker = true) as
  select id, user_id, lesson_id, quiz_score, completed_at
  from public.lesson_progress
  where status = 'completed';
