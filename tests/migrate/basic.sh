#!/usr/bin/env bash
# migrate / status / rollback on tests/db/sample/ok: dry run changes nothing, migrate applies
# and records (Supabase ledger + checksums), a rerun changes nothing, a changed or missing
# applied file is refused, rollback restores the catalog exactly and refuses to drop rows.
# usage: basic.sh PACKDBC ENV_FILE
. "$(dirname "$0")/lib.sh"
DIR="$WORK/ok"
copy_dir "$REPO/tests/db/sample/ok" "$DIR"
DB=$(new_db mig_basic); DBS+=("$DB")
URL=$(url_of "$DB")
V1=20250101000001 V2=20250101000002

# ---- status on a fresh database: everything pending
run st0 "$PACKDBC" status --db "$URL" --dir "$DIR"
expect_rc st0 0
expect_text st0 "packdbc status: $URL ↔ $DIR/supabase/migrations
  version          name               state    applied at (UTC)
  $V1   sample_foundation  pending
  $V2   sample_notes       pending
result: 0 applied, 2 pending, 0 changed, 0 missing" out
snap "$DB" "$WORK/S0"

# ---- dry run: reports, changes nothing (not even the ledger)
run dry "$PACKDBC" migrate --db "$URL" --dir "$DIR" --dry-run
expect_rc dry 0
contains dry "  would apply ${V1}_sample_foundation.sql (9 statements," out
contains dry "  would apply ${V2}_sample_notes.sql (10 statements," out
contains dry "result: dry run: 2 migrations would apply, 0 already applied; all rolled back, nothing changed" out
snap "$DB" "$WORK/S0dry"
same_snap "$WORK/S0" "$WORK/S0dry" "the dry run changed the database"
[ "$(q "$DB" "select to_regnamespace('supabase_migrations') is null")" = t ] || fail "the dry run left the ledger schema"
pass "dry run"

# ---- migrate: both applied, recorded as the Supabase CLI records them, with checksums
run m1 "$PACKDBC" migrate --db "$URL" --dir "$DIR"
expect_rc m1 0
contains m1 "  applied ${V1}_sample_foundation.sql (9 statements," out
contains m1 "  applied ${V2}_sample_notes.sql (10 statements," out
contains m1 "result: 2 applied, 0 already applied before" out
[ "$(q "$DB" "select string_agg(version || ' ' || name || ' ' || cardinality(statements), ',' order by version) from supabase_migrations.schema_migrations")" \
  = "$V1 sample_foundation 9,$V2 sample_notes 10" ] || fail "ledger rows"
sha1=$(sha256sum "$DIR/supabase/migrations/${V1}_sample_foundation.sql" | cut -d' ' -f1)
[ "$(q "$DB" "select sha256 from supabase_migrations.packdbc_checksums where version = '$V1'")" = "$sha1" ] || fail "checksum of $V1"
snap "$DB" "$WORK/S2"
pass "migrate applies and records"

# ---- a rerun with nothing pending changes nothing
run m2 "$PACKDBC" migrate --db "$URL" --dir "$DIR"
expect_rc m2 0
expect_text m2 "packdbc migrate: $URL ← $DIR/supabase/migrations
result: nothing to apply (2 already applied)" out
snap "$DB" "$WORK/S2b"
same_snap "$WORK/S2" "$WORK/S2b" "a rerun with nothing pending changed the database"
pass "rerun changes nothing"

# ---- status: text and JSON
run st1 "$PACKDBC" status --db "$URL" --dir "$DIR" --format json
expect_rc st1 0
at1=$(q "$DB" "select to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') from supabase_migrations.packdbc_checksums where version = '$V1'")
at2=$(q "$DB" "select to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') from supabase_migrations.packdbc_checksums where version = '$V2'")
expect_text st1 "{\"url\":\"$URL\",\"dir\":\"$DIR\",\"migrations\":[{\"version\":\"$V1\",\"name\":\"sample_foundation\",\"state\":\"applied\",\"applied_at\":\"$at1\",\"checksum\":true,\"file\":\"${V1}_sample_foundation.sql\"},{\"version\":\"$V2\",\"name\":\"sample_notes\",\"state\":\"applied\",\"applied_at\":\"$at2\",\"checksum\":true,\"file\":\"${V2}_sample_notes.sql\"}],\"summary\":{\"applied\":2,\"pending\":0,\"changed\":0,\"missing\":0}}" out
pass "status --format json"

# ---- an applied file that changed: status says so, migrate refuses
CH="$WORK/changed"; copy_dir "$DIR" "$CH"
echo "-- edited after it was applied" >>"$CH/supabase/migrations/${V1}_sample_foundation.sql"
run st2 "$PACKDBC" status --db "$URL" --dir "$CH"
expect_rc st2 1
contains st2 "  $V1   sample_foundation  changed  $at1" out
contains st2 "result: 1 applied, 0 pending, 1 changed, 0 missing" out
newsha=$(sha256sum "$CH/supabase/migrations/${V1}_sample_foundation.sql" | cut -c1-12)
run m3 "$PACKDBC" migrate --db "$URL" --dir "$CH"
expect_rc m3 1
expect_text m3 "error[M0002]: 1 applied migration changed since it was applied: ${V1}_sample_foundation.sql (file now sha256 $newsha…)
  the database holds what the file said when it was applied; the checksum recorded then differs
