-- packdbc pgTAP tests for pack writing_studio: structure, indexes and RLS isolation.
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Run on a database with every migration applied: pg_prove -d <db> <this file>, or
-- supabase test db. Everything happens in one transaction that is rolled back.
-- No anonymous role in the profile: no anonymous-access tests.

begin;
create extension if not exists pgtap;
select plan(48);

-- structure: extensions and enums
select has_enum('public', 'manuscript_status', 'enum public.manuscript_status exists');
select enum_has_labels('public', 'manuscript_status', array['outlining', 'drafting', 'revising', 'done']::name[], 'enum public.manuscript_status has its values in order');

-- structure: public.manuscripts
select has_table('public', 'manuscripts', 'table public.manuscripts exists');
select has_pk('public', 'manuscripts', 'public.manuscripts has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.manuscripts'::regclass), 'row level security is enabled on public.manuscripts');
select policies_are('public', 'manuscripts', array['manuscripts_select', 'manuscripts_insert', 'manuscripts_update', 'manuscripts_delete']::name[], 'public.manuscripts has exactly its declared policies');
select policy_cmd_is('public', 'manuscripts', 'manuscripts_select', 'select', 'policy manuscripts_select on public.manuscripts applies to select');
select policy_roles_are('public', 'manuscripts', 'manuscripts_select', array['app_user']::name[], 'policy manuscripts_select on public.manuscripts is for app_user');
select policy_cmd_is('public', 'manuscripts', 'manuscripts_insert', 'insert', 'policy manuscripts_insert on public.manuscripts applies to insert');
select policy_roles_are('public', 'manuscripts', 'manuscripts_insert', array['app_user']::name[], 'policy manuscripts_insert on public.manuscripts is for app_user');
select policy_cmd_is('public', 'manuscripts', 'manuscripts_update', 'update', 'policy manuscripts_update on public.manuscripts applies to update');
select policy_roles_are('public', 'manuscripts', 'manuscripts_update', array['app_user']::name[], 'policy manuscripts_update on public.manuscripts is for app_user');
select policy_cmd_is('public', 'manuscripts', 'manuscripts_delete', 'delete', 'policy manuscripts_delete on public.manuscripts applies to delete');
select policy_roles_are('public', 'manuscripts', 'manuscripts_delete', array['app_user']::name[], 'policy manuscripts_delete on public.manuscripts is for app_user');
select has_index('public', 'manuscripts', 'manuscripts_user_id_updated_at_idx', array['user_id', 'updated_at']::name[], 'index manuscripts_user_id_updated_at_idx on public.manuscripts');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.manuscripts'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_id']::text[]), 'public.manuscripts(user_id) leads an index');
select has_trigger('public', 'manuscripts', 'manuscripts_set_updated_at', 'public.manuscripts keeps updated_at current');

-- structure: public.chapter_drafts
select has_table('public', 'chapter_drafts', 'table public.chapter_drafts exists');
select has_pk('public', 'chapter_drafts', 'public.chapter_drafts has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.chapter_drafts'::regclass), 'row level security is enabled on public.chapter_drafts');
select policies_are('public', 'chapter_drafts', array['chapter_drafts_select', 'chapter_drafts_insert', 'chapter_drafts_update', 'chapter_drafts_delete']::name[], 'public.chapter_drafts has exactly its declared policies');
select policy_cmd_is('public', 'chapter_drafts', 'chapter_drafts_select', 'select', 'policy chapter_drafts_select on public.chapter_drafts applies to select');
select policy_roles_are('public', 'chapter_drafts', 'chapter_drafts_select', array['app_user']::name[], 'policy chapter_drafts_select on public.chapter_drafts is for app_user');
select policy_cmd_is('public', 'chapter_drafts', 'chapter_drafts_insert', 'insert', 'policy chapter_drafts_insert on public.chapter_drafts applies to insert');
select policy_roles_are('public', 'chapter_drafts', 'chapter_drafts_insert', array['app_user']::name[], 'policy chapter_drafts_insert on public.chapter_drafts is for app_user');
select policy_cmd_is('public', 'chapter_drafts', 'chapter_drafts_update', 'update', 'policy chapter_drafts_update on public.chapter_drafts applies to update');
select policy_roles_are('public', 'chapter_drafts', 'chapter_drafts_update', array['app_user']::name[], 'policy chapter_drafts_update on public.chapter_drafts is for app_user');
select policy_cmd_is('public', 'chapter_drafts', 'chapter_drafts_delete', 'delete', 'policy chapter_drafts_delete on public.chapter_drafts applies to delete');
select policy_roles_are('public', 'chapter_drafts', 'chapter_drafts_delete', array['app_user']::name[], 'policy chapter_drafts_delete on public.chapter_drafts is for app_user');
select fk_ok('public', 'chapter_drafts', array['manuscript_id']::name[], 'public', 'manuscripts', array['id']::name[], 'public.chapter_drafts(manuscript_id) references public.manuscripts');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.chapter_drafts'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['manuscript_id']::text[]), 'public.chapter_drafts(manuscript_id) leads an index');
select has_trigger('public', 'chapter_drafts', 'chapter_drafts_set_updated_at', 'public.chapter_drafts keeps updated_at current');

