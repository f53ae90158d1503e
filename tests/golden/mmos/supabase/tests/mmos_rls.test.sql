-- packdbc pgTAP tests for pack mmos: structure, indexes and RLS isolation.
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Run on a database with every migration applied: pg_prove -d <db> <this file>, or
-- supabase test db. Everything happens in one transaction that is rolled back.

begin;
create extension if not exists pgtap;
select plan(80);

-- structure: extensions and enums
select has_extension('extensions', 'vector', 'extension vector is installed in schema extensions');
select has_enum('public', 'mind_status', 'enum public.mind_status exists');
select enum_has_labels('public', 'mind_status', array['pending', 'processing', 'completed', 'failed', 'archived']::name[], 'enum public.mind_status has its values in order');

-- structure: public.minds
select has_table('public', 'minds', 'table public.minds exists');
select has_pk('public', 'minds', 'public.minds has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.minds'::regclass), 'row level security is enabled on public.minds');
select policies_are('public', 'minds', array['minds_select', 'minds_insert', 'minds_update', 'minds_delete']::name[], 'public.minds has exactly its declared policies');
select policy_cmd_is('public', 'minds', 'minds_select', 'select', 'policy minds_select on public.minds applies to select');
select policy_roles_are('public', 'minds', 'minds_select', array['authenticated']::name[], 'policy minds_select on public.minds is for authenticated');
select policy_cmd_is('public', 'minds', 'minds_insert', 'insert', 'policy minds_insert on public.minds applies to insert');
select policy_roles_are('public', 'minds', 'minds_insert', array['authenticated']::name[], 'policy minds_insert on public.minds is for authenticated');
select policy_cmd_is('public', 'minds', 'minds_update', 'update', 'policy minds_update on public.minds applies to update');
select policy_roles_are('public', 'minds', 'minds_update', array['authenticated']::name[], 'policy minds_update on public.minds is for authenticated');
select policy_cmd_is('public', 'minds', 'minds_delete', 'delete', 'policy minds_delete on public.minds applies to delete');
select policy_roles_are('public', 'minds', 'minds_delete', array['authenticated']::name[], 'policy minds_delete on public.minds is for authenticated');
select fk_ok('public', 'minds', array['user_id']::name[], 'auth', 'users', array['id']::name[], 'public.minds(user_id) references auth.users');
select has_index('public', 'minds', 'minds_user_id_created_at_idx', array['user_id', 'created_at']::name[], 'index minds_user_id_created_at_idx on public.minds');
select has_index('public', 'minds', 'minds_status_idx', array['status']::name[], 'index minds_status_idx on public.minds');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.minds'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_id']::text[]), 'public.minds(user_id) leads an index');
select has_trigger('public', 'minds', 'minds_set_updated_at', 'public.minds keeps updated_at current');

-- structure: public.mind_system_prompts
select has_table('public', 'mind_system_prompts', 'table public.mind_system_prompts exists');
select has_pk('public', 'mind_system_prompts', 'public.mind_system_prompts has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.mind_system_prompts'::regclass), 'row level security is enabled on public.mind_system_prompts');
select policies_are('public', 'mind_system_prompts', array['mind_system_prompts_select', 'mind_system_prompts_insert', 'mind_system_prompts_update', 'mind_system_prompts_delete']::name[], 'public.mind_system_prompts has exactly its declared policies');
select policy_cmd_is('public', 'mind_system_prompts', 'mind_system_prompts_select', 'select', 'policy mind_system_prompts_select on public.mind_system_prompts applies to select');
select policy_roles_are('public', 'mind_system_prompts', 'mind_system_prompts_select', array['authenticated']::name[], 'policy mind_system_prompts_select on public.mind_system_prompts is for authenticated');
select policy_cmd_is('public', 'mind_system_prompts', 'mind_system_prompts_insert', 'insert', 'policy mind_system_prompts_insert on public.mind_system_prompts applies to insert');
select policy_roles_are('public', 'mind_system_prompts', 'mind_system_prompts_insert', array['authenticated']::name[], 'policy mind_system_prompts_insert on public.mind_system_prompts is for authenticated');
select policy_cmd_is('public', 'mind_system_prompts', 'mind_system_prompts_update', 'update', 'policy mind_system_prompts_update on public.mind_system_prompts applies to update');
select policy_roles_are('public', 'mind_system_prompts', 'mind_system_prompts_update', array['authenticated']::name[], 'policy mind_system_prompts_update on public.mind_system_prompts is for authenticated');
select policy_cmd_is('public', 'mind_system_prompts', 'mind_system_prompts_delete', 'delete', 'policy mind_system_prompts_delete on public.mind_system_prompts applies to delete');
select policy_roles_are('public', 'mind_system_prompts', 'mind_system_prompts_delete', array['authenticated']::name[], 'policy mind_system_prompts_delete on public.mind_system_prompts is for authenticated');
select fk_ok('public', 'mind_system_prompts', array['mind_id']::name[], 'public', 'minds', array['id']::name[], 'public.mind_system_prompts(mind_id) references public.minds');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.mind_system_prompts'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['mind_id']::text[]), 'public.mind_system_prompts(mind_id) leads an index');
select has_trigger('public', 'mind_system_prompts', 'mind_system_prompts_set_updated_at', 'public.mind_system_prompts keeps updated_at current');

