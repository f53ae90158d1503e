-- packdbc migration for pack mmos: phase 3, functions (search functions and views)
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Apply: psql -v ON_ERROR_STOP=1 --single-transaction -f <file>, or supabase db push.
-- Rollback: supabase/rollback/ holds the exact reverse under the same name (.down.sql).
--
-- Creates:
--   - search function public.search_mind_knowledge: nearest rows of public.mind_knowledge_chunks by embedding (security invoker, fixed search_path, at most 10 rows by default)
--   - view public.active_minds over public.minds (security invoker: callers see only what RLS lets them)

create function public.search_mind_knowledge(
  mind uuid,
  query_embedding extensions.vector(1536),
  match_count integer default 10
)
returns table (id uuid, mind_id uuid, chunk_text text, chunk_index integer, metadata jsonb, created_at timestamptz, updated_at timestamptz, similarity double precision)
language sql
stable
security invoker
set search_path = ''
as $$
  select
    mind_knowledge_chunks.id,
    mind_knowledge_chunks.mind_id,
    mind_knowledge_chunks.chunk_text,
    mind_knowledge_chunks.chunk_index,
    mind_knowledge_chunks.metadata,
    mind_knowledge_chunks.created_at,
    mind_knowledge_chunks.updated_at,
    (1 - (mind_knowledge_chunks.embedding operator(extensions.<=>) search_mind_knowledge.query_embedding))::double precision as similarity
  from public.mind_knowledge_chunks
  where mind_knowledge_chunks.mind_id = search_mind_knowledge.mind
  order by mind_knowledge_chunks.embedding operator(extensions.<=>) search_mind_knowledge.query_embedding
  limit search_mind_knowledge.match_count
$$;

create view public.active_minds with (security_invoker = true) as
  select id, user_id, slug, name, personality_type, communication_style, status, version, cognitive_model, last_run_at, validation_scores, created_at, updated_at
  from public.minds
  where status = 'completed';
