-- packdbc migration for pack writing_studio: phase 3, functions (search functions and views)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - view public.finished_manuscripts over public.manuscripts (security invoker: callers see only what RLS lets them)

create view public.finished_manuscripts with (security_invoker = true) as
  select id, user_id, slug, title, genre, status, target_words, created_at, updated_at
  from public.manuscripts
  where status = 'done';

grant select on table public.finished_manuscripts to app_user;
