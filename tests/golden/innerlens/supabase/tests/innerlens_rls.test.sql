-- packdbc pgTAP tests for pack innerlens: structure, indexes and RLS isolation.
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Run on a database with every migration applied: pg_prove -d <db> <this file>, or
-- supabase test db. Everything happens in one transaction that is rolled back.

begin;
create extension if not exists pgtap;
select plan(96);

-- structure: extensions and enums
select has_enum('public', 'assessment_type', 'enum public.assessment_type exists');
select enum_has_labels('public', 'assessment_type', array['big5', 'mbti', 'disc', 'enneagram']::name[], 'enum public.assessment_type has its values in order');
select has_enum('public', 'assessment_status', 'enum public.assessment_status exists');
select enum_has_labels('public', 'assessment_status', array['in_progress', 'completed', 'abandoned']::name[], 'enum public.assessment_status has its values in order');

-- structure: public.assessments
select has_table('public', 'assessments', 'table public.assessments exists');
select has_pk('public', 'assessments', 'public.assessments has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.assessments'::regclass), 'row level security is enabled on public.assessments');
select policies_are('public', 'assessments', array['assessments_select']::name[], 'public.assessments has exactly its declared policies');
select policy_cmd_is('public', 'assessments', 'assessments_select', 'select', 'policy assessments_select on public.assessments applies to select');
select policy_roles_are('public', 'assessments', 'assessments_select', array['authenticated']::name[], 'policy assessments_select on public.assessments is for authenticated');
select has_index('public', 'assessments', 'assessments_type_name_idx', array['type', 'name']::name[], 'index assessments_type_name_idx on public.assessments');
select has_trigger('public', 'assessments', 'assessments_set_updated_at', 'public.assessments keeps updated_at current');

-- structure: public.user_assessments
select has_table('public', 'user_assessments', 'table public.user_assessments exists');
select has_pk('public', 'user_assessments', 'public.user_assessments has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.user_assessments'::regclass), 'row level security is enabled on public.user_assessments');
select policies_are('public', 'user_assessments', array['user_assessments_select', 'user_assessments_insert', 'user_assessments_update', 'user_assessments_delete']::name[], 'public.user_assessments has exactly its declared policies');
select policy_cmd_is('public', 'user_assessments', 'user_assessments_select', 'select', 'policy user_assessments_select on public.user_assessments applies to select');
select policy_roles_are('public', 'user_assessments', 'user_assessments_select', array['authenticated']::name[], 'policy user_assessments_select on public.user_assessments is for authenticated');
select policy_cmd_is('public', 'user_assessments', 'user_assessments_insert', 'insert', 'policy user_assessments_insert on public.user_assessments applies to insert');
select policy_roles_are('public', 'user_assessments', 'user_assessments_insert', array['authenticated']::name[], 'policy user_assessments_insert on public.user_assessments is for authenticated');
select policy_cmd_is('public', 'user_assessments', 'user_assessments_update', 'update', 'policy user_assessments_update on public.user_assessments applies to update');
select policy_roles_are('public', 'user_assessments', 'user_assessments_update', array['authenticated']::name[], 'policy user_assessments_update on public.user_assessments is for authenticated');
select policy_cmd_is('public', 'user_assessments', 'user_assessments_delete', 'delete', 'policy user_assessments_delete on public.user_assessments applies to delete');
select policy_roles_are('public', 'user_assessments', 'user_assessments_delete', array['authenticated']::name[], 'policy user_assessments_delete on public.user_assessments is for authenticated');
select fk_ok('public', 'user_assessments', array['user_id']::name[], 'auth', 'users', array['id']::name[], 'public.user_assessments(user_id) references auth.users');
select fk_ok('public', 'user_assessments', array['assessment_id']::name[], 'public', 'assessments', array['id']::name[], 'public.user_assessments(assessment_id) references public.assessments');
select has_index('public', 'user_assessments', 'user_assessments_user_id_created_at_idx', array['user_id', 'created_at']::name[], 'index user_assessments_user_id_created_at_idx on public.user_assessments');
select has_index('public', 'user_assessments', 'user_assessments_user_id_assessment_id_created_at_idx', array['user_id', 'assessment_id', 'created_at']::name[], 'index user_assessments_user_id_assessment_id_created_at_idx on public.user_assessments');
select has_index('public', 'user_assessments', 'user_assessments_assessment_id_idx', array['assessment_id']::name[], 'index user_assessments_assessment_id_idx on public.user_assessments');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.user_assessments'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_id']::text[]), 'public.user_assessments(user_id) leads an index');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.user_assessments'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['assessment_id']::text[]), 'public.user_assessments(assessment_id) leads an index');
select has_trigger('public', 'user_assessments', 'user_assessments_set_updated_at', 'public.user_assessments keeps updated_at current');

