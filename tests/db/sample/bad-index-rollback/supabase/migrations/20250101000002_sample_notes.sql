-- Hand-written stand-in for packdbc's phase 2/3 output (the harness self-test; not generated).
create table public.notes (
  id bigint generated always as identity primary key,
  notebook_id uuid not null references public.notebooks (id) on delete cascade,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  status public.note_status not null default 'draft',
  body text not null default '',
  updated_at timestamptz not null default now()
);
create index notes_notebook_id_idx on public.notes (notebook_id);
create index notes_owner_id_status_idx on public.notes (owner_id, status) where status <> 'archived';

alter table public.notes enable row level security;
create policy notes_all_own on public.notes for all to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

-- Brownfield: extend a table from an earlier phase (the rollback drops the column again).
alter table public.notebooks add column note_count integer not null default 0;
create index notebooks_created_at_idx on public.notebooks (created_at desc);

create function public.set_updated_at() returns trigger
  language plpgsql set search_path = '' as
$$ begin new.updated_at := now(); return new; end $$;
create trigger notes_set_updated_at before update on public.notes
  for each row execute function public.set_updated_at();

create view public.published_notes with (security_invoker = true) as
  select id, notebook_id, body from public.notes where status = 'published';
