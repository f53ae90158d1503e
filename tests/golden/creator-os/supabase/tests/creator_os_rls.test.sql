-- packdbc pgTAP tests for pack creator_os: structure, indexes and RLS isolation.
-- Generated from the pack's .packdb spec; edit the spec, not this file.
-- Run on a database with every migration applied: pg_prove -d <db> <this file>, or
-- supabase test db. Everything happens in one transaction that is rolled back.

begin;
create extension if not exists pgtap;
select plan(128);

-- structure: extensions and enums
select has_enum('public', 'course_status', 'enum public.course_status exists');
select enum_has_labels('public', 'course_status', array['draft', 'generating', 'review', 'published', 'archived']::name[], 'enum public.course_status has its values in order');
select has_enum('public', 'lesson_content_type', 'enum public.lesson_content_type exists');
select enum_has_labels('public', 'lesson_content_type', array['video', 'article', 'quiz', 'exercise']::name[], 'enum public.lesson_content_type has its values in order');
select has_enum('public', 'progress_status', 'enum public.progress_status exists');
select enum_has_labels('public', 'progress_status', array['not_started', 'in_progress', 'completed']::name[], 'enum public.progress_status has its values in order');

-- structure: public.courses
select has_table('public', 'courses', 'table public.courses exists');
select has_pk('public', 'courses', 'public.courses has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.courses'::regclass), 'row level security is enabled on public.courses');
select policies_are('public', 'courses', array['courses_select', 'courses_insert', 'courses_update', 'courses_delete']::name[], 'public.courses has exactly its declared policies');
select policy_cmd_is('public', 'courses', 'courses_select', 'select', 'policy courses_select on public.courses applies to select');
select policy_roles_are('public', 'courses', 'courses_select', array['authenticated']::name[], 'policy courses_select on public.courses is for authenticated');
select policy_cmd_is('public', 'courses', 'courses_insert', 'insert', 'policy courses_insert on public.courses applies to insert');
select policy_roles_are('public', 'courses', 'courses_insert', array['authenticated']::name[], 'policy courses_insert on public.courses is for authenticated');
select policy_cmd_is('public', 'courses', 'courses_update', 'update', 'policy courses_update on public.courses applies to update');
select policy_roles_are('public', 'courses', 'courses_update', array['authenticated']::name[], 'policy courses_update on public.courses is for authenticated');
select policy_cmd_is('public', 'courses', 'courses_delete', 'delete', 'policy courses_delete on public.courses applies to delete');
select policy_roles_are('public', 'courses', 'courses_delete', array['authenticated']::name[], 'policy courses_delete on public.courses is for authenticated');
select fk_ok('public', 'courses', array['user_id']::name[], 'auth', 'users', array['id']::name[], 'public.courses(user_id) references auth.users');
select has_index('public', 'courses', 'courses_user_id_updated_at_idx', array['user_id', 'updated_at']::name[], 'index courses_user_id_updated_at_idx on public.courses');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.courses'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_id']::text[]), 'public.courses(user_id) leads an index');
select has_trigger('public', 'courses', 'courses_set_updated_at', 'public.courses keeps updated_at current');

