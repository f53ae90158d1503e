#!/usr/bin/env bash
# Faults on the real server: a migration failing halfway, kill -9 of packdbc during an apply,
# a lost connection, two concurrent runs, lock and statement timeouts, failing down scripts.
# usage: faults.sh PACKDBC ENV_FILE
. "$(dirname "$0")/lib.sh"

# mk DIR VERSION NAME UP_SQL DOWN_SQL: one migration and its down script
mk() {
  mkdir -p "$1/supabase/migrations" "$1/supabase/rollback"
  printf '%s\n' "$4" >"$1/supabase/migrations/$2_$3.sql"
  printf '%s\n' "$5" >"$1/supabase/rollback/$2_$3.down.sql"
}
# wait_backend DB PATTERN: until a packdbc backend of DB runs a query matching PATTERN (10 s)
wait_backend() {
  local i
  for (( i = 0; i < 100; i++ )); do
    [ "$(q postgres "select count(*) from pg_stat_activity where datname = '$1' and application_name = 'packdbc' and query like '%$2%'")" != 0 ] && return 0
    sleep 0.1
  done
  fail "no packdbc backend ran '$2' in $1 within 10 s"
}
# wait_no_backend DB: until no packdbc backend is left in DB (30 s)
wait_no_backend() {
  local i
  for (( i = 0; i < 300; i++ )); do
    [ "$(q postgres "select count(*) from pg_stat_activity where datname = '$1' and application_name = 'packdbc'")" = 0 ] && return 0
    sleep 0.1
  done
  fail "a packdbc backend is still in $1 after 30 s"
}

# ---- 1. a migration that fails halfway: the database exactly as before it, the ledger consistent
F="$WORK/halfway"
mk "$F" 20250101000001 a "create table public.a (id int primary key);" "drop table public.a;"
DB=$(new_db mig_fault1); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$F" >/dev/null
snap "$DB" "$WORK/F1"
mk "$F" 20250101000002 b "create table public.b (id int primary key);
insert into public.a values (1);
insert into public.nope values (1);
create table public.c (id int);" "drop table public.b;"
run f1 "$PACKDBC" migrate --db "$URL" --dir "$F"
expect_rc f1 1
expect_text f1 "packdbc migrate: $URL ← $F/supabase/migrations
  FAILED 20250101000002_b.sql
result: stopped with an error; 0 applied before it (committed)" out
expect_text f1 'error[M0006]: migration failed at 20250101000002_b.sql:3: relation "public.nope" does not exist
  line 3: insert into public.nope values (1);
  SQLSTATE 42P01
help: the migration was rolled back: the database and the ledger are as before it; fix the migration and run again' err
snap "$DB" "$WORK/F1b"
same_snap "$WORK/F1" "$WORK/F1b" "the failed migration left changes behind"
[ "$(q "$DB" "select string_agg(version, ',') from supabase_migrations.schema_migrations")" = 20250101000001 ] || fail "ledger after the failure"
[ "$(q "$DB" "select count(*) from supabase_migrations.packdbc_checksums")" = 1 ] || fail "checksums after the failure"
# a runtime error (no position from the server): the failing statement's line
mk "$F" 20250101000002 b "create table public.b (id int primary key);
-- the next statement fails when it runs
select 1 /
  0;
create table public.c (id int);" "drop table public.b;"
run f2 "$PACKDBC" migrate --db "$URL" --dir "$F"
expect_rc f2 1
expect_text f2 'error[M0006]: migration failed at 20250101000002_b.sql:3: division by zero
  line 3: select 1 /
  SQLSTATE 22012
help: the migration was rolled back: the database and the ledger are as before it; fix the migration and run again' err
snap "$DB" "$WORK/F1c"
same_snap "$WORK/F1" "$WORK/F1c" "the failed migration left changes behind"
# the dry run finds the same failure, and changes nothing either
run f3 "$PACKDBC" migrate --db "$URL" --dir "$F" --dry-run
expect_rc f3 1
expect_text f3 "packdbc migrate --dry-run: $URL ← $F/supabase/migrations
  would fail 20250101000002_b.sql
result: stopped with an error; 0 applied (dry run: everything rolled back)" out
contains f3 "error[M0006]: migration failed at 20250101000002_b.sql:3: division by zero" err
contains f3 "help: nothing was changed (dry run)" err
snap "$DB" "$WORK/F1d"
same_snap "$WORK/F1" "$WORK/F1d" "the failing dry run left changes behind"
pass "a migration failing halfway leaves the database and the ledger as before it"