-- structure: public.mind_knowledge_chunks
select has_table('public', 'mind_knowledge_chunks', 'table public.mind_knowledge_chunks exists');
select has_pk('public', 'mind_knowledge_chunks', 'public.mind_knowledge_chunks has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.mind_knowledge_chunks'::regclass), 'row level security is enabled on public.mind_knowledge_chunks');
select policies_are('public', 'mind_knowledge_chunks', array['mind_knowledge_chunks_select', 'mind_knowledge_chunks_insert', 'mind_knowledge_chunks_update', 'mind_knowledge_chunks_delete']::name[], 'public.mind_knowledge_chunks has exactly its declared policies');
select policy_cmd_is('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_select', 'select', 'policy mind_knowledge_chunks_select on public.mind_knowledge_chunks applies to select');
select policy_roles_are('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_select', array['authenticated']::name[], 'policy mind_knowledge_chunks_select on public.mind_knowledge_chunks is for authenticated');
select policy_cmd_is('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_insert', 'insert', 'policy mind_knowledge_chunks_insert on public.mind_knowledge_chunks applies to insert');
select policy_roles_are('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_insert', array['authenticated']::name[], 'policy mind_knowledge_chunks_insert on public.mind_knowledge_chunks is for authenticated');
select policy_cmd_is('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_update', 'update', 'policy mind_knowledge_chunks_update on public.mind_knowledge_chunks applies to update');
select policy_roles_are('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_update', array['authenticated']::name[], 'policy mind_knowledge_chunks_update on public.mind_knowledge_chunks is for authenticated');
select policy_cmd_is('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_delete', 'delete', 'policy mind_knowledge_chunks_delete on public.mind_knowledge_chunks applies to delete');
select policy_roles_are('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_delete', array['authenticated']::name[], 'policy mind_knowledge_chunks_delete on public.mind_knowledge_chunks is for authenticated');
select fk_ok('public', 'mind_knowledge_chunks', array['mind_id']::name[], 'public', 'minds', array['id']::name[], 'public.mind_knowledge_chunks(mind_id) references public.minds');
select has_index('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_embedding_idx', array['embedding']::name[], 'index mind_knowledge_chunks_embedding_idx on public.mind_knowledge_chunks');
select has_index('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_mind_id_idx', array['mind_id']::name[], 'index mind_knowledge_chunks_mind_id_idx on public.mind_knowledge_chunks');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.mind_knowledge_chunks'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['mind_id']::text[]), 'public.mind_knowledge_chunks(mind_id) leads an index');
select has_trigger('public', 'mind_knowledge_chunks', 'mind_knowledge_chunks_set_updated_at', 'public.mind_knowledge_chunks keeps updated_at current');

-- structure: the updated_at trigger function
select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=""'])
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'mmos_set_updated_at'), 'function public.mmos_set_updated_at is security invoker with a fixed empty search_path');

-- structure: search functions and views
select has_function('public', 'search_mind_knowledge', 'search function public.search_mind_knowledge exists');
select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=""'])
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'search_mind_knowledge'), 'function public.search_mind_knowledge is security invoker with a fixed empty search_path');
select has_view('public', 'active_minds', 'view public.active_minds exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.active_minds'::regclass), 'view public.active_minds runs with the caller''s rights (security_invoker)');

-- RLS isolation: two users, A and B (created as the superuser running the tests)
insert into auth.users (id) values ('00000000-0000-4000-8000-00000000000a'::uuid), ('00000000-0000-4000-8000-00000000000b'::uuid);