-- structure: public.course_modules
select has_table('public', 'course_modules', 'table public.course_modules exists');
select has_pk('public', 'course_modules', 'public.course_modules has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.course_modules'::regclass), 'row level security is enabled on public.course_modules');
select policies_are('public', 'course_modules', array['course_modules_select', 'course_modules_insert', 'course_modules_update', 'course_modules_delete']::name[], 'public.course_modules has exactly its declared policies');
select policy_cmd_is('public', 'course_modules', 'course_modules_select', 'select', 'policy course_modules_select on public.course_modules applies to select');
select policy_roles_are('public', 'course_modules', 'course_modules_select', array['authenticated']::name[], 'policy course_modules_select on public.course_modules is for authenticated');
select policy_cmd_is('public', 'course_modules', 'course_modules_insert', 'insert', 'policy course_modules_insert on public.course_modules applies to insert');
select policy_roles_are('public', 'course_modules', 'course_modules_insert', array['authenticated']::name[], 'policy course_modules_insert on public.course_modules is for authenticated');
select policy_cmd_is('public', 'course_modules', 'course_modules_update', 'update', 'policy course_modules_update on public.course_modules applies to update');
select policy_roles_are('public', 'course_modules', 'course_modules_update', array['authenticated']::name[], 'policy course_modules_update on public.course_modules is for authenticated');
select policy_cmd_is('public', 'course_modules', 'course_modules_delete', 'delete', 'policy course_modules_delete on public.course_modules applies to delete');
select policy_roles_are('public', 'course_modules', 'course_modules_delete', array['authenticated']::name[], 'policy course_modules_delete on public.course_modules is for authenticated');
select fk_ok('public', 'course_modules', array['course_id']::name[], 'public', 'courses', array['id']::name[], 'public.course_modules(course_id) references public.courses');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.course_modules'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['course_id']::text[]), 'public.course_modules(course_id) leads an index');
select has_trigger('public', 'course_modules', 'course_modules_set_updated_at', 'public.course_modules keeps updated_at current');

-- structure: public.course_lessons
select has_table('public', 'course_lessons', 'table public.course_lessons exists');
select has_pk('public', 'course_lessons', 'public.course_lessons has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.course_lessons'::regclass), 'row level security is enabled on public.course_lessons');
select policies_are('public', 'course_lessons', array['course_lessons_select', 'course_lessons_insert', 'course_lessons_update', 'course_lessons_delete']::name[], 'public.course_lessons has exactly its declared policies');
select policy_cmd_is('public', 'course_lessons', 'course_lessons_select', 'select', 'policy course_lessons_select on public.course_lessons applies to select');
select policy_roles_are('public', 'course_lessons', 'course_lessons_select', array['authenticated']::name[], 'policy course_lessons_select on public.course_lessons is for authenticated');
select policy_cmd_is('public', 'course_lessons', 'course_lessons_insert', 'insert', 'policy course_lessons_insert on public.course_lessons applies to insert');
select policy_roles_are('public', 'course_lessons', 'course_lessons_insert', array['authenticated']::name[], 'policy course_lessons_insert on public.course_lessons is for authenticated');
select policy_cmd_is('public', 'course_lessons', 'course_lessons_update', 'update', 'policy course_lessons_update on public.course_lessons applies to update');
select policy_roles_are('public', 'course_lessons', 'course_lessons_update', array['authenticated']::name[], 'policy course_lessons_update on public.course_lessons is for authenticated');
select policy_cmd_is('public', 'course_lessons', 'course_lessons_delete', 'delete', 'policy course_lessons_delete on public.course_lessons applies to delete');
select policy_roles_are('public', 'course_lessons', 'course_lessons_delete', array['authenticated']::name[], 'policy course_lessons_delete on public.course_lessons is for authenticated');
select fk_ok('public', 'course_lessons', array['course_module_id']::name[], 'public', 'course_modules', array['id']::name[], 'public.course_lessons(course_module_id) references public.course_modules');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.course_lessons'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['course_module_id']::text[]), 'public.course_lessons(course_module_id) leads an index');
select has_trigger('public', 'course_lessons', 'course_lessons_set_updated_at', 'public.course_lessons keeps updated_at current');

