#!/usr/bin/env bash
# roundtrip.sh ENV_FILE OUT_DIR [--pglite]
#
# Proves on a live server that a compile output folder's migrations apply, pass their pgTAP
# tests, and roll back EXACTLY, by comparing snapshots: the catalog (tests/db/catalog.sql)
# plus the row count of every user table (tests/db/data.sql, catches forgotten seed rows):
#
#   S0 = snapshot of a fresh Supabase-like database
#   up_1 .. up_n      each with psql -v ON_ERROR_STOP=1 --single-transaction; S_i after each
#   pgTAP             pg_prove on supabase/tests/*.test.sql (pgTAP installed around it only);
#                     the catalog afterwards must still be S_n (tests must roll back)
#   down_n .. down_1  after down_i the catalog must equal S_(i-1)   (so finally C == A)
#   up_1 .. up_n      again: S_i must be reproduced                  (up -> down -> up == B)
#   down_n .. down_1  again: back to S0 (leaves a shared PGlite server clean)
#
# ENV_FILE is pg.env from pg-up.sh or pglite.env from pglite-up.sh.  OUT_DIR holds
#   supabase/migrations/<version>_<name>.sql
#   supabase/rollback/<version>_<name>.down.sql    (one per migration, no orphans)
#   supabase/tests/*.test.sql                      (at least one)
#
# PostgreSQL: each run gets its own database cloned from supabase_template, dropped at the end.
# PGlite (--pglite): there is a single database, so the run happens in it; it must start from
# the server's baseline (it fails if an earlier run left objects behind), and on failure the
# server is restarted so that later tests start clean again.
#
# Exit 0 only if every step passed.  Set RT_KEEP=1 to keep the work folder (snapshots, logs).
set -euo pipefail
LOG_TAG=roundtrip
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 ENV_FILE OUT_DIR [--pglite]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
ENV_FILE=$1 OUT=$2 MODE=postgres
if [ $# -eq 3 ]; then [ "$3" = --pglite ] && MODE=pglite || usage; fi
t_start=$(now_ms)

[ -f "$ENV_FILE" ] || die "$ENV_FILE not found: is the database fixture up? (tests/db/pg-up.sh / pglite-up.sh)"
# shellcheck disable=SC1090
. "$ENV_FILE"
[ "${PG_KIND:-}" = "$MODE" ] || die "$ENV_FILE describes a '${PG_KIND:-?}' server but the mode is '$MODE' (pass --pglite for pglite.env)"
command -v psql >/dev/null || die "psql not found"
command -v pg_prove >/dev/null || die "pg_prove not found (apt-get install libtap-parser-sourcehandler-pgtap-perl)"

# ---- the output folder -------------------------------------------------------------------
[ -d "$OUT/supabase/migrations" ] || die "$OUT/supabase/migrations does not exist"
shopt -s nullglob
UPS=() DOWNS=() VERSIONS=()
mapfile -t UPS < <(printf '%s\n' "$OUT"/supabase/migrations/*.sql | LC_ALL=C sort)
[ ${#UPS[@]} -gt 0 ] && [ -n "${UPS[0]}" ] || die "no migrations in $OUT/supabase/migrations"
for up in "${UPS[@]}"; do
  base=$(basename "$up" .sql)
  # The Supabase CLI takes the digits before the first '_' as the version: they must be unique.
  [[ $base =~ ^([0-9]+)_[A-Za-z0-9_]+$ ]] || die "migration name '$base.sql' is not <digits>_<name>.sql"
  v=${BASH_REMATCH[1]}
  for seen in "${VERSIONS[@]}"; do [ "$seen" != "$v" ] || die "two migrations share version $v"; done
  VERSIONS+=("$v")
  down="$OUT/supabase/rollback/$base.down.sql"
  [ -f "$down" ] || die "migration $base.sql has no rollback $down"
  DOWNS+=("$down")
done
for down in "$OUT"/supabase/rollback/*.sql; do
  [ -f "$OUT/supabase/migrations/$(basename "$down" .down.sql).sql" ] \
    || die "rollback $(basename "$down") has no migration"
done
TESTS=("$OUT"/supabase/tests/*.test.sql)
[ ${#TESTS[@]} -gt 0 ] || die "no pgTAP tests in $OUT/supabase/tests (*.test.sql): refusing to pass without tests"
n=${#UPS[@]}

WORK=$(mktemp -d /tmp/packdb-rt.XXXXXX)

# ---- the database under test ----------------------------------------------------------------
if [ "$MODE" = postgres ]; then
  DB=$(printf 'rt_%s_%s_%s' "$(basename "$(cd "$OUT" && pwd)" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')" "$$" "$RANDOM" | cut -c1-63)
else
  DB=postgres   # PGlite ignores the database name anyway
fi
export PGDATABASE=$DB

ok=0
on_exit() {
  local rc=$?
  if [ $ok != 1 ] && [ "$rc" -eq 0 ]; then rc=1; fi
  if [ "$MODE" = postgres ]; then
    "$PGBIN/dropdb" --if-exists --force "$DB" >/dev/null 2>&1 || log "warning: could not drop $DB"
  elif [ $ok != 1 ] && [ -n "${PGLITE_STATE:-}" ]; then
    # The single shared database may now hold half-applied objects: restart the server so
    # that the next test starts from a clean one (this run still fails).
    log "restarting PGlite so later tests start clean"
    bash "$DB_HARNESS_DIR/pglite-down.sh" "$PGLITE_STATE" >/dev/null 2>&1 || true
    bash "$DB_HARNESS_DIR/pglite-up.sh" "$PGLITE_STATE" >/dev/null 2>&1 || log "warning: PGlite restart failed"
  fi
  if [ "${RT_KEEP:-0}" = 1 ]; then log "work folder kept: $WORK"; else rm -rf "$WORK"; fi
  if [ $ok = 1 ]; then
    log "PASS $OUT ($MODE, $n migrations) in $(since "$t_start")"
  else
    log "FAIL $OUT ($MODE)"
  fi
  exit "$rc"
}
trap on_exit EXIT

PSQL=(psql -X -v ON_ERROR_STOP=1)

# On PGlite all connections share one backend session: SET ROLE, SET without LOCAL and temp
# tables left by one step would leak into the next.  Reset the session before every step,
# as a fresh connection to PostgreSQL would be.
fresh_session() {
  if [ "$MODE" = pglite ]; then "${PSQL[@]}" -q -c 'discard all' >/dev/null || die "discard all failed"; fi
}

snapshot() {  # snapshot NAME -> $WORK/NAME.catalog
  fresh_session
  snapshot_db "$WORK/$1.catalog" 2>"$WORK/$1.err" \
    || { cat "$WORK/$1.err" >&2; die "catalog snapshot $1 failed"; }
}

same() {  # same EXPECTED ACTUAL MESSAGE: dies with a diff when the snapshots differ
  if ! diff -u --label "expected ($1)" --label "actual ($2)" "$WORK/$1.catalog" "$WORK/$2.catalog" >"$WORK/$2.diff"; then
    echo "----- catalog diff (- expected, + actual) -----" >&2
    head -n 200 "$WORK/$2.diff" >&2
    echo "-----------------------------------------------" >&2
    die "$3"
  fi
}

apply() {  # apply FILE: the whole file in one transaction, stopping at the first error
  local f=$1 log="$WORK/$(basename "$1").log"
  fresh_session
  if ! "${PSQL[@]}" -q --single-transaction -f "$f" >"$log" 2>&1; then
    cat "$log" >&2
    die "applying $(basename "$f") failed (rolled back)"
  fi
}

step() { log "$(printf '%-7s' "$1") ${*:2}"; }

# ---- 1. a fresh database ------------------------------------------------------------------------
if [ "$MODE" = postgres ]; then
  "$PGBIN/createdb" -T supabase_template "$DB" || die "could not create $DB from supabase_template"
  step create "database $DB from supabase_template (PostgreSQL $PGPORT)"
else
  step create "PGlite on port $PGPORT: single database, checking it is at its baseline"
fi
snapshot S0
if [ "$MODE" = pglite ] && [ -n "${PGLITE_BASELINE:-}" ] && [ -f "$PGLITE_BASELINE" ]; then
  cp "$PGLITE_BASELINE" "$WORK/baseline.catalog"
  same baseline S0 "the PGlite server is not clean (an earlier run left objects behind); restart it with tests/db/pglite-up.sh"
fi

# ---- 2. up ----------------------------------------------------------------------------------------
for (( i = 0; i < n; i++ )); do
  apply "${UPS[$i]}"
  snapshot "S$((i + 1))"
  if cmp -s "$WORK/S$i.catalog" "$WORK/S$((i + 1)).catalog"; then
    step up "$(basename "${UPS[$i]}") (warning: changed neither the catalog nor any row count)"
  else
    step up "$(basename "${UPS[$i]}")"
  fi
done
cp "$WORK/S$n.catalog" "$WORK/B.catalog"

# ---- 2b. splinter's lints, as our own catalog queries (tests/db/lints.sql): zero findings -------
# (RT_LINTS=0 skips this for the harness's own hand-written samples, which test other things.)
fresh_session
[ "${RT_LINTS:-1}" = 0 ] || "${PSQL[@]}" -At -F $'\t' -f "$DB_HARNESS_DIR/lints.sql" >"$WORK/lints.out" 2>&1 || { cat "$WORK/lints.out" >&2; die "lints.sql failed"; }
if [ -s "$WORK/lints.out" ]; then
  sed 's/^/    /' "$WORK/lints.out" >&2
  die "the applied schema has lint findings (splinter's rules, tests/db/lints.sql)"
fi
[ "${RT_LINTS:-1}" = 0 ] || step lints "13 splinter lints: no findings"

# ---- 3. pgTAP -------------------------------------------------------------------------------------
fresh_session
[ "$("${PSQL[@]}" -At -c "select count(*) from pg_available_extensions where name = 'pgtap'")" = 1 ] \
  || die "pgTAP is not available on this server: the tests cannot run"
installed_pgtap=0
if [ "$("${PSQL[@]}" -At -c "select count(*) from pg_extension where extname = 'pgtap'")" = 0 ]; then
  "${PSQL[@]}" -q -c 'create extension pgtap' >/dev/null || die "create extension pgtap failed"
  installed_pgtap=1
fi
fresh_session
if ! pg_prove --failures -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" "${TESTS[@]}" >"$WORK/pg_prove.log" 2>&1; then
  cat "$WORK/pg_prove.log" >&2
  die "pgTAP tests failed"
fi
grep -v 'NOTICE: ' "$WORK/pg_prove.log" | sed 's/^/    /' || true
fresh_session
[ $installed_pgtap = 0 ] || "${PSQL[@]}" -q -c 'drop extension pgtap' >/dev/null || die "drop extension pgtap failed"
snapshot T
same B T "the pgTAP tests changed the catalog (a test must end with rollback)"
step pgtap "${#TESTS[@]} file(s) passed"

# ---- 4. down, one at a time: each must restore the state before its migration ---------------------
rollback_all() {
  local i
  for (( i = n - 1; i >= 0; i-- )); do
    apply "${DOWNS[$i]}"
    snapshot "D$i"
    same "S$i" "D$i" "$(basename "${DOWNS[$i]}") does not restore the catalog as it was before $(basename "${UPS[$i]}")"
    step down "$(basename "${DOWNS[$i]}") restores the catalog exactly"
  done
}
rollback_all

# ---- 5. up again: the migrations re-apply after their rollback, to the same catalog -----------------
for (( i = 0; i < n; i++ )); do
  apply "${UPS[$i]}"
  snapshot "R$((i + 1))"
  same "S$((i + 1))" "R$((i + 1))" "re-applying $(basename "${UPS[$i]}") after the rollback gives a different catalog"
done
step re-up "all $n migrations again: same catalog as the first time (up -> down -> up)"

# ---- 6. down again: back to the start, leaving the server clean --------------------------------------
rollback_all >/dev/null
step clean "rolled back again: catalog equals the fresh database"

ok=1