-- sample rows: user A writes its own rows (following the foreign keys from them); rows of
-- tables users cannot write come from the superuser
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select lives_ok(
  $$ insert into public.minds (id, slug, name) values ('00000000-0000-4000-a000-000000000001'::uuid, 'sample-minds-a', 'sample-minds-a') $$,
  'user A can create a row in public.minds');
select lives_ok(
  $$ insert into public.mind_system_prompts (id, mind_id, version, prompt_type, content) values ('00000000-0000-4000-a000-000000000002'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-mind_system_prompts-a', 'sample-mind_system_prompts-a') $$,
  'user A can create a row in public.mind_system_prompts');
select lives_ok(
  $$ insert into public.mind_knowledge_chunks (id, mind_id, chunk_text) values ('00000000-0000-4000-a000-000000000003'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 'sample-mind_knowledge_chunks-a') $$,
  'user A can create a row in public.mind_knowledge_chunks');

-- as user B: none of user A's rows can be seen, forged, changed or deleted
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000b';
select is((select count(*) from public.minds), 0::bigint, 'user B sees none of user A''s rows in public.minds');
select throws_ok(
  $$ insert into public.minds (user_id, slug, name) values ('00000000-0000-4000-8000-00000000000a'::uuid, 'sample-minds-b', 'sample-minds-b') $$,
  '42501', 'new row violates row-level security policy for table "minds"',
  'user B cannot create a row owned by user A in public.minds');
with changed as (update public.minds set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.minds') from changed;
with gone as (delete from public.minds returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.minds') from gone;
select is((select count(*) from public.mind_system_prompts), 0::bigint, 'user B sees none of user A''s rows in public.mind_system_prompts');
select throws_ok(
  $$ insert into public.mind_system_prompts (mind_id, version, prompt_type, content) values ('00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-mind_system_prompts-b', 'sample-mind_system_prompts-b') $$,
  '42501', 'new row violates row-level security policy for table "mind_system_prompts"',
  'user B cannot add a row under user A''s minds in public.mind_system_prompts');
with changed as (update public.mind_system_prompts set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.mind_system_prompts') from changed;
with gone as (delete from public.mind_system_prompts returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.mind_system_prompts') from gone;
select is((select count(*) from public.mind_knowledge_chunks), 0::bigint, 'user B sees none of user A''s rows in public.mind_knowledge_chunks');
select throws_ok(
  $$ insert into public.mind_knowledge_chunks (mind_id, chunk_text) values ('00000000-0000-4000-a000-000000000001'::uuid, 'sample-mind_knowledge_chunks-b') $$,
  '42501', 'new row violates row-level security policy for table "mind_knowledge_chunks"',
  'user B cannot add a row under user A''s minds in public.mind_knowledge_chunks');
with changed as (update public.mind_knowledge_chunks set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.mind_knowledge_chunks') from changed;
with gone as (delete from public.mind_knowledge_chunks returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.mind_knowledge_chunks') from gone;
select is((select count(*) from public.search_mind_knowledge('00000000-0000-4000-a000-000000000001'::uuid, array_fill(0.1::real, array[1536])::extensions.vector)), 0::bigint, 'search function public.search_mind_knowledge returns none of user A''s rows to user B');
select is((select count(*) from public.active_minds), 0::bigint, 'view public.active_minds shows user B none of user A''s rows');

-- as user A: its own rows are visible
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select is((select count(*) from public.minds), 1::bigint, 'user A sees its own row in public.minds');
select is((select count(*) from public.mind_system_prompts), 1::bigint, 'user A sees its own row in public.mind_system_prompts');
select is((select count(*) from public.mind_knowledge_chunks), 1::bigint, 'user A sees its own row in public.mind_knowledge_chunks');

-- as anon (not signed in): nothing private is visible
reset role;
set local role anon;
set local request.jwt.claim.sub = '';
select is((select count(*) from public.minds), 0::bigint, 'anon sees no rows of public.minds');
select is((select count(*) from public.mind_system_prompts), 0::bigint, 'anon sees no rows of public.mind_system_prompts');
select is((select count(*) from public.mind_knowledge_chunks), 0::bigint, 'anon sees no rows of public.mind_knowledge_chunks');
reset role;

select * from finish();
rollback;
