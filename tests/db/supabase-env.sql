-- Supabase's database environment, recreated on a plain PostgreSQL server (15 from Debian, or
-- PGlite's 18) so that generated migrations, their rollbacks and RLS tests run against what
-- they meet in production: the API roles, the `auth` schema with auth.users / auth.uid() /
-- auth.jwt(), and Supabase's default grants on `public`.
--
-- Applied once per server by tests/db/pg-up.sh (into the template database
-- `supabase_template`) and tests/db/pglite-up.sh (into PGlite's single database), with
-- `psql -v ON_ERROR_STOP=1 --single-transaction`.  Not idempotent on purpose: it runs on a
-- fresh server only.
--
-- pgTAP is deliberately NOT installed here.  It is a test tool, not part of the schema that
-- migrations see: roundtrip.sh installs it only around the pgTAP step (and test files may
-- also say `create extension if not exists pgtap;` as Supabase's own docs do).

-- The API roles.  Supabase's PostgREST switches to one of these per request; they never log in.
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;

-- The part of Supabase Auth that SQL can see: the users table (only its key matters to
-- foreign keys) and the helpers that read the request's JWT claims from settings that
-- PostgREST sets per transaction.
create schema auth;
create table auth.users (id uuid primary key);

create function auth.uid() returns uuid language sql stable as
$$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;

-- The whole claim set; tests can set it with
-- select set_config('request.jwt.claims', '{"sub":"…","role":"authenticated"}', true);
create function auth.jwt() returns jsonb language sql stable as
$$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;

grant usage on schema auth to anon, authenticated, service_role;

-- Supabase installs extensions (vector, pgcrypto, …) into their own schema, not public
-- (splinter: extension_in_public), and puts it on the API roles' search path.
create schema extensions;
grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- As on Supabase: what is created in public is granted to the API roles, so RLS alone keeps
-- rows private.  A table without RLS is therefore open to `anon`, as it is in production.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- `target postgres` (stdlib/postgres.packdb): plain PostgreSQL without Supabase. The
-- application connects as app_user, which row-level security applies to, and names the
-- signed-in user per transaction with set_config('app.user_id', …, true).
create role app_user nologin noinherit;
grant usage on schema public to app_user;
-- No default privileges for app_user: the postgres profile's migrations grant each table.
