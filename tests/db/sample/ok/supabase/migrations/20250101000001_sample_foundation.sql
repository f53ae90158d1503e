-- Hand-written stand-in for packdbc's phase 1 output (the harness self-test; not generated).
create type public.note_status as enum ('draft', 'published', 'archived');

create table public.notebooks (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  created_at timestamptz not null default now()
);
comment on table public.notebooks is 'A user''s notebook';
create index notebooks_owner_id_idx on public.notebooks (owner_id);

alter table public.notebooks enable row level security;
create policy notebooks_select_own on public.notebooks for select to authenticated
  using (owner_id = (select auth.uid()));
create policy notebooks_insert_own on public.notebooks for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy notebooks_update_own on public.notebooks for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy notebooks_delete_own on public.notebooks for delete to authenticated
  using (owner_id = (select auth.uid()));