# ---- 2. kill -9 of packdbc during an apply: no partial migration; the next run applies it
K="$WORK/kill"
mk "$K" 20250101000001 k "create table public.k1 (id int);
select pg_sleep(3);
create table public.k2 (id int);" "drop table public.k2; drop table public.k1;"
DB=$(new_db mig_fault2); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$K" >"$WORK/kill.out" 2>&1 &
pid=$!; PIDS+=("$pid")
wait_backend "$DB" "pg_sleep(3)"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
wait_no_backend "$DB"
[ "$(q "$DB" "select to_regclass('public.k1') is null and to_regclass('public.k2') is null")" = t ] || fail "kill -9 left a partial migration"
[ "$(q "$DB" "select to_regnamespace('supabase_migrations') is null")" = t ] || fail "kill -9 left a ledger behind"
run k2 "$PACKDBC" migrate --db "$URL" --dir "$K" --lock-wait 5
expect_rc k2 0
contains k2 "result: 1 applied, 0 already applied before" out
[ "$(q "$DB" "select count(*) from supabase_migrations.schema_migrations")" = 1 ] || fail "ledger after the rerun"
pass "kill -9 during an apply leaves no partial migration (and no stuck lock)"

# ---- 3. two concurrent runs: each migration applied exactly once
C="$WORK/concurrent"
mk "$C" 20250101000001 slow "create table public.s (id int);
select pg_sleep(2);" "drop table public.s;"
mk "$C" 20250101000002 next "create table public.t (id int);" "drop table public.t;"
DB=$(new_db mig_fault3); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$C" >"$WORK/c1.out" 2>&1 & p1=$!; PIDS+=("$p1")
"$PACKDBC" migrate --db "$URL" --dir "$C" >"$WORK/c2.out" 2>&1 & p2=$!; PIDS+=("$p2")
rc1=0; wait "$p1" || rc1=$?
rc2=0; wait "$p2" || rc2=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] || { cat "$WORK/c1.out" "$WORK/c2.out"; fail "concurrent runs: exit $rc1 and $rc2"; }
[ "$(cat "$WORK/c1.out" "$WORK/c2.out" | grep -c '^  applied ')" = 2 ] || { cat "$WORK/c1.out" "$WORK/c2.out"; fail "concurrent runs applied other than 2 migrations in all"; }
# (here-strings, not pipes: under pipefail, `cat … | grep -q` fails when grep stops early)
both=$(cat "$WORK/c1.out" "$WORK/c2.out")
grep -qF "result: nothing to apply (2 already applied)" <<<"$both" || { cat "$WORK/c1.out" "$WORK/c2.out"; fail "the second run did not find everything applied"; }
grep -qF "(waited for another packdbc run to release the migration lock)" <<<"$both" || fail "the second run did not wait for the lock"
[ "$(q "$DB" "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations")" = "20250101000001,20250101000002" ] || fail "ledger after concurrent runs"
pass "two concurrent runs apply each migration once"

# ---- 4. the lock is held too long: a clear error after --lock-wait
DB4=$(new_db mig_fault4); DBS+=("$DB4")
psql -X -q -d "$DB4" -c "select pg_advisory_lock(31632277022990947); select pg_sleep(4)" >/dev/null 2>&1 & PIDS+=("$!")
sleep 0.5
run l1 "$PACKDBC" migrate --db "$(url_of "$DB4")" --dir "$C" --lock-wait 1
expect_rc l1 1
contains l1 "error[M0004]: another packdbc run holds the migration lock on $DB4 (waited 1s)" err
contains l1 "  held by pid " err
pass "a held lock: M0004 after --lock-wait"

# ---- 5. a lost connection: a clear error, nothing recorded
L="$WORK/lost"
mk "$L" 20250101000001 l "create table public.l (id int);
select pg_sleep(5);" "drop table public.l;"
DB=$(new_db mig_fault5); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$L" >"$WORK/lost.out" 2>"$WORK/lost.err" & pid=$!; PIDS+=("$pid")
wait_backend "$DB" "pg_sleep(5)"
q postgres "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$DB' and application_name = 'packdbc'" >/dev/null
rc=0; wait "$pid" || rc=$?
expect_rc lost 1
expect_text lost "error[M0007]: the connection to the database server was lost while running migration 20250101000001_l.sql
  terminating connection due to administrator command
