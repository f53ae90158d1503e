-- packdbc migration for pack mmos: phase 2, extensions (dependent tables, their keys, indexes and RLS; changes to existing tables)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - table public.mind_system_prompts — Version-controlled system prompts (8 columns, 1 foreign key, RLS with 4 policies, updated_at trigger)
--   - table public.mind_knowledge_chunks — RAG-ready knowledge base (8 columns, 1 foreign key, 2 indexes, RLS with 4 policies, updated_at trigger)

create table public.mind_system_prompts (
  id uuid not null default gen_random_uuid(),
  mind_id uuid not null,
  version integer not null,
  prompt_type text not null,
  content text not null,
  metadata jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint mind_system_prompts_pkey primary key (id),
  constraint mind_system_prompts_mind_id_prompt_type_version_key unique (mind_id, prompt_type, version),
  constraint mind_system_prompts_check check (version >= 1),
  constraint mind_system_prompts_mind_id_fkey foreign key (mind_id) references public.minds (id) on delete cascade
);

comment on table public.mind_system_prompts is 'Version-controlled system prompts';

alter table public.mind_system_prompts enable row level security;

create policy mind_system_prompts_select on public.mind_system_prompts
  for select
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_system_prompts_insert on public.mind_system_prompts
  for insert
  to authenticated
  with check (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_system_prompts_update on public.mind_system_prompts
  for update
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())))
  with check (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_system_prompts_delete on public.mind_system_prompts
  for delete
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create trigger mind_system_prompts_set_updated_at
  before update on public.mind_system_prompts
  for each row execute function public.mmos_set_updated_at();

create table public.mind_knowledge_chunks (
  id uuid not null default gen_random_uuid(),
  mind_id uuid not null,
  chunk_text text not null,
  chunk_index integer not null default 0,
  embedding extensions.vector(1536),
  metadata jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint mind_knowledge_chunks_pkey primary key (id),
  constraint mind_knowledge_chunks_mind_id_fkey foreign key (mind_id) references public.minds (id) on delete cascade
);

comment on table public.mind_knowledge_chunks is 'RAG-ready knowledge base';

create index mind_knowledge_chunks_embedding_idx on public.mind_knowledge_chunks using hnsw (embedding extensions.vector_cosine_ops);

create index mind_knowledge_chunks_mind_id_idx on public.mind_knowledge_chunks using btree (mind_id);

alter table public.mind_knowledge_chunks enable row level security;

create policy mind_knowledge_chunks_select on public.mind_knowledge_chunks
  for select
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_knowledge_chunks_insert on public.mind_knowledge_chunks
  for insert
  to authenticated
  with check (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_knowledge_chunks_update on public.mind_knowledge_chunks
  for update
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())))
  with check (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create policy mind_knowledge_chunks_delete on public.mind_knowledge_chunks
  for delete
  to authenticated
  using (mind_id in (select id from public.minds where user_id = (select auth.uid())));

create trigger mind_knowledge_chunks_set_updated_at
  before update on public.mind_knowledge_chunks
  for each row execute function public.mmos_set_updated_at();
