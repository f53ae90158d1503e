-- pgTAP: structure and RLS isolation of the sample (as packdbc's <pack>_rls.test.sql will do).
begin;
create extension if not exists pgtap;
select plan(16);

select has_table('public', 'notebooks', 'notebooks exists');
select has_table('public', 'notes', 'notes exists');
select has_enum('public', 'note_status', 'note_status exists');
select enum_has_labels('public', 'note_status', array['draft', 'published', 'archived'], 'note_status labels in order');
select col_is_fk('public', 'notes', 'notebook_id', 'notes.notebook_id is a foreign key');
select has_index('public', 'notes', 'notes_notebook_id_idx', 'FK column is indexed');
select policies_are('public', 'notebooks',
  array['notebooks_select_own', 'notebooks_insert_own', 'notebooks_update_own', 'notebooks_delete_own'],
  'notebooks has exactly the owner policies');
select ok((select relrowsecurity from pg_class where oid = 'public.notes'::regclass), 'RLS enabled on notes');

-- Two users with one notebook each, written as the superuser (bypasses RLS).
insert into auth.users (id) values
  ('00000000-0000-0000-0000-0000000000a1'), ('00000000-0000-0000-0000-0000000000b2');
insert into public.notebooks (owner_id, title) values
  ('00000000-0000-0000-0000-0000000000a1', 'alice'), ('00000000-0000-0000-0000-0000000000b2', 'bob');

-- Act as alice, as PostgREST does.
set local role authenticated;
select set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-0000000000a1', true);
select results_eq('select title from public.notebooks', array['alice'], 'alice sees only her notebook');
select throws_ok(
  $$insert into public.notebooks (owner_id, title) values ('00000000-0000-0000-0000-0000000000b2', 'forged')$$,
  '42501', null, 'alice cannot create a notebook for bob');
select lives_ok($$insert into public.notebooks (title) values ('alice 2')$$, 'owner_id defaults to auth.uid()');
with u as (update public.notebooks set title = 'hacked' where title = 'bob' returning 1)
select is(count(*), 0::bigint, 'alice cannot update bob''s notebook') from u;
select lives_ok(
  $$insert into public.notes (notebook_id) select id from public.notebooks where title = 'alice'$$,
  'alice can add a note to her notebook');
select is((select count(*) from public.published_notes), 0::bigint, 'security_invoker view runs as the caller');

-- Anonymous callers have table grants (Supabase's defaults) but no policy: they see nothing.
reset role;
set local role anon;
select is_empty('select * from public.notebooks', 'anon sees no notebooks');

-- service_role bypasses RLS.
reset role;
set local role service_role;
select is((select count(*) from public.notebooks), 3::bigint, 'service_role sees every notebook');

select * from finish();
rollback;
