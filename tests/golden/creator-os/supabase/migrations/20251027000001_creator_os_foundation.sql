-- packdbc migration for pack creator_os: phase 1, foundation (extensions, enums, root tables, their RLS, seed rows)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - enum public.course_status (draft, generating, review, published, archived)
--   - enum public.lesson_content_type (video, article, quiz, exercise)
--   - enum public.progress_status (not_started, in_progress, completed)
--   - trigger function public.creator_os_set_updated_at() keeping updated_at current (fixed search_path)
--   - table public.courses — Course definitions, one per generated course (13 columns, 1 foreign key, 1 index, RLS with 4 policies, updated_at trigger)
--   - 1 seed row in public.courses (inserted only when the owner exists)

create type public.course_status as enum ('draft', 'generating', 'review', 'published', 'archived');

create type public.lesson_content_type as enum ('video', 'article', 'quiz', 'exercise');

create type public.progress_status as enum ('not_started', 'in_progress', 'completed');

create function public.creator_os_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.courses (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  slug text not null,
  title text not null,
  topic text,
  target_audience text,
  language text not null default 'en',
  status public.course_status not null default 'draft',
  outline jsonb,
  last_generated_at timestamptz,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint courses_pkey primary key (id),
  constraint courses_user_id_slug_key unique (user_id, slug),
  constraint published_has_date check (not (status = 'published' and published_at is null)),
  constraint courses_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
);

comment on table public.courses is 'Course definitions, one per generated course';

create index courses_user_id_updated_at_idx on public.courses using btree (user_id, updated_at desc);

alter table public.courses enable row level security;

create policy courses_select on public.courses
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy courses_insert on public.courses
  for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy courses_update on public.courses
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy courses_delete on public.courses
  for delete
  to authenticated
  using (user_id = (select auth.uid()));

create trigger courses_set_updated_at
  before update on public.courses
  for each row execute function public.creator_os_set_updated_at();

insert into public.courses (id, slug, title, user_id)
  select '00000000-0000-4000-8000-00000000c001'::uuid, 'getting-started', 'Getting Started with CreatorOS', '00000000-0000-0000-0000-000000000001'::uuid
  where exists (select 1 from auth.users where id = '00000000-0000-0000-0000-000000000001'::uuid);