help: restore the file as it was applied (git), and put the change in a new migration" err

# ---- an applied migration whose file is gone
MI="$WORK/missing"; copy_dir "$DIR" "$MI"
rm "$MI/supabase/migrations/${V2}_sample_notes.sql"
run st3 "$PACKDBC" status --db "$URL" --dir "$MI"
expect_rc st3 1
contains st3 "result: 1 applied, 0 pending, 0 changed, 1 missing" out
run m4 "$PACKDBC" migrate --db "$URL" --dir "$MI"
expect_rc m4 1
contains m4 "error[M0003]: the database has applied migration that $MI/supabase/migrations has no file for: ${V2}_sample_notes" err
pass "changed and missing files are refused"

# ---- rollback --last 1: the catalog is exactly as after the first migration
run rb1 "$PACKDBC" rollback --db "$URL" --dir "$DIR" --last 1
expect_rc rb1 0
contains rb1 "  rolled back ${V2}_sample_notes (${V2}_sample_notes.down.sql, 6 statements," out
contains rb1 "result: 1 rolled back, 1 still applied" out
[ "$(q "$DB" "select string_agg(version, ',') from supabase_migrations.schema_migrations")" = "$V1" ] || fail "ledger after rollback --last 1"
[ "$(q "$DB" "select count(*) from supabase_migrations.packdbc_checksums")" = 1 ] || fail "checksums after rollback --last 1"
# the catalog equals one where only migration 1 was applied by packdbc
M1="$WORK/m1only"; copy_dir "$DIR" "$M1"; rm "$M1/supabase/migrations/${V2}_sample_notes.sql"
DB2=$(new_db mig_basic2); DBS+=("$DB2")
"$PACKDBC" migrate --db "$(url_of "$DB2")" --dir "$M1" >/dev/null
snap "$DB" "$WORK/R1"; snap "$DB2" "$WORK/M1"
same_snap "$WORK/M1" "$WORK/R1" "rollback --last 1 did not restore the catalog as after migration 1 alone"
pass "rollback --last 1 restores the catalog exactly"

# ---- rows in a table a down script drops: refused, naming it, unless --force
q "$DB" "insert into auth.users (id) values ('00000000-0000-0000-0000-0000000000a1'); insert into public.notebooks (owner_id, title) values ('00000000-0000-0000-0000-0000000000a1', 'kept')" >/dev/null
run rb2 "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to 0
expect_rc rb2 1
expect_text rb2 "error[M0010]: rolling back would drop a table holding rows: public.notebooks (1 row, ${V1}_sample_foundation.down.sql)
  nothing was rolled back
help: export the rows first if you need them, then run again with --force" err
[ "$(q "$DB" "select count(*) from public.notebooks")" = 1 ] || fail "the refused rollback changed data"
run rb3 "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to 0 --force
expect_rc rb3 0
contains rb3 "  --force: dropping public.notebooks with 1 row (${V1}_sample_foundation.down.sql)" out
contains rb3 "result: 1 rolled back, 0 still applied" out
q "$DB" "delete from auth.users" >/dev/null
snap "$DB" "$WORK/Send"
# the ledger's empty tables remain; otherwise the catalog is back at the start
q "$DB" "drop schema supabase_migrations cascade" >/dev/null
snap "$DB" "$WORK/Send2"
same_snap "$WORK/S0" "$WORK/Send2" "rollback --to 0 did not restore the start"
pass "rollback refuses to drop rows unless --force"

# ---- usage
run u1 "$PACKDBC" rollback --db "$URL" --dir "$DIR"
expect_rc u1 2
contains u1 "give --last N or --to VERSION" err
run u2 "$PACKDBC" rollback --db "$URL" --dir "$DIR" --to 123
expect_rc u2 1
contains u2 "error[M0008]: --to 123: no applied migration has that version" err
run u3 "$PACKDBC" status --dir "$WORK/nope" --db "$URL"
expect_rc u3 1
expect_text u3 "error[M0001]: $WORK/nope has no supabase/migrations folder
help: pass --dir the folder that \`packdbc compile -o DIR\` wrote" err
run u4 env -u SUPABASE_DB_URL -u DATABASE_URL "$PACKDBC" status --dir "$DIR"
expect_rc u4 2
contains u4 "error[D0001]: no database URL given" err
pass "usage errors"

# ---- a password in the URL is never printed (the server trusts; the password is ignored)
PWURL="postgresql://postgres:s3cr3t-pw@127.0.0.1:$PGPORT/$DB?sslmode=disable"
run pw1 "$PACKDBC" status --db "$PWURL" --dir "$DIR"
run pw2 "$PACKDBC" migrate --db "$PWURL" --dir "$DIR" --dry-run
run pw3 "$PACKDBC" rollback --db "$PWURL" --dir "$DIR" --to 123
run pw4 "$PACKDBC" status --db "postgresql://postgres:s3cr3t-pw@127.0.0.1:1/x?connect_timeout=2" --dir "$DIR"
for n in pw1 pw2 pw3 pw4; do
  if grep -q 's3cr3t' "$WORK/$n.out" "$WORK/$n.err"; then cat "$WORK/$n.out" "$WORK/$n.err"; fail "$n printed the password"; fi
done
contains pw1 "packdbc status: postgresql://postgres:****@127.0.0.1:$PGPORT/$DB?sslmode=disable" out
pass "the password is masked"
echo "ok: basic"
