-- packdbc migration for pack mmos: phase 1, foundation (extensions, enums, root tables, their RLS, seed rows)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - extension vector in schema extensions (created only if missing; the rollback drops it only if this pack created it)
--   - enum public.mind_status (pending, processing, completed, failed, archived)
--   - trigger function public.mmos_set_updated_at() keeping updated_at current (fixed search_path)
--   - table public.minds — Cognitive clone definitions, one per mind (13 columns, 1 foreign key, 2 indexes, RLS with 4 policies, updated_at trigger)
--   - 1 seed row in public.minds (inserted only when the owner exists)

do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'vector') then
    create extension vector with schema extensions;
    comment on extension vector is 'packdbc:mmos';
  end if;
end
$$;

create type public.mind_status as enum ('pending', 'processing', 'completed', 'failed', 'archived');

create function public.mmos_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create table public.minds (
  id uuid not null default gen_random_uuid(),
  user_id uuid not null default auth.uid(),
  slug text not null,
  name text not null,
  personality_type text,
  communication_style text,
  status public.mind_status not null default 'pending',
  version integer not null default 1,
  cognitive_model jsonb,
  last_run_at timestamptz,
  validation_scores jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint minds_pkey primary key (id),
  constraint minds_user_id_slug_key unique (user_id, slug),
  constraint minds_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
);

comment on table public.minds is 'Cognitive clone definitions, one per mind';

create index minds_user_id_created_at_idx on public.minds using btree (user_id, created_at desc);

create index minds_status_idx on public.minds using btree (status) where status = 'completed';

alter table public.minds enable row level security;

create policy minds_select on public.minds
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy minds_insert on public.minds
  for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy minds_update on public.minds
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy minds_delete on public.minds
  for delete
  to authenticated
  using (user_id = (select auth.uid()));

create trigger minds_set_updated_at
  before update on public.minds
  for each row execute function public.mmos_set_updated_at();

insert into public.minds (slug, name, user_id)
  select 'test-mind', 'Test Mind', '00000000-0000-0000-0000-000000000001'::uuid
  where exists (select 1 from auth.users where id = '00000000-0000-0000-0000-000000000001'::uuid);
