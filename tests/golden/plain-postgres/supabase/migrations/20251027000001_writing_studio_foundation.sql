-- packdbc migration for pack writing_studio: phase 1, foundation (extensions, enums, root tables, their RLS, seed rows)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - enum public.manuscript_status (outlining, drafting, revising, done)
--   - trigger function public.writing_studio_set_updated_at() keeping updated_at current (fixed search_path)
--   - table public.manuscripts — A writer's manuscripts (9 columns, 1 index, RLS with 4 policies, updated_at trigger)

create type public.manuscript_status as enum ('outlining', 'drafting', 'revising', 'done');

create function public.writing_studio_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.manuscripts (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default nullif(current_setting('app.user_id', true), '')::uuid,
  slug text not null,
  title text not null,
  genre text,
  status public.manuscript_status not null default 'outlining',
  target_words integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint manuscripts_pkey primary key (id),
  constraint manuscripts_user_id_slug_key unique (user_id, slug),
  constraint manuscripts_check check (target_words > 0)
);

comment on table public.manuscripts is 'A writer''s manuscripts';

create index manuscripts_user_id_updated_at_idx on public.manuscripts using btree (user_id, updated_at desc);

alter table public.manuscripts enable row level security;

grant select, insert, update, delete on table public.manuscripts to app_user;

create policy manuscripts_select on public.manuscripts
  for select
  to app_user
  using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

create policy manuscripts_insert on public.manuscripts
  for insert
  to app_user
  with check (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

create policy manuscripts_update on public.manuscripts
  for update
  to app_user
  using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid))
  with check (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

create policy manuscripts_delete on public.manuscripts
  for delete
  to app_user
  using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

create trigger manuscripts_set_updated_at
  before update on public.manuscripts
  for each row execute function public.writing_studio_set_updated_at();