-- structure: public.assessment_responses
select has_table('public', 'assessment_responses', 'table public.assessment_responses exists');
select has_pk('public', 'assessment_responses', 'public.assessment_responses has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.assessment_responses'::regclass), 'row level security is enabled on public.assessment_responses');
select policies_are('public', 'assessment_responses', array['assessment_responses_select', 'assessment_responses_insert', 'assessment_responses_update', 'assessment_responses_delete']::name[], 'public.assessment_responses has exactly its declared policies');
select policy_cmd_is('public', 'assessment_responses', 'assessment_responses_select', 'select', 'policy assessment_responses_select on public.assessment_responses applies to select');
select policy_roles_are('public', 'assessment_responses', 'assessment_responses_select', array['authenticated']::name[], 'policy assessment_responses_select on public.assessment_responses is for authenticated');
select policy_cmd_is('public', 'assessment_responses', 'assessment_responses_insert', 'insert', 'policy assessment_responses_insert on public.assessment_responses applies to insert');
select policy_roles_are('public', 'assessment_responses', 'assessment_responses_insert', array['authenticated']::name[], 'policy assessment_responses_insert on public.assessment_responses is for authenticated');
select policy_cmd_is('public', 'assessment_responses', 'assessment_responses_update', 'update', 'policy assessment_responses_update on public.assessment_responses applies to update');
select policy_roles_are('public', 'assessment_responses', 'assessment_responses_update', array['authenticated']::name[], 'policy assessment_responses_update on public.assessment_responses is for authenticated');
select policy_cmd_is('public', 'assessment_responses', 'assessment_responses_delete', 'delete', 'policy assessment_responses_delete on public.assessment_responses applies to delete');
select policy_roles_are('public', 'assessment_responses', 'assessment_responses_delete', array['authenticated']::name[], 'policy assessment_responses_delete on public.assessment_responses is for authenticated');
select fk_ok('public', 'assessment_responses', array['user_assessment_id']::name[], 'public', 'user_assessments', array['id']::name[], 'public.assessment_responses(user_assessment_id) references public.user_assessments');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.assessment_responses'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_assessment_id']::text[]), 'public.assessment_responses(user_assessment_id) leads an index');
select has_trigger('public', 'assessment_responses', 'assessment_responses_set_updated_at', 'public.assessment_responses keeps updated_at current');

-- structure: public.assessment_results
select has_table('public', 'assessment_results', 'table public.assessment_results exists');
select has_pk('public', 'assessment_results', 'public.assessment_results has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.assessment_results'::regclass), 'row level security is enabled on public.assessment_results');
select policies_are('public', 'assessment_results', array['assessment_results_select', 'assessment_results_insert', 'assessment_results_update', 'assessment_results_delete']::name[], 'public.assessment_results has exactly its declared policies');
select policy_cmd_is('public', 'assessment_results', 'assessment_results_select', 'select', 'policy assessment_results_select on public.assessment_results applies to select');
select policy_roles_are('public', 'assessment_results', 'assessment_results_select', array['authenticated']::name[], 'policy assessment_results_select on public.assessment_results is for authenticated');
select policy_cmd_is('public', 'assessment_results', 'assessment_results_insert', 'insert', 'policy assessment_results_insert on public.assessment_results applies to insert');
select policy_roles_are('public', 'assessment_results', 'assessment_results_insert', array['authenticated']::name[], 'policy assessment_results_insert on public.assessment_results is for authenticated');
select policy_cmd_is('public', 'assessment_results', 'assessment_results_update', 'update', 'policy assessment_results_update on public.assessment_results applies to update');
select policy_roles_are('public', 'assessment_results', 'assessment_results_update', array['authenticated']::name[], 'policy assessment_results_update on public.assessment_results is for authenticated');
select policy_cmd_is('public', 'assessment_results', 'assessment_results_delete', 'delete', 'policy assessment_results_delete on public.assessment_results applies to delete');
select policy_roles_are('public', 'assessment_results', 'assessment_results_delete', array['authenticated']::name[], 'policy assessment_results_delete on public.assessment_results is for authenticated');
select fk_ok('public', 'assessment_results', array['user_assessment_id']::name[], 'public', 'user_assessments', array['id']::name[], 'public.assessment_results(user_assessment_id) references public.user_assessments');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.assessment_results'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_assessment_id']::text[]), 'public.assessment_results(user_assessment_id) leads an index');
select has_trigger('public', 'assessment_results', 'assessment_results_set_updated_at', 'public.assessment_results keeps updated_at current');

-- structure: the updated_at trigger function
select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=""'])
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'innerlens_set_updated_at'), 'function public.innerlens_set_updated_at is security invoker with a fixed empty search_path');

-- structure: search functions and views
select has_view('public', 'active_assessments', 'view public.active_assessments exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.active_assessments'::regclass), 'view public.active_assessments runs with the caller''s rights (security_invoker)');
select has_view('public', 'completed_assessments', 'view public.completed_assessments exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.completed_assessments'::regclass), 'view public.completed_assessments runs with the caller''s rights (security_invoker)');

-- RLS isolation: two users, A and B (created as the superuser running the tests)
insert into auth.users (id) values ('00000000-0000-4000-8000-00000000000a'::uuid), ('00000000-0000-4000-8000-00000000000b'::uuid);

