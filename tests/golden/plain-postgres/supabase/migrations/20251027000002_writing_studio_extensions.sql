-- packdbc migration for pack writing_studio: phase 2, extensions (dependent tables, their keys, indexes and RLS; changes to existing tables)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - table public.chapter_drafts — Every draft of every chapter (9 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)

create table public.chapter_drafts (
  id uuid not null default gen_random_uuid(),
  manuscript_id uuid not null,
  chapter integer not null,
  version integer not null default 1,
  word_count integer not null default 0,
  title text,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint chapter_drafts_pkey primary key (id),
  constraint chapter_drafts_manuscript_id_chapter_version_key unique (manuscript_id, chapter, version),
  constraint chapter_drafts_check check ((chapter >= 1 and version >= 1) and word_count >= 0),
  constraint chapter_drafts_manuscript_id_fkey foreign key (manuscript_id) references public.manuscripts (id) on delete cascade
);

comment on table public.chapter_drafts is 'Every draft of every chapter';

alter table public.chapter_drafts enable row level security;

grant select, insert, update, delete on table public.chapter_drafts to app_user;

create policy chapter_drafts_select on public.chapter_drafts
  for select
  to app_user
  using (manuscript_id in (select id from public.manuscripts where user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)));

create policy chapter_drafts_insert on public.chapter_drafts
  for insert
  to app_user
  with check (manuscript_id in (select id from public.manuscripts where user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)));

create policy chapter_drafts_update on public.chapter_drafts
  for update
  to app_user
  using (manuscript_id in (select id from public.manuscripts where user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)))
  with check (manuscript_id in (select id from public.manuscripts where user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)));

create policy chapter_drafts_delete on public.chapter_drafts
  for delete
  to app_user
  using (manuscript_id in (select id from public.manuscripts where user_id = (select nullif(current_setting('app.user_id', true), '')::uuid)));

create trigger chapter_drafts_set_updated_at
  before update on public.chapter_drafts
  for each row execute function public.writing_studio_set_updated_at();
