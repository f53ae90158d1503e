#!/usr/bin/env bash
# Interoperability with the real Supabase CLI (npm supabase@2.117.0, tools/): `supabase db push
# --db-url` accepts a compile output folder and packdbc recognises what it applied; packdbc's
# ledger is what `supabase migration list` reads; both tools agree at every step.
# usage: supabase_cli.sh PACKDBC ENV_FILE SUPABASE_BIN
. "$(dirname "$0")/lib.sh"
SB=${3:?usage: $0 PACKDBC ENV_FILE SUPABASE_BIN}
SB=$(realpath -m "$SB")
[ -x "$SB" ] || fail "the Supabase CLI is not installed at $SB (cd tools && npm ci)"
[ "$("$SB" --version 2>/dev/null)" = 2.117.0 ] || fail "want Supabase CLI 2.117.0, found $("$SB" --version 2>&1 | head -1)"
export SUPABASE_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
OUT="$WORK/creator-os"
"$PACKDBC" compile "$REPO/examples/creator-os/creator-os.packdb" -o "$OUT" --date 2025-01-01 -q || fail "compile creator-os"
mapfile -t VERSIONS < <(ls "$OUT/supabase/migrations" | sed -E 's/_.*//' | sort)
N=${#VERSIONS[@]}
[ "$N" -ge 2 ] || fail "creator-os has fewer than 2 migrations"

# Both tools' view as "version state" lines. Supabase: a version in the Remote column is
# applied, in the Local column only pending.
sb_view() {  # -> $WORK/sb.view
  (cd "$OUT" && "$SB" migration list --db-url "$1" 2>"$WORK/sb.err") >"$WORK/sb.out" || { cat "$WORK/sb.err"; fail "supabase migration list failed"; }
  awk -F'|' '/`[0-9]+`/ { l = $1; r = $2; gsub(/[ `]/, "", l); gsub(/[ `]/, "", r);
                          if (r != "") print (l != "" ? l : r), "applied"; else print l, "pending" }' "$WORK/sb.out" >"$WORK/sb.view"
}
pk_view() {  # -> $WORK/pk.view
  "$PACKDBC" status --db "$1" --dir "$OUT" --format json >"$WORK/pk.json" || true
  python3 -c 'import json,sys; [print(m["version"], m["state"]) for m in json.load(open(sys.argv[1]))["migrations"]]' "$WORK/pk.json" >"$WORK/pk.view" \
    || { cat "$WORK/pk.json"; fail "packdbc status --format json printed no JSON"; }
}
agree() {  # agree URL WHAT EXPECTED_APPLIED_COUNT
  local b
  sb_view "$1"; pk_view "$1"
  b=$(cat "$WORK/pk.view")
  cmp -s "$WORK/sb.view" "$WORK/pk.view" || { echo "supabase migration list:"; cat "$WORK/sb.out"; echo "packdbc status:"; cat "$WORK/pk.json"; fail "$2: the tools disagree"; }
  [ "$(grep -c ' applied$' <<<"$b")" = "$3" ] || { echo "$b"; fail "$2: want $3 applied"; }
}

# ---- 1. supabase db push applies the folder; packdbc recognises it
DB=$(new_db mig_sb1); DBS+=("$DB"); URL=$(url_of "$DB")
agree "$URL" "fresh database" 0
(cd "$OUT" && "$SB" db push --db-url "$URL" --yes) >"$WORK/push.out" 2>&1 || { cat "$WORK/push.out"; fail "supabase db push rejected the migrations folder"; }
for v in "${VERSIONS[@]}"; do grep -q "Applying migration ${v}_" "$WORK/push.out" || { cat "$WORK/push.out"; fail "db push did not apply $v"; }; done
agree "$URL" "after supabase db push" "$N"
run st "$PACKDBC" status --db "$URL" --dir "$OUT"
expect_rc st 0
contains st "applied  (recorded by another tool, no checksum)" out
contains st "result: $N applied, 0 pending, 0 changed, 0 missing" out
run m "$PACKDBC" migrate --db "$URL" --dir "$OUT"
expect_rc m 0
contains m "result: nothing to apply ($N already applied)" out
pass "supabase db push accepts the folder; packdbc status agrees and migrate finds nothing to do"

# ---- 2. packdbc applies part; the Supabase CLI reads packdbc's ledger and pushes the rest
DB=$(new_db mig_sb2); DBS+=("$DB"); URL=$(url_of "$DB")
PART="$WORK/part"; copy_dir "$OUT" "$PART"
for v in "${VERSIONS[@]:1}"; do rm "$PART"/supabase/migrations/"${v}"_*.sql; done
"$PACKDBC" migrate --db "$URL" --dir "$PART" >/dev/null || fail "packdbc migrate (first migration)"
agree "$URL" "after packdbc applied the first migration" 1
(cd "$OUT" && "$SB" db push --db-url "$URL" --yes) >"$WORK/push2.out" 2>&1 || { cat "$WORK/push2.out"; fail "supabase db push after packdbc"; }
grep -q "Applying migration ${VERSIONS[0]}_" "$WORK/push2.out" && fail "supabase db push re-applied what packdbc applied"
agree "$URL" "after supabase pushed the rest" "$N"
pass "the Supabase CLI reads packdbc's ledger and pushes only the rest"

# ---- 3. packdbc applies all; the Supabase CLI sees all applied and has nothing to push
DB=$(new_db mig_sb3); DBS+=("$DB"); URL=$(url_of "$DB")
"$PACKDBC" migrate --db "$URL" --dir "$OUT" >/dev/null || fail "packdbc migrate"
agree "$URL" "after packdbc migrate" "$N"
(cd "$OUT" && "$SB" db push --db-url "$URL" --yes) >"$WORK/push3.out" 2>&1 || { cat "$WORK/push3.out"; fail "supabase db push after packdbc migrate"; }
grep -qi "up to date" "$WORK/push3.out" || { cat "$WORK/push3.out"; fail "supabase db push wanted to push after packdbc applied everything"; }
# packdbc records the statements exactly as the Supabase CLI does (same split, same text)
sql="select string_agg(version || ':' || cardinality(statements) || ':' || md5(array_to_string(statements, chr(1))), ',' order by version) from supabase_migrations.schema_migrations"
a=$(q "${DBS[0]}" "$sql")
b=$(q "$DB" "$sql")
[ "$a" = "$b" ] || fail "the recorded statements differ: supabase $a, packdbc $b"
pass "the Supabase CLI sees packdbc's migrations as applied (statements recorded identically: $b)"

# ---- 4. rollback removes the ledger rows the Supabase CLI reads
"$PACKDBC" rollback --db "$URL" --dir "$OUT" --last 1 --force >/dev/null || fail "packdbc rollback"
agree "$URL" "after packdbc rollback --last 1" "$((N - 1))"
pass "after a rollback both tools list the last migration as pending"
echo "ok: supabase_cli"
