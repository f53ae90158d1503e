-- packdbc migration for pack innerlens: phase 3, functions (search functions and views)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - view public.active_assessments over public.assessments (security invoker: callers see only what RLS lets them)
--   - view public.completed_assessments over public.user_assessments (security invoker: callers see only what RLS lets them)

create view public.active_assessments with (security_invoker = true) as
  select id, slug, name, type, description, estimated_minutes
  from public.assessments
  where active = true;

create view public.completed_assessments with (security_invoker = true) as
  select id, user_id, assessment_id, status, completed_at, created_at, updated_at
  from public.user_assessments
  where status = 'completed';