-- structure: public.course_content
select has_table('public', 'course_content', 'table public.course_content exists');
select has_pk('public', 'course_content', 'public.course_content has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.course_content'::regclass), 'row level security is enabled on public.course_content');
select policies_are('public', 'course_content', array['course_content_select', 'course_content_insert', 'course_content_update', 'course_content_delete']::name[], 'public.course_content has exactly its declared policies');
select policy_cmd_is('public', 'course_content', 'course_content_select', 'select', 'policy course_content_select on public.course_content applies to select');
select policy_roles_are('public', 'course_content', 'course_content_select', array['authenticated']::name[], 'policy course_content_select on public.course_content is for authenticated');
select policy_cmd_is('public', 'course_content', 'course_content_insert', 'insert', 'policy course_content_insert on public.course_content applies to insert');
select policy_roles_are('public', 'course_content', 'course_content_insert', array['authenticated']::name[], 'policy course_content_insert on public.course_content is for authenticated');
select policy_cmd_is('public', 'course_content', 'course_content_update', 'update', 'policy course_content_update on public.course_content applies to update');
select policy_roles_are('public', 'course_content', 'course_content_update', array['authenticated']::name[], 'policy course_content_update on public.course_content is for authenticated');
select policy_cmd_is('public', 'course_content', 'course_content_delete', 'delete', 'policy course_content_delete on public.course_content applies to delete');
select policy_roles_are('public', 'course_content', 'course_content_delete', array['authenticated']::name[], 'policy course_content_delete on public.course_content is for authenticated');
select fk_ok('public', 'course_content', array['course_lesson_id']::name[], 'public', 'course_lessons', array['id']::name[], 'public.course_content(course_lesson_id) references public.course_lessons');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.course_content'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['course_lesson_id']::text[]), 'public.course_content(course_lesson_id) leads an index');
select has_trigger('public', 'course_content', 'course_content_set_updated_at', 'public.course_content keeps updated_at current');

-- structure: public.lesson_progress
select has_table('public', 'lesson_progress', 'table public.lesson_progress exists');
select has_pk('public', 'lesson_progress', 'public.lesson_progress has a primary key');
select ok((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = 'public.lesson_progress'::regclass), 'row level security is enabled on public.lesson_progress');
select policies_are('public', 'lesson_progress', array['lesson_progress_select', 'lesson_progress_insert', 'lesson_progress_update', 'lesson_progress_delete']::name[], 'public.lesson_progress has exactly its declared policies');
select policy_cmd_is('public', 'lesson_progress', 'lesson_progress_select', 'select', 'policy lesson_progress_select on public.lesson_progress applies to select');
select policy_roles_are('public', 'lesson_progress', 'lesson_progress_select', array['authenticated']::name[], 'policy lesson_progress_select on public.lesson_progress is for authenticated');
select policy_cmd_is('public', 'lesson_progress', 'lesson_progress_insert', 'insert', 'policy lesson_progress_insert on public.lesson_progress applies to insert');
select policy_roles_are('public', 'lesson_progress', 'lesson_progress_insert', array['authenticated']::name[], 'policy lesson_progress_insert on public.lesson_progress is for authenticated');
select policy_cmd_is('public', 'lesson_progress', 'lesson_progress_update', 'update', 'policy lesson_progress_update on public.lesson_progress applies to update');
select policy_roles_are('public', 'lesson_progress', 'lesson_progress_update', array['authenticated']::name[], 'policy lesson_progress_update on public.lesson_progress is for authenticated');
select policy_cmd_is('public', 'lesson_progress', 'lesson_progress_delete', 'delete', 'policy lesson_progress_delete on public.lesson_progress applies to delete');
select policy_roles_are('public', 'lesson_progress', 'lesson_progress_delete', array['authenticated']::name[], 'policy lesson_progress_delete on public.lesson_progress is for authenticated');
select fk_ok('public', 'lesson_progress', array['user_id']::name[], 'auth', 'users', array['id']::name[], 'public.lesson_progress(user_id) references auth.users');
select fk_ok('public', 'lesson_progress', array['lesson_id']::name[], 'public', 'course_lessons', array['id']::name[], 'public.lesson_progress(lesson_id) references public.course_lessons');
select has_index('public', 'lesson_progress', 'lesson_progress_user_id_updated_at_idx', array['user_id', 'updated_at']::name[], 'index lesson_progress_user_id_updated_at_idx on public.lesson_progress');
select has_index('public', 'lesson_progress', 'lesson_progress_lesson_id_idx', array['lesson_id']::name[], 'index lesson_progress_lesson_id_idx on public.lesson_progress');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.lesson_progress'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['user_id']::text[]), 'public.lesson_progress(user_id) leads an index');
select ok(exists (
  select 1 from pg_catalog.pg_index i
  where i.indrelid = 'public.lesson_progress'::regclass
    and (select array_agg(a.attname::text order by k.n)
         from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where k.n <= 1) = array['lesson_id']::text[]), 'public.lesson_progress(lesson_id) leads an index');
