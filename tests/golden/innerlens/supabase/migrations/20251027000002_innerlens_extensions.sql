-- packdbc migration for pack innerlens: phase 2, extensions (dependent tables, their keys, indexes and RLS; changes to existing tables)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - table public.assessment_responses — The answers given in a sitting (6 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)
--   - table public.assessment_results — The profile computed from a sitting (8 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)

create table public.assessment_responses (
  id uuid not null default gen_random_uuid(),
  user_assessment_id uuid not null,
  question_id text not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint assessment_responses_pkey primary key (id),
  constraint assessment_responses_user_assessment_id_question_id_key unique (user_assessment_id, question_id),
  constraint assessment_responses_user_assessment_id_fkey foreign key (user_assessment_id) references public.user_assessments (id) on delete cascade
);

comment on table public.assessment_responses is 'The answers given in a sitting';

alter table public.assessment_responses enable row level security;

create policy assessment_responses_select on public.assessment_responses
  for select
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_responses_insert on public.assessment_responses
  for insert
  to authenticated
  with check (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_responses_update on public.assessment_responses
  for update
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())))
  with check (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_responses_delete on public.assessment_responses
  for delete
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create trigger assessment_responses_set_updated_at
  before update on public.assessment_responses
  for each row execute function public.innerlens_set_updated_at();

create table public.assessment_results (
  id uuid not null default gen_random_uuid(),
  user_assessment_id uuid not null,
  results jsonb not null,
  computed_at timestamptz not null default now(),
  profile_code text,
  summary text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint assessment_results_pkey primary key (id),
  constraint assessment_results_user_assessment_id_key unique (user_assessment_id),
  constraint assessment_results_user_assessment_id_fkey foreign key (user_assessment_id) references public.user_assessments (id) on delete cascade
);

comment on table public.assessment_results is 'The profile computed from a sitting';

alter table public.assessment_results enable row level security;

create policy assessment_results_select on public.assessment_results
  for select
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_results_insert on public.assessment_results
  for insert
  to authenticated
  with check (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_results_update on public.assessment_results
  for update
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())))
  with check (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create policy assessment_results_delete on public.assessment_results
  for delete
  to authenticated
  using (user_assessment_id in (select id from public.user_assessments where user_id = (select auth.uid())));

create trigger assessment_results_set_updated_at
  before update on public.assessment_results
  for each row execute function public.innerlens_set_updated_at();
