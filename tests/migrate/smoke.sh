#!/usr/bin/env bash
# smoke-test on a compiled example (creator-os): PASS, the target database untouched, no scratch
# database left behind; and on a sample whose rollback forgets an index: FAIL, saying why.
# usage: smoke.sh PACKDBC ENV_FILE
. "$(dirname "$0")/lib.sh"
OUT="$WORK/creator-os"
"$PACKDBC" compile "$REPO/examples/creator-os/creator-os.packdb" -o "$OUT" --date 2025-01-01 -q || fail "compile creator-os"
DB=$(new_db mig_smoke); DBS+=("$DB"); URL=$(url_of "$DB")
snap "$DB" "$WORK/before"
scratch_count() { q postgres "select count(*) from pg_database where datname like 'packdbc_smoke_%'"; }
n0=$(scratch_count)

run s1 "$PACKDBC" smoke-test --db "$URL" --dir "$OUT" --template supabase_template
expect_rc s1 0
nmig=$(ls "$OUT/supabase/migrations" | wc -l)
ntest=$(ls "$OUT/supabase/tests" | wc -l)
sed -E 's/packdbc_smoke_[0-9_]+/packdbc_smoke_N/g; s/[0-9]+ tests?/T tests/; s/[0-9]+ catalog lines/C catalog lines/; s/[0-9]+ tables? probed, [0-9]+ skipped/P probed, S skipped/' "$WORK/s1.out" \
  | grep -v '^    RLS probe skipped ' >"$WORK/s1.norm"
diff -u - "$WORK/s1.norm" <<EXP || fail "smoke-test output"
packdbc smoke-test: $URL (scratch database packdbc_smoke_N)
  check                      result detail
  create scratch database    pass   packdbc_smoke_N (template supabase_template)
  apply all migrations       pass   $nmig applied
  pgTAP tests                pass   $ntest file$([ "$ntest" = 1 ] || echo s), T tests
  RLS isolation (two users)  pass   P probed, S skipped
  roll back all              pass   $nmig rolled back
  catalog restored           pass   after each down script; C catalog lines as at the start
  drop scratch database      pass   packdbc_smoke_N
result: PASS (7 checks)
EXP
probed=$(grep -oE '[0-9]+ tables? probed' "$WORK/s1.out" | cut -d' ' -f1)
[ "$probed" -ge 1 ] || fail "the RLS probe probed no table"
snap "$DB" "$WORK/after"
same_snap "$WORK/before" "$WORK/after" "smoke-test changed the target database"
[ "$(scratch_count)" = "$n0" ] || fail "a scratch database was left behind"
pass "smoke-test passes on creator-os; target untouched, scratch dropped"

# the default template (template1) has no auth schema: the migrations fail, clearly, and the scratch is dropped
run s2 "$PACKDBC" smoke-test --db "$URL" --dir "$OUT"
expect_rc s2 1
contains s2 "  apply all migrations       fail   M0006: migration failed at " out
contains s2 "error[M0012]: the smoke test failed: apply all migrations" err
[ "$(scratch_count)" = "$n0" ] || fail "a failed smoke test left its scratch database"
pass "a failing apply is reported and cleaned up"

# a rollback that forgets an index: the catalog check fails and names it
run s3 "$PACKDBC" smoke-test --db "$URL" --dir "$REPO/tests/db/sample/bad-index-rollback" --template supabase_template
expect_rc s3 1
contains s3 "  catalog restored           fail   20250101000002_sample_notes.down.sql leaves " out
contains s3 "notebooks_created_at_idx" out
contains s3 "error[M0012]: the smoke test failed: catalog restored" err
[ "$(scratch_count)" = "$n0" ] || fail "a failed smoke test left its scratch database"
snap "$DB" "$WORK/after3"
same_snap "$WORK/before" "$WORK/after3" "smoke-test changed the target database"
pass "an inexact rollback fails the smoke test"
echo "ok: smoke"
