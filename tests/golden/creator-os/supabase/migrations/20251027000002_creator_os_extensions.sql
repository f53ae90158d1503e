-- packdbc migration for pack creator_os: phase 2, extensions (dependent tables, their keys, indexes and RLS; changes to existing tables)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - table public.course_modules — Ordered modules of a course (7 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)
--   - table public.course_lessons — Ordered lessons of a module (8 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)
--   - table public.course_content — Generated lesson material, one version per generation run (10 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)
--   - table public.lesson_progress — Each user's progress through lessons (9 columns, 2 foreign keys, 2 indexes, RLS with 4 policies, updated_at trigger)
--   - 1 seed row in public.course_modules
--   - 1 seed row in public.course_lessons

create table public.course_modules (
  id uuid not null default gen_random_uuid(),
  course_id uuid not null,
  position integer not null,
  title text not null,
  summary text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint course_modules_pkey primary key (id),
  constraint course_modules_course_id_position_key unique (course_id, position),
  constraint course_modules_check check (position >= 1),
  constraint course_modules_course_id_fkey foreign key (course_id) references public.courses (id) on delete cascade
);

comment on table public.course_modules is 'Ordered modules of a course';

alter table public.course_modules enable row level security;

create policy course_modules_select on public.course_modules
  for select
  to authenticated
  using (course_id in (select id from public.courses where user_id = (select auth.uid())));

create policy course_modules_insert on public.course_modules
  for insert
  to authenticated
  with check (course_id in (select id from public.courses where user_id = (select auth.uid())));

create policy course_modules_update on public.course_modules
  for update
  to authenticated
  using (course_id in (select id from public.courses where user_id = (select auth.uid())))
  with check (course_id in (select id from public.courses where user_id = (select auth.uid())));

create policy course_modules_delete on public.course_modules
  for delete
  to authenticated
  using (course_id in (select id from public.courses where user_id = (select auth.uid())));

create trigger course_modules_set_updated_at
  before update on public.course_modules
  for each row execute function public.creator_os_set_updated_at();

create table public.course_lessons (
  id uuid not null default gen_random_uuid(),
  course_module_id uuid not null,
  position integer not null,
  title text not null,
  content_type public.lesson_content_type not null default 'article',
  duration_min integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint course_lessons_pkey primary key (id),
  constraint course_lessons_course_module_id_position_key unique (course_module_id, position),
  constraint course_lessons_check check (position >= 1),
  constraint course_lessons_check2 check (duration_min > 0),
  constraint course_lessons_course_module_id_fkey foreign key (course_module_id) references public.course_modules (id) on delete cascade
);

comment on table public.course_lessons is 'Ordered lessons of a module';

alter table public.course_lessons enable row level security;

create policy course_lessons_select on public.course_lessons
  for select
  to authenticated
  using (course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid()))));

create policy course_lessons_insert on public.course_lessons
  for insert
  to authenticated
  with check (course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid()))));

create policy course_lessons_update on public.course_lessons
  for update
  to authenticated
  using (course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid()))))
  with check (course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid()))));

create policy course_lessons_delete on public.course_lessons
  for delete
  to authenticated
  using (course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid()))));

create trigger course_lessons_set_updated_at
  before update on public.course_lessons
  for each row execute function public.creator_os_set_updated_at();

create table public.course_content (
  id uuid not null default gen_random_uuid(),
  course_lesson_id uuid not null,
  version integer not null default 1,
  body text not null,
  video_script text,
  quiz jsonb,
  generated_at timestamptz not null default now(),
  generator text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint course_content_pkey primary key (id),
  constraint course_content_course_lesson_id_version_key unique (course_lesson_id, version),
  constraint course_content_check check (version >= 1),
  constraint course_content_course_lesson_id_fkey foreign key (course_lesson_id) references public.course_lessons (id) on delete cascade
);

comment on table public.course_content is 'Generated lesson material, one version per generation run';

alter table public.course_content enable row level security;

create policy course_content_select on public.course_content
  for select
  to authenticated
  using (course_lesson_id in (select id from public.course_lessons where course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid())))));

create policy course_content_insert on public.course_content
  for insert
  to authenticated
  with check (course_lesson_id in (select id from public.course_lessons where course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid())))));

create policy course_content_update on public.course_content
  for update
  to authenticated
  using (course_lesson_id in (select id from public.course_lessons where course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid())))))
  with check (course_lesson_id in (select id from public.course_lessons where course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid())))));

create policy course_content_delete on public.course_content
  for delete
  to authenticated
  using (course_lesson_id in (select id from public.course_lessons where course_module_id in (select id from public.course_modules where course_id in (select id from public.courses where user_id = (select auth.uid())))));

create trigger course_content_set_updated_at
  before update on public.course_content
  for each row execute function public.creator_os_set_updated_at();

create table public.lesson_progress (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  lesson_id uuid not null,
  status public.progress_status not null default 'not_started',
  percent integer not null default 0,
  quiz_score numeric(5,2),
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lesson_progress_pkey primary key (id),
  constraint lesson_progress_user_id_lesson_id_key unique (user_id, lesson_id),
  constraint lesson_progress_check check (percent >= 0 and percent <= 100),
  constraint quiz_score_range check (quiz_score >= 0 and quiz_score <= 100),
  constraint completed_has_date check (not (status = 'completed' and completed_at is null)),
  constraint lesson_progress_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade,
  constraint lesson_progress_lesson_id_fkey foreign key (lesson_id) references public.course_lessons (id) on delete cascade
);

comment on table public.lesson_progress is 'Each user''s progress through lessons';

create index lesson_progress_user_id_updated_at_idx on public.lesson_progress using btree (user_id, updated_at desc);

create index lesson_progress_lesson_id_idx on public.lesson_progress using btree (lesson_id);

alter table public.lesson_progress enable row level security;

create policy lesson_progress_select on public.lesson_progress
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy lesson_progress_insert on public.lesson_progress
  for insert
  to authenticated
  with check ((user_id = (select auth.uid())) and lesson_id in (select id from public.course_lessons));

create policy lesson_progress_update on public.lesson_progress
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check ((user_id = (select auth.uid())) and lesson_id in (select id from public.course_lessons));

create policy lesson_progress_delete on public.lesson_progress
  for delete
  to authenticated
  using (user_id = (select auth.uid()));

create trigger lesson_progress_set_updated_at
  before update on public.lesson_progress
  for each row execute function public.creator_os_set_updated_at();

insert into public.course_modules (id, course_id, position, title)
  select '00000000-0000-4000-8000-00000000c101'::uuid, '00000000-0000-4000-8000-00000000c001'::uuid, (1)::integer, 'Your first course'
  where exists (select 1 from public.courses where id = '00000000-0000-4000-8000-00000000c001'::uuid);

insert into public.course_lessons (course_module_id, position, title)
  select '00000000-0000-4000-8000-00000000c101'::uuid, (1)::integer, 'From a brief to an outline'
  where exists (select 1 from public.course_modules where id = '00000000-0000-4000-8000-00000000c101'::uuid);
