#!/usr/bin/env bash
# scale.sh PACKDBC GEN N ENV_FILE — the generated migrations of a large spec apply on
# PostgreSQL 15 with its default lock settings (max_locks_per_transaction = 64; the test server
# even has fewer lock slots than the default, with max_connections = 60), and roll back exactly.
#
# Generates the bench spec of N tables (bench/gen), compiles it, and on a fresh database from
# supabase_template applies every migration in its own transaction (as `supabase db push`
# does), checks that N tables exist, then runs every down script newest first and compares the
# catalog (tests/db/catalog.sql + row counts) with the one before. Creating thousands of tables
# in one transaction runs out of lock slots (max_locks_per_transaction = 64): the planner cuts
# such phases into parts (compiler/plan/phases.cpp, kTablesPerMigration); this proves it.
set -uo pipefail
LOG_TAG=scale
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 4 ] || { echo "usage: $0 PACKDBC GEN N ENV_FILE" >&2; exit 2; }
PACKDBC=$1 GEN=$2 N=$3 ENV_FILE=$4
[ -f "$ENV_FILE" ] || die "no server: $ENV_FILE is missing (the pg fixture did not start)"
# shellcheck disable=SC1090
. "$ENV_FILE"
t_start=$(now_ms)
WORK=$(mktemp -d /tmp/packdb-scale.XXXXXX)
DB=scale_$$_$RANDOM
export PGDATABASE=$DB
trap '"$PGBIN/dropdb" --if-exists --force "$DB" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

"$GEN" "$N" "$WORK/spec" >/dev/null || die "bench/gen failed"
"$PACKDBC" compile "$WORK/spec/bench.packdb" -o "$WORK/out" -q || die "compile failed"
UPS=("$WORK"/out/supabase/migrations/*.sql)
n=${#UPS[@]}
log "N = $N tables: $n migrations"
[ "$(psql -X -At -d postgres -c 'show max_locks_per_transaction')" = 64 ] \
  || die "the server does not run with the default max_locks_per_transaction (64)"

"$PGBIN/createdb" -T supabase_template "$DB" || die "could not create $DB"
# The control: the same statements in ONE transaction exhaust the lock table, which is why the
# planner cuts the phases (if this ever passes, the test no longer proves the cut is needed).
cat "${UPS[@]}" >"$WORK/all-in-one.sql"
if psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$WORK/all-in-one.sql" >"$WORK/one.log" 2>&1; then
  die "control: all $N tables in one transaction applied; expected 'out of shared memory'"
fi
grep -q 'out of shared memory' "$WORK/one.log" || { tail -5 "$WORK/one.log" >&2; die "control: unexpected failure"; }
log "control: one transaction for everything fails with 'out of shared memory', as expected"
snapshot_db "$WORK/before.catalog" || die "catalog snapshot failed"
for up in "${UPS[@]}"; do
  psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$up" >"$WORK/apply.log" 2>&1 \
    || { tail -5 "$WORK/apply.log" >&2; die "applying $(basename "$up") failed"; }
done
got=$(psql -X -At -c "select count(*) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'")
[ "$got" = "$N" ] || die "expected $N tables after the up scripts, found $got"
log "up: $n migrations applied, $got tables ($(since "$t_start"))"
for (( i = n - 1; i >= 0; i-- )); do
  down="$WORK/out/supabase/rollback/$(basename "${UPS[$i]}" .sql).down.sql"
  psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$down" >"$WORK/apply.log" 2>&1 \
    || { tail -5 "$WORK/apply.log" >&2; die "rolling back $(basename "$down") failed"; }
done
snapshot_db "$WORK/after.catalog" || die "catalog snapshot failed"
diff -u "$WORK/before.catalog" "$WORK/after.catalog" >"$WORK/catalog.diff" \
  || { head -40 "$WORK/catalog.diff" >&2; die "the catalog after the rollbacks differs from before"; }
log "PASS: $N tables applied in $n migrations on default settings, rolled back exactly ($(since "$t_start"))"
