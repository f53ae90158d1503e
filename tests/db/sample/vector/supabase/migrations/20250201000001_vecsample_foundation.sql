-- Hand-written stand-in for a packdbc output that needs pgvector (PGlite self-test; not generated).
create extension if not exists vector;

create table public.chunks (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  content text not null,
  embedding vector(1536) not null
);
create index chunks_owner_id_idx on public.chunks (owner_id);
create index chunks_embedding_hnsw_idx on public.chunks using hnsw (embedding vector_cosine_ops);

alter table public.chunks enable row level security;
create policy chunks_all_own on public.chunks for all to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