-- sample rows: user A writes its own rows (following the foreign keys from them); rows of
-- tables users cannot write come from the superuser
select lives_ok(
  $$ insert into public.assessments (id, slug, name, type, questions) values ('00000000-0000-4000-b000-000000000001'::uuid, 'sample-assessments-a', 'sample-assessments-a', 'big5', '{}') $$,
  'setup: a row in public.assessments (as the superuser, bypassing RLS)');
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select lives_ok(
  $$ insert into public.user_assessments (id, assessment_id) values ('00000000-0000-4000-a000-000000000002'::uuid, '00000000-0000-4000-b000-000000000001'::uuid) $$,
  'user A can create a row in public.user_assessments');
select lives_ok(
  $$ insert into public.assessment_responses (id, user_assessment_id, question_id, response) values ('00000000-0000-4000-a000-000000000003'::uuid, '00000000-0000-4000-a000-000000000002'::uuid, 'sample-assessment_responses-a', '{}') $$,
  'user A can create a row in public.assessment_responses');
select lives_ok(
  $$ insert into public.assessment_results (id, user_assessment_id, results) values ('00000000-0000-4000-a000-000000000004'::uuid, '00000000-0000-4000-a000-000000000002'::uuid, '{}') $$,
  'user A can create a row in public.assessment_results');

-- as user B: none of user A's rows can be seen, forged, changed or deleted
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000b';
select ok((select count(*) from public.assessments) > 0, 'signed-in users can read public.assessments');
select throws_ok(
  $$ insert into public.assessments (slug, name, type, questions) values ('sample-assessments-b', 'sample-assessments-b', 'big5', '{}') $$,
  '42501', 'new row violates row-level security policy for table "assessments"',
  'signed-in users cannot write to public.assessments');
with changed as (update public.assessments set id = id returning 1)
select is(count(*), 0::bigint, 'signed-in users cannot update rows of public.assessments') from changed;
with gone as (delete from public.assessments returning 1)
select is(count(*), 0::bigint, 'signed-in users cannot delete rows of public.assessments') from gone;
select is((select count(*) from public.user_assessments), 0::bigint, 'user B sees none of user A''s rows in public.user_assessments');
select throws_ok(
  $$ insert into public.user_assessments (user_id, assessment_id) values ('00000000-0000-4000-8000-00000000000a'::uuid, '00000000-0000-4000-b000-000000000001'::uuid) $$,
  '42501', 'new row violates row-level security policy for table "user_assessments"',
  'user B cannot create a row owned by user A in public.user_assessments');
with changed as (update public.user_assessments set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.user_assessments') from changed;
with gone as (delete from public.user_assessments returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.user_assessments') from gone;
select is((select count(*) from public.assessment_responses), 0::bigint, 'user B sees none of user A''s rows in public.assessment_responses');
select throws_ok(
  $$ insert into public.assessment_responses (user_assessment_id, question_id, response) values ('00000000-0000-4000-a000-000000000002'::uuid, 'sample-assessment_responses-b', '{}') $$,
  '42501', 'new row violates row-level security policy for table "assessment_responses"',
  'user B cannot add a row under user A''s user_assessments in public.assessment_responses');
with changed as (update public.assessment_responses set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.assessment_responses') from changed;
with gone as (delete from public.assessment_responses returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.assessment_responses') from gone;
select is((select count(*) from public.assessment_results), 0::bigint, 'user B sees none of user A''s rows in public.assessment_results');
select throws_ok(
  $$ insert into public.assessment_results (user_assessment_id, results) values ('00000000-0000-4000-a000-000000000002'::uuid, '{}') $$,
  '42501', 'new row violates row-level security policy for table "assessment_results"',
  'user B cannot add a row under user A''s user_assessments in public.assessment_results');
with changed as (update public.assessment_results set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.assessment_results') from changed;
with gone as (delete from public.assessment_results returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.assessment_results') from gone;
select is((select count(*) from public.completed_assessments), 0::bigint, 'view public.completed_assessments shows user B none of user A''s rows');

-- as user A: its own rows are visible
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select is((select count(*) from public.user_assessments), 1::bigint, 'user A sees its own row in public.user_assessments');
select is((select count(*) from public.assessment_responses), 1::bigint, 'user A sees its own row in public.assessment_responses');
select is((select count(*) from public.assessment_results), 1::bigint, 'user A sees its own row in public.assessment_results');

-- as anon (not signed in): nothing private is visible
reset role;
set local role anon;
set local request.jwt.claim.sub = '';
select is((select count(*) from public.assessments), 0::bigint, 'anon sees no rows of public.assessments');
select throws_ok(
  $$ insert into public.assessments (slug, name, type, questions) values ('sample-assessments-b', 'sample-assessments-b', 'big5', '{}') $$,
  '42501', 'new row violates row-level security policy for table "assessments"',
  'anon cannot write to public.assessments');
select is((select count(*) from public.user_assessments), 0::bigint, 'anon sees no rows of public.user_assessments');
select is((select count(*) from public.assessment_responses), 0::bigint, 'anon sees no rows of public.assessment_responses');
select is((select count(*) from public.assessment_results), 0::bigint, 'anon sees no rows of public.assessment_results');
reset role;

select * from finish();
rollback;
