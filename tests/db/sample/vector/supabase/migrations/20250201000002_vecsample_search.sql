-- A search function in the style of the seed's search_mind_knowledge: runs as the caller
-- (security invoker), so RLS limits results to the caller's rows; fixed search_path.
create function public.search_chunks(query_embedding vector(1536), match_count integer default 5)
returns table (id bigint, content text, similarity double precision)
language sql stable
set search_path = ''
as $$
  select c.id, c.content, 1 - (c.embedding operator(public.<=>) query_embedding) as similarity
  from public.chunks c
  order by c.embedding operator(public.<=>) query_embedding
  limit match_count
$$;