help: its transaction was not committed, so the server rolls it back; check \`packdbc status\` and run again" err
[ "$(q "$DB" "select to_regclass('public.l') is null and to_regnamespace('supabase_migrations') is null")" = t ] || fail "a lost connection left a partial migration"
run lost2 "$PACKDBC" status --db "postgresql://postgres@127.0.0.1:1/$DB?sslmode=disable&connect_timeout=2" --dir "$L"
expect_rc lost2 1
contains lost2 "error[D0002]: cannot reach the database server at 127.0.0.1:1/$DB" err
pass "a lost connection gives a clear error and leaves nothing"

# ---- 6. timeouts: lock_timeout and statement_timeout are set per migration
T="$WORK/timeouts"
mk "$T" 20250101000001 t "select count(*) from public.locked;" "select 1;"
DB=$(new_db mig_fault6); DBS+=("$DB"); URL=$(url_of "$DB")
q "$DB" "create table public.locked (id int)" >/dev/null
psql -X -q -d "$DB" -c "begin; lock table public.locked in access exclusive mode; select pg_sleep(4); commit" >/dev/null 2>&1 & PIDS+=("$!")
sleep 0.5
run t1 "$PACKDBC" migrate --db "$URL" --dir "$T" --lock-timeout 300ms
expect_rc t1 1
contains t1 "error[M0006]: migration failed at 20250101000001_t.sql:1: canceling statement due to lock timeout" err
contains t1 "SQLSTATE 55P03" err
T2="$WORK/timeouts2"
mk "$T2" 20250101000001 t "select pg_sleep(3);" "select 1;"
run t2 "$PACKDBC" migrate --db "$URL" --dir "$T2" --statement-timeout 300ms
expect_rc t2 1
contains t2 "error[M0006]: migration failed at 20250101000001_t.sql:1: canceling statement due to statement timeout" err
pass "lock_timeout and statement_timeout apply"

# ---- 7. a failing down script: rolled back, the ledger truthful
D="$WORK/down"
mk "$D" 20250101000001 a "create table public.a (id int);" "drop table public.a;"
mk "$D" 20250101000002 b "create table public.b (id int);" "drop table public.b;
select * from public.nope;"
DB=$(new_db mig_fault7); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$D" >/dev/null
run d1 "$PACKDBC" rollback --db "$URL" --dir "$D" --to 0
expect_rc d1 1
contains d1 "result: stopped with an error; 0 rolled back before it" out
expect_text d1 'error[M0011]: down script failed at 20250101000002_b.down.sql:2: relation "public.nope" does not exist
  line 2: select * from public.nope;
  SQLSTATE 42P01
help: its transaction was rolled back: 20250101000002 is still applied and the ledger says so; fix the down script and run again' err
[ "$(q "$DB" "select to_regclass('public.b') is not null")" = t ] || fail "the failed down script dropped public.b"
[ "$(q "$DB" "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations")" = "20250101000001,20250101000002" ] || fail "ledger after a failing down script"
# the older one fails after the newer one succeeded: the ledger lists exactly what is applied
D2="$WORK/down2"
mk "$D2" 20250101000001 a "create table public.a (id int);" "drop table public.a;
select * from public.nope;"
mk "$D2" 20250101000002 b "create table public.b (id int);" "drop table public.b;"
DB=$(new_db mig_fault8); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$D2" >/dev/null
run d2 "$PACKDBC" rollback --db "$URL" --dir "$D2" --to 0
expect_rc d2 1
contains d2 "  rolled back 20250101000002_b (20250101000002_b.down.sql, 1 statement," out
contains d2 "result: stopped with an error; 1 rolled back before it" out
contains d2 "help: its transaction was rolled back: 20250101000001 is still applied and the ledger says so (1 rolled back before it); fix the down script and run again" err
[ "$(q "$DB" "select to_regclass('public.b') is null and to_regclass('public.a') is not null")" = t ] || fail "catalog after a partly failed rollback"
[ "$(q "$DB" "select string_agg(version, ',') from supabase_migrations.schema_migrations")" = 20250101000001 ] || fail "ledger after a partly failed rollback"
run d3 "$PACKDBC" status --db "$URL" --dir "$D2"
contains d3 "result: 1 applied, 1 pending, 0 changed, 0 missing" out
pass "a failing down script leaves the ledger truthful"
echo "ok: faults"
