-- packdbc migration for pack innerlens: phase 1, foundation (extensions, enums, root tables, their RLS, seed rows)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - enum public.assessment_type (big5, mbti, disc, enneagram)
--   - enum public.assessment_status (in_progress, completed, abandoned)
--   - trigger function public.innerlens_set_updated_at() keeping updated_at current (fixed search_path)
--   - table public.assessments — Catalog of assessment definitions, shared by all users (11 columns, 1 index, RLS with 1 policy, updated_at trigger)
--   - table public.user_assessments — A user's sitting of an assessment (7 columns, 2 foreign keys, 3 indexes, RLS with 4 policies, updated_at trigger)
--   - 3 seed rows in public.assessments

create type public.assessment_type as enum ('big5', 'mbti', 'disc', 'enneagram');

create type public.assessment_status as enum ('in_progress', 'completed', 'abandoned');

create function public.innerlens_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.assessments (
  id uuid not null default gen_random_uuid(),
  slug text not null,
  name text not null,
  type public.assessment_type not null,
  description text,
  questions jsonb not null,
  scoring jsonb,
  estimated_minutes integer,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint assessments_pkey primary key (id),
  constraint assessments_slug_key unique (slug),
  constraint assessments_check check (estimated_minutes > 0)
);

comment on table public.assessments is 'Catalog of assessment definitions, shared by all users';

create index assessments_type_name_idx on public.assessments using btree (type, name);

alter table public.assessments enable row level security;

create policy assessments_select on public.assessments
  for select
  to authenticated
  using (true);

create trigger assessments_set_updated_at
  before update on public.assessments
  for each row execute function public.innerlens_set_updated_at();

create table public.user_assessments (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  assessment_id uuid not null,
  status public.assessment_status not null default 'in_progress',
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_assessments_pkey primary key (id),
  constraint completed_has_date check (not (status = 'completed' and completed_at is null)),
  constraint user_assessments_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade,
  constraint user_assessments_assessment_id_fkey foreign key (assessment_id) references public.assessments (id) on delete restrict
);

comment on table public.user_assessments is 'A user''s sitting of an assessment';

create index user_assessments_user_id_created_at_idx on public.user_assessments using btree (user_id, created_at desc);

create index user_assessments_user_id_assessment_id_created_at_idx on public.user_assessments using btree (user_id, assessment_id, created_at desc);

create index user_assessments_assessment_id_idx on public.user_assessments using btree (assessment_id);

alter table public.user_assessments enable row level security;

create policy user_assessments_select on public.user_assessments
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy user_assessments_insert on public.user_assessments
  for insert
  to authenticated
  with check ((user_id = (select auth.uid())) and assessment_id in (select id from public.assessments));

create policy user_assessments_update on public.user_assessments
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check ((user_id = (select auth.uid())) and assessment_id in (select id from public.assessments));

create policy user_assessments_delete on public.user_assessments
  for delete
  to authenticated
  using (user_id = (select auth.uid()));

create trigger user_assessments_set_updated_at
  before update on public.user_assessments
  for each row execute function public.innerlens_set_updated_at();

insert into public.assessments (slug, name, type, questions, scoring, estimated_minutes)
  values ('big-five-mini-ipip', 'Big Five (Mini-IPIP)', 'big5', '[{"id": "e1", "text": "I am the life of the party.", "dimension": "extraversion", "keyed": "+"}, {"id": "a1", "text": "I sympathize with the feelings of others.", "dimension": "agreeableness", "keyed": "+"}, {"id": "c1", "text": "I get chores done right away.", "dimension": "conscientiousness", "keyed": "+"}, {"id": "n1", "text": "I have frequent mood swings.", "dimension": "neuroticism", "keyed": "+"}, {"id": "o1", "text": "I have a vivid imagination.", "dimension": "openness", "keyed": "+"}]'::jsonb, '{"scale": {"min": 1, "max": 5}, "dimensions": ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"]}'::jsonb, 5);

insert into public.assessments (slug, name, type, questions, scoring, estimated_minutes)
  values ('type-indicator', 'Personality Type Indicator (MBTI-style)', 'mbti', '[{"id": "ei1", "text": "At a party you would rather", "choices": {"a": "talk with many people", "b": "talk with a few people you know"}, "dimension": "EI"}, {"id": "sn1", "text": "You trust more", "choices": {"a": "what you have seen", "b": "what you sense is possible"}, "dimension": "SN"}, {"id": "tf1", "text": "A decision should rest on", "choices": {"a": "logic", "b": "its effect on people"}, "dimension": "TF"}, {"id": "jp1", "text": "You prefer days that are", "choices": {"a": "planned", "b": "open"}, "dimension": "JP"}]'::jsonb, '{"axes": ["EI", "SN", "TF", "JP"], "a": ["E", "S", "T", "J"], "b": ["I", "N", "F", "P"]}'::jsonb, 10);

insert into public.assessments (slug, name, type, questions, scoring, estimated_minutes)
  values ('disc', 'DISC Behavioral Style', 'disc', '[{"id": "g1", "text": "Pick the word most like you and the one least like you", "choices": {"a": "decisive", "b": "outgoing", "c": "patient", "d": "precise"}}]'::jsonb, '{"styles": {"a": "D", "b": "I", "c": "S", "d": "C"}, "answer": "most/least"}'::jsonb, 8);