select has_trigger('public', 'lesson_progress', 'lesson_progress_set_updated_at', 'public.lesson_progress keeps updated_at current');

-- structure: the updated_at trigger function
select ok((select bool_and(not p.prosecdef and p.proconfig @> array['search_path=""'])
           from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'creator_os_set_updated_at'), 'function public.creator_os_set_updated_at is security invoker with a fixed empty search_path');

-- structure: search functions and views
select has_view('public', 'published_courses', 'view public.published_courses exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.published_courses'::regclass), 'view public.published_courses runs with the caller''s rights (security_invoker)');
select has_view('public', 'completed_lessons', 'view public.completed_lessons exists');
select ok((select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
           where c.oid = 'public.completed_lessons'::regclass), 'view public.completed_lessons runs with the caller''s rights (security_invoker)');

-- RLS isolation: two users, A and B (created as the superuser running the tests)
insert into auth.users (id) values ('00000000-0000-4000-8000-00000000000a'::uuid), ('00000000-0000-4000-8000-00000000000b'::uuid);

-- sample rows: user A writes its own rows (following the foreign keys from them); rows of
-- tables users cannot write come from the superuser
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select lives_ok(
  $$ insert into public.courses (id, slug, title) values ('00000000-0000-4000-a000-000000000001'::uuid, 'sample-courses-a', 'sample-courses-a') $$,
  'user A can create a row in public.courses');
select lives_ok(
  $$ insert into public.course_modules (id, course_id, position, title) values ('00000000-0000-4000-a000-000000000002'::uuid, '00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-course_modules-a') $$,
  'user A can create a row in public.course_modules');
select lives_ok(
  $$ insert into public.course_lessons (id, course_module_id, position, title) values ('00000000-0000-4000-a000-000000000003'::uuid, '00000000-0000-4000-a000-000000000002'::uuid, 1, 'sample-course_lessons-a') $$,
  'user A can create a row in public.course_lessons');
select lives_ok(
  $$ insert into public.course_content (id, course_lesson_id, body) values ('00000000-0000-4000-a000-000000000004'::uuid, '00000000-0000-4000-a000-000000000003'::uuid, 'sample-course_content-a') $$,
  'user A can create a row in public.course_content');
select lives_ok(
  $$ insert into public.lesson_progress (id, lesson_id) values ('00000000-0000-4000-a000-000000000005'::uuid, '00000000-0000-4000-a000-000000000003'::uuid) $$,
  'user A can create a row in public.lesson_progress');

-- as user B: none of user A's rows can be seen, forged, changed or deleted
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000b';
select is((select count(*) from public.courses), 0::bigint, 'user B sees none of user A''s rows in public.courses');
select throws_ok(
  $$ insert into public.courses (user_id, slug, title) values ('00000000-0000-4000-8000-00000000000a'::uuid, 'sample-courses-b', 'sample-courses-b') $$,
  '42501', 'new row violates row-level security policy for table "courses"',
  'user B cannot create a row owned by user A in public.courses');
