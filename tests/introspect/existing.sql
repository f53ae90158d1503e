-- existing.sql — the schema of an application that is already in production ("taskboard"),
-- loaded into a database cloned from supabase_template (tests/db/supabase-env.sql) before
-- packdbc looks at it. It follows its own conventions, not the stdlib's, so the tests can
-- tell that packdbc found them:
--   * bigint identity keys (generated always), not uuid
--   * `inserted_at`, not `created_at`; `updated_at` on the tables that are edited (3 of 6)
--   * tenancy via `owner_id` → auth.users on 5 of 6 tables
--   * RLS on every table but one (audit_log: written by a service, read by no API role)
--   * table names in the singular, including a generic `project` table
--   * foreign keys on delete cascade, except one set null (9 of 10 cascade)
-- and it has what inspect must report: a non-default operator class, partial indexes, an
-- expression index, an INCLUDE column, a check, uniques, an enum, policies with using / with check, a view, functions, triggers
-- and an extension.
-- Applied with psql -v ON_ERROR_STOP=1 --single-transaction.

create extension pgcrypto with schema extensions;

create type public.task_status as enum ('todo', 'doing', 'done', 'archived');

create function public.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.project (
  id          bigint generated always as identity primary key,
  owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name        text not null,
  description text,
  settings    jsonb not null default '{}'::jsonb,
  archived    boolean not null default false,
  inserted_at timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  constraint project_name_length check (char_length(name) between 1 and 200),
  constraint project_owner_name_key unique (owner_id, name)
);
create index project_settings_idx on public.project using gin (settings jsonb_path_ops);
create index project_active_idx on public.project (owner_id, inserted_at desc) where not archived;

create table public.task (
  id          bigint generated always as identity primary key,
  owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
  project_id  bigint not null references public.project (id) on delete cascade,
  title       text not null,
  status      public.task_status not null default 'todo',
  due_on      date,
  assignee_id uuid references auth.users (id) on delete set null,
  inserted_at timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index task_owner_id_idx on public.task (owner_id) include (status);
create index task_project_id_idx on public.task (project_id);
create index task_assignee_id_idx on public.task (assignee_id);
create index task_open_idx on public.task (project_id, due_on) where status <> 'archived';

create table public.comment (
  id          bigint generated always as identity primary key,
  owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
  task_id     bigint not null references public.task (id) on delete cascade,
  body        text not null,
  inserted_at timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index comment_owner_id_idx on public.comment (owner_id);
create index comment_task_id_idx on public.comment (task_id, inserted_at);

create table public.tag (
  id          bigint generated always as identity primary key,
  owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
  label       text not null,
  inserted_at timestamptz not null default now(),
  constraint tag_owner_label_key unique (owner_id, label)
);

create index tag_owner_lower_label_idx on public.tag (owner_id, lower(label));

create table public.task_tag (
  id          bigint generated always as identity primary key,
  owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
  task_id     bigint not null references public.task (id) on delete cascade,
  tag_id      bigint not null references public.tag (id) on delete cascade,
  inserted_at timestamptz not null default now(),
  constraint task_tag_task_tag_key unique (task_id, tag_id)
);
create index task_tag_owner_id_idx on public.task_tag (owner_id);
create index task_tag_tag_id_idx on public.task_tag (tag_id);

-- Written by a backend service with the service role; no API role reads it. No RLS.
create table public.audit_log (
  id          bigint generated always as identity primary key,
  actor_id    uuid,
  action      text not null,
  payload     jsonb,
  inserted_at timestamptz not null default now()
);
revoke all on public.audit_log from anon, authenticated;

create trigger project_touch_updated_at before update on public.project
  for each row execute function public.touch_updated_at();
create trigger task_touch_updated_at before update on public.task
  for each row execute function public.touch_updated_at();
create trigger comment_touch_updated_at before update on public.comment
  for each row execute function public.touch_updated_at();

-- Row-level security: each user sees and writes their own rows.
alter table public.project enable row level security;
alter table public.task enable row level security;
alter table public.comment enable row level security;
alter table public.tag enable row level security;
alter table public.task_tag enable row level security;

create policy project_select on public.project for select to authenticated
  using ((select auth.uid()) = owner_id);
create policy project_insert on public.project for insert to authenticated
  with check ((select auth.uid()) = owner_id);
create policy project_update on public.project for update to authenticated
  using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);
create policy project_delete on public.project for delete to authenticated
  using ((select auth.uid()) = owner_id);
create policy task_owner on public.task for all to authenticated
  using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);
create policy comment_owner on public.comment for all to authenticated
  using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);
create policy tag_owner on public.tag for all to authenticated
  using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);
create policy task_tag_owner on public.task_tag for all to authenticated
  using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);

create view public.open_task with (security_invoker = true) as
  select t.id, t.project_id, t.title, t.status, t.due_on
  from public.task t
  where t.status <> 'archived';

create function public.project_task_count(p_project_id bigint) returns bigint
language sql stable
set search_path = ''
as $$ select count(*) from public.task t where t.project_id = p_project_id $$;
