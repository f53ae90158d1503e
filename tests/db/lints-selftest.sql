-- A schema that breaks each lint of lints.sql once, to prove the queries find them.
create extension if not exists pgcrypto with schema public;                     -- extension_in_public
create table public.lt_parent (id uuid primary key);
create table public.lt_child (id uuid primary key, parent_id uuid references public.lt_parent);  -- unindexed_foreign_keys
alter table public.lt_parent enable row level security;
alter table public.lt_child enable row level security;                            -- rls_enabled_no_policy
create policy p1 on public.lt_parent for select to authenticated using (id = auth.uid());  -- auth_rls_initplan
create policy p2 on public.lt_parent for select to authenticated using (true);    -- multiple_permissive_policies
create policy p3 on public.lt_parent for insert to authenticated with check (true);   -- rls_policy_always_true
create policy p4 on public.lt_parent for update to authenticated
  using ((auth.jwt() -> 'user_metadata' ->> 'admin') = 'true');                    -- rls_references_user_metadata
create table public.lt_off (id uuid primary key);                                 -- rls_disabled_in_public
create policy p5 on public.lt_off for select using (true);                        -- policy_exists_rls_disabled
create table public.lt_nokey (a int);                                             -- no_primary_key
alter table public.lt_nokey enable row level security;
create policy p6 on public.lt_nokey for select to authenticated using ((select auth.uid()) is not null);
create index lt_nokey_a1 on public.lt_nokey (a);
create index lt_nokey_a2 on public.lt_nokey (a);                                  -- duplicate_index
create view public.lt_view as select id from public.lt_parent;                    -- security_definer_view
create function public.lt_fn() returns int language sql as 'select 1';            -- function_search_path_mutable
