begin;
create extension if not exists pgtap;
select plan(6);

select has_extension('vector', 'pgvector is installed');
select has_index('public', 'chunks', 'chunks_embedding_hnsw_idx', 'HNSW index exists');
select is(pg_get_indexdef('public.chunks_embedding_hnsw_idx'::regclass) ~ 'USING hnsw \(embedding vector_cosine_ops\)',
          true, 'HNSW index uses the cosine operator class');

insert into auth.users (id) values
  ('00000000-0000-0000-0000-0000000000a1'), ('00000000-0000-0000-0000-0000000000b2');
insert into public.chunks (owner_id, content, embedding)
select u, format('%s-%s', right(u::text, 2), g), array_fill(g::real, array[1536])::vector
from unnest(array['00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000b2']::uuid[]) u,
     generate_series(1, 4) g;

set local role authenticated;
select set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-0000000000a1', true);
select is((select count(*) from public.search_chunks(array_fill(1::real, array[1536])::vector, 10)),
          4::bigint, 'search sees only the caller''s 4 chunks');
select ok((select bool_and(content like 'a1-%') from public.search_chunks(array_fill(1::real, array[1536])::vector, 10)),
          'every result belongs to the caller');
select cmp_ok((select similarity from public.search_chunks(array_fill(1::real, array[1536])::vector, 1)),
              '>', 0.99::double precision, 'nearest chunk is (cosine) identical');

select * from finish();
rollback;