with changed as (update public.courses set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.courses') from changed;
with gone as (delete from public.courses returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.courses') from gone;
select is((select count(*) from public.course_modules), 0::bigint, 'user B sees none of user A''s rows in public.course_modules');
select throws_ok(
  $$ insert into public.course_modules (course_id, position, title) values ('00000000-0000-4000-a000-000000000001'::uuid, 1, 'sample-course_modules-b') $$,
  '42501', 'new row violates row-level security policy for table "course_modules"',
  'user B cannot add a row under user A''s courses in public.course_modules');
with changed as (update public.course_modules set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.course_modules') from changed;
with gone as (delete from public.course_modules returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.course_modules') from gone;
select is((select count(*) from public.course_lessons), 0::bigint, 'user B sees none of user A''s rows in public.course_lessons');
select throws_ok(
  $$ insert into public.course_lessons (course_module_id, position, title) values ('00000000-0000-4000-a000-000000000002'::uuid, 1, 'sample-course_lessons-b') $$,
  '42501', 'new row violates row-level security policy for table "course_lessons"',
  'user B cannot add a row under user A''s course_modules in public.course_lessons');
with changed as (update public.course_lessons set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.course_lessons') from changed;
with gone as (delete from public.course_lessons returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.course_lessons') from gone;
select is((select count(*) from public.course_content), 0::bigint, 'user B sees none of user A''s rows in public.course_content');
select throws_ok(
  $$ insert into public.course_content (course_lesson_id, body) values ('00000000-0000-4000-a000-000000000003'::uuid, 'sample-course_content-b') $$,
  '42501', 'new row violates row-level security policy for table "course_content"',
  'user B cannot add a row under user A''s course_lessons in public.course_content');
with changed as (update public.course_content set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.course_content') from changed;
with gone as (delete from public.course_content returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.course_content') from gone;
select is((select count(*) from public.lesson_progress), 0::bigint, 'user B sees none of user A''s rows in public.lesson_progress');
select throws_ok(
  $$ insert into public.lesson_progress (user_id, lesson_id) values ('00000000-0000-4000-8000-00000000000a'::uuid, '00000000-0000-4000-a000-000000000003'::uuid) $$,
  '42501', 'new row violates row-level security policy for table "lesson_progress"',
  'user B cannot create a row owned by user A in public.lesson_progress');
with changed as (update public.lesson_progress set id = id returning 1)
select is(count(*), 0::bigint, 'user B cannot update user A''s rows in public.lesson_progress') from changed;
with gone as (delete from public.lesson_progress returning 1)
select is(count(*), 0::bigint, 'user B cannot delete user A''s rows in public.lesson_progress') from gone;
select is((select count(*) from public.published_courses), 0::bigint, 'view public.published_courses shows user B none of user A''s rows');
select is((select count(*) from public.completed_lessons), 0::bigint, 'view public.completed_lessons shows user B none of user A''s rows');

-- as user A: its own rows are visible
reset role;
set local role authenticated;
set local request.jwt.claim.sub = '00000000-0000-4000-8000-00000000000a';
select is((select count(*) from public.courses), 1::bigint, 'user A sees its own row in public.courses');
select is((select count(*) from public.course_modules), 1::bigint, 'user A sees its own row in public.course_modules');
select is((select count(*) from public.course_lessons), 1::bigint, 'user A sees its own row in public.course_lessons');
select is((select count(*) from public.course_content), 1::bigint, 'user A sees its own row in public.course_content');
select is((select count(*) from public.lesson_progress), 1::bigint, 'user A sees its own row in public.lesson_progress');

-- as anon (not signed in): nothing private is visible
reset role;
set local role anon;
set local request.jwt.claim.sub = '';
select is((select count(*) from public.courses), 0::bigint, 'anon sees no rows of public.courses');
select is((select count(*) from public.course_modules), 0::bigint, 'anon sees no rows of public.course_modules');
select is((select count(*) from public.course_lessons), 0::bigint, 'anon sees no rows of public.course_lessons');
select is((select count(*) from public.course_content), 0::bigint, 'anon sees no rows of public.course_content');
select is((select count(*) from public.lesson_progress), 0::bigint, 'anon sees no rows of public.lesson_progress');
reset role;

select * from finish();
rollback;