-- structure: the updated_at trigger function
select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=""'])
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'writing_studio_set_updated_at'), 'function public.writing_studio_set_updated_at is security invoker with a fixed empty search_path');

-- structure: search functions and views
select has_view('public', 'finished_manuscripts', 'view public.finished_manuscripts exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.finished_manuscripts'::regclass), 'view public.finished_manuscripts runs with the caller''s rights (security_invoker)');

-- RLS isolation: two users, A and B (created as the superuser running the tests)

-- sample rows: user A writes its own rows (following the foreign keys from them); rows of
-- tables users cannot write come from the superuser
set local role app_user;
set local app.user_id = '00000000-0000-4000-8000-00000000000a';
select lives_ok(
  $$ insert into public.manuscripts (id, slug, title) values ('00000000-0000-4000-a000-000000000001'::uuid, 'sample-manuscripts-a', 'sample-manuscripts-a') $$,
  'user A can create a row in public.manuscripts');
select lives_ok(
  $$ insert into public.chapter_drafts (id, manuscript_id, chapter, body) values ('00000000-0000-4000-a000-000000000002'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-chapter_drafts-a') $$,
  'user A can create a row in public.chapter_drafts');

-- as user B: none of user A's rows can be seen, forged, changed or deleted
reset role;
set local role app_user;
set local app.user_id = '00000000-0000-4000-8000-00000000000b';
select is((select count(*) from public.manuscripts), 0::bigint, 'user B sees none of user A''s rows in public.manuscripts');
select throws_ok(
  $$ insert into public.manuscripts (user_id, slug, title) values ('00000000-0000-4000-8000-00000000000a'::uuid, 'sample-manuscripts-b', 'sample-manuscripts-b') $$,
  '42501', 'new row violates row-level security policy for table "manuscripts"',
  'user B cannot create a row owned by user A in public.manuscripts');
with changed as (update public.manuscripts set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.manuscripts') from changed;
with gone as (delete from public.manuscripts returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.manuscripts') from gone;
select is((select count(*) from public.chapter_drafts), 0::bigint, 'user B sees none of user A''s rows in public.chapter_drafts');
select throws_ok(
  $$ insert into public.chapter_drafts (manuscript_id, chapter, body) values ('00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-chapter_drafts-b') $$,
  '42501', 'new row violates row-level security policy for table "chapter_drafts"',
  'user B cannot add a row under user A''s manuscripts in public.chapter_drafts');
with changed as (update public.chapter_drafts set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.chapter_drafts') from changed;
with gone as (delete from public.chapter_drafts returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.chapter_drafts') from gone;
select is((select count(*) from public.finished_manuscripts), 0::bigint, 'view public.finished_manuscripts shows user B none of user A''s rows');

-- as user A: its own rows are visible
reset role;
set local role app_user;
set local app.user_id = '00000000-0000-4000-8000-00000000000a';
select is((select count(*) from public.manuscripts), 1::bigint, 'user A sees its own row in public.manuscripts');
select is((select count(*) from public.chapter_drafts), 1::bigint, 'user A sees its own row in public.chapter_drafts');
reset role;

select * from finish();
rollback;
