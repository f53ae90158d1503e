#!/usr/bin/env bash
# pg-up.sh STATE_DIR — start a throwaway PostgreSQL 15 for the tests and describe it in
# STATE_DIR/pg.env.
#
# * The cluster lives in an absolute mktemp dir under /tmp (the unix socket path must be short
#   and absolute; a build dir can be too long for it), owned by `postgres` when we are root.
# * Port: a free one, retried if the bind loses a race.  fsync and friends are off: the data
#   is thrown away, speed matters.
# * It creates the template database `supabase_template` holding Supabase's environment
#   (tests/db/supabase-env.sql).  Tests clone it: `createdb -T supabase_template NAME`.
#   The template does not allow connections, so nothing can hold it open and block a clone.
# * pgTAP is NOT installed in the template; it is available (`create extension pgtap`), and
#   roundtrip.sh installs it around the pgTAP step only.
# * Starting again with the same STATE_DIR stops the previous server first.
#
# pg.env exports PGHOST (socket dir), PGPORT, PGUSER, PGDATABASE, PGBIN, PG_URL (TCP, for
# tools that want a URL) and PGBASE/PGDATA/PG_LOG (used by pg-down.sh).
set -euo pipefail
LOG_TAG=pg-up
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$(abs_dir "$1")
t0=$(now_ms)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# Fail loudly, never skip: a test that needs a server must not pass without one.
for b in initdb pg_ctl postgres psql createdb; do
  [ -x "$PGBIN/$b" ] || die "PostgreSQL 15 binary '$PGBIN/$b' not found (install: bash scripts/install-deps.sh)"
done
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user to run the server"
  command -v runuser >/dev/null || die "runuser not found (util-linux)"
fi

# A previous server for this state dir (a crashed run, a re-run) is stopped first.
if [ -f "$STATE/pg.env" ]; then
  log "stopping the previous server of $STATE"
  bash "$DB_HARNESS_DIR/pg-down.sh" "$STATE" || true
fi

PGBASE=$(mktemp -d /tmp/packdb-pg.XXXXXX)
PGDATA="$PGBASE/data"
PG_LOG="$PGBASE/server.log"
# If anything below fails, remove the half-made cluster so no server or folder is left behind.
started=0
cleanup_on_error() {
  if [ "$started" = 1 ]; then as_pg_user "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$PGBASE"
}
trap 'rc=$?; if [ $rc -ne 0 ]; then cleanup_on_error; fi' EXIT
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGBASE"

# C.UTF-8 gives UTF-8 text with byte-order collation: the same results on every machine.
if ! as_pg_user "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres --no-sync \
      -E UTF8 --locale=C.UTF-8 >"$PGBASE/initdb.log" 2>&1; then
  cat "$PGBASE/initdb.log" >&2
  die "initdb failed"
fi

for attempt in 1 2 3 4 5; do
  PGPORT=$(free_port) || die "no free TCP port found"
  if as_pg_user "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t 60 -o \
      "-p $PGPORT -k $PGBASE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
  # Lost the race for the port: try another one.  Anything else is a real error.
  if grep -q 'could not bind\|Address already in use' "$PG_LOG" 2>/dev/null && [ "$attempt" -lt 5 ]; then
    log "port $PGPORT was taken meanwhile, retrying"
    : >"$PG_LOG"
    continue
  fi
  tail -n 30 "$PG_LOG" >&2 || true
  die "PostgreSQL did not start (log above, $PG_LOG)"
done
[ "$started" = 1 ] || die "PostgreSQL did not start after 5 attempts"

export PGHOST="$PGBASE" PGPORT PGUSER=postgres PGDATABASE=postgres
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

# The template every test database is cloned from.
"$PGBIN/createdb" supabase_template
"${PSQL[@]}" -d supabase_template --single-transaction -f "$DB_HARNESS_DIR/supabase-env.sql" >/dev/null \
  || die "applying supabase-env.sql to supabase_template failed"
"${PSQL[@]}" -d postgres -c "alter database supabase_template with is_template true allow_connections false" \
  || die "could not mark supabase_template as a template"
# pgTAP must be installable (tests need it); fail now rather than in the first test.
[ "$("${PSQL[@]}" -At -c "select count(*) from pg_available_extensions where name = 'pgtap'")" = 1 ] \
  || die "pgTAP is not available on this server (apt-get install postgresql-15-pgtap)"

write_env "$STATE/pg.env" \
  "PGHOST=$PGBASE" "PGPORT=$PGPORT" "PGUSER=postgres" "PGDATABASE=postgres" "PGSSLMODE=disable" \
  "PGBIN=$PGBIN" "PG_URL=postgresql://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable" \
  "PGBASE=$PGBASE" "PGDATA=$PGDATA" "PG_LOG=$PG_LOG" "PG_KIND=postgres"

log "PostgreSQL $("${PSQL[@]}" -At -c 'show server_version') up on 127.0.0.1:$PGPORT (socket $PGBASE) in $(since "$t0"); template supabase_template ready; env: $STATE/pg.env"
