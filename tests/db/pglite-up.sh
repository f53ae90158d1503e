#!/usr/bin/env bash
# pglite-up.sh STATE_DIR — start PGlite (PostgreSQL 18 compiled to WebAssembly, in memory)
# with pgvector and pgTAP behind a real wire-protocol socket that psql/libpq/pg_prove talk to,
# for the parts of the tests that need `vector` (Debian's PostgreSQL 15 has no pgvector).
#
# What PGlite is, and what this harness does about it:
#  * ONE database and ONE backend session, shared by every client connection.  The database
#    name and user in a connection string are ignored (always `postgres`, a superuser).
#    `-m 4` lets 4 clients connect; their transactions are serialised, not interleaved.
#  * Session state (SET without LOCAL, SET ROLE, set_config(..., false), temp tables) LEAKS
#    from one connection to the next.  roundtrip.sh runs `discard all` between steps.
#  * So there is no per-test database: tests using this server must not run in parallel
#    (CMake gives them RESOURCE_LOCK pglite) and must leave the catalog as they found it.
#
# Writes STATE_DIR/pglite.env (PGHOST, PGPORT, PGUSER, PGDATABASE, PG_URL, PGLITE_PID, ...)
# and STATE_DIR/pglite.baseline.catalog, the snapshot (catalog + row counts, lib.sh) right
# after Supabase's environment was applied, which roundtrip.sh uses to notice a server left
# dirty by an earlier test.
#
# Also verified on PGlite 0.5.14 (PostgreSQL 18.6) through psql: CREATE ROLE, SET [LOCAL]
# ROLE, RLS enforced for non-superuser roles (42501 on a forbidden insert), set_config of
# request.jwt.claim.sub, CREATE SCHEMA auth, supabase-env.sql, CREATE EXTENSION vector
# (0.8.7) with vector(1536) + HNSW vector_cosine_ops, CREATE EXTENSION pgtap (1.3.5) and
# pg_prove, DDL inside transactions (rolled back on error or on client disconnect).
# CREATE DATABASE succeeds but the new database cannot be connected to.  PGOPTIONS
# (startup options) are ignored.  Only extensions named with -e (plus plpgsql) are available.
# A test's `psql -U anon` still connects as postgres: act as a role with SET LOCAL ROLE.
set -euo pipefail
LOG_TAG=pglite-up
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$(abs_dir "$1")
t0=$(now_ms)
TOOLS="$REPO_ROOT/tools"
SERVER_JS="$TOOLS/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js"
START_TIMEOUT=${PGLITE_START_TIMEOUT:-90}   # seconds; the WASM start takes ~3-7 s here
# Extensions PGlite can CREATE: only those loaded at start (-e) are available.  pgvector and
# pgTAP come from their own npm packages (`-e vector` alone does not work); pgcrypto,
# uuid-ossp, pg_trgm and citext are PGlite contrib modules that Supabase projects often use.
EXTENSIONS=${PGLITE_EXTENSIONS:-@electric-sql/pglite-pgvector:vector,@electric-sql/pglite-pgtap:pgtap,pgcrypto,@electric-sql/pglite/contrib/uuid_ossp:uuid_ossp,pg_trgm,citext}

command -v node >/dev/null || die "node not found (Node.js 20 is needed for PGlite)"
command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client-15)"
# Called directly, not through npx: npx would try the network when the package is missing.
[ -f "$SERVER_JS" ] || die "PGlite is not installed in tools/ ($SERVER_JS missing): run bash scripts/install-deps.sh"

if [ -f "$STATE/pglite.env" ]; then
  log "stopping the previous PGlite of $STATE"
  bash "$DB_HARNESS_DIR/pglite-down.sh" "$STATE" || true
fi

PID_FILE="$STATE/pglite.pid"
LOG_FILE="$STATE/pglite.log"
pid=""
# On failure, kill the server this script started (its pid may be known only from the file).
kill_started() {
  local p=${pid:-$(cat "$PID_FILE" 2>/dev/null || true)}
  if [ -n "$p" ]; then kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; fi
  rm -f "$PID_FILE"
}
trap 'rc=$?; if [ $rc -ne 0 ]; then kill_started; fi' EXIT

for attempt in 1 2 3 4 5; do
  PORT=$(free_port) || die "no free TCP port found"
  rm -f "$PID_FILE"
  # setsid: its own session and process group, so it outlives this script (ctest runs the
  # fixture and moves on) and can be stopped as a group.  All three standard streams are
  # redirected: ctest waits for the test's output pipe to close, a server holding it would
  # hang the fixture.  `exec` keeps the pid that the inner shell wrote.
  (
    cd "$TOOLS"
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
      node "$SERVER_JS" --port="$PORT" --host=127.0.0.1 --max-connections=4 \
      --extensions="$EXTENSIONS" \
      </dev/null >"$LOG_FILE" 2>&1 &
  )
  for (( i = 0; i < 50; i++ )); do [ -s "$PID_FILE" ] && break; sleep 0.1; done
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  [ -n "$pid" ] || die "PGlite server did not start (no pid); log: $LOG_FILE"

  # Bounded wait until psql gets an answer.
  deadline=$(( $(now_ms) + START_TIMEOUT * 1000 ))
  ready=0
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if psql "postgresql://postgres@127.0.0.1:$PORT/postgres?sslmode=disable&connect_timeout=5" \
         -X -At -c 'select 1' >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.25
  done
  [ "$ready" = 1 ] && break
  if ! kill -0 "$pid" 2>/dev/null && grep -q 'EADDRINUSE' "$LOG_FILE" && [ "$attempt" -lt 5 ]; then
    log "port $PORT was taken meanwhile, retrying"
    continue
  fi
  tail -n 30 "$LOG_FILE" >&2 || true
  if kill -0 "$pid" 2>/dev/null; then
    die "PGlite did not accept connections within ${START_TIMEOUT}s (log above, $LOG_FILE)"
  fi
  die "PGlite server exited during start-up (log above, $LOG_FILE)"
done

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres PGSSLMODE=disable
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

# Supabase's environment, as on the PostgreSQL template.
"${PSQL[@]}" --single-transaction -f "$DB_HARNESS_DIR/supabase-env.sql" >/dev/null \
  || die "applying supabase-env.sql to PGlite failed"
for ext in vector pgtap; do
  [ "$("${PSQL[@]}" -At -c "select count(*) from pg_available_extensions where name = '$ext'")" = 1 ] \
    || die "extension '$ext' is not available in PGlite (check the -e list and tools/package.json)"
done
snapshot_db "$STATE/pglite.baseline.catalog" \
  || die "catalog snapshot failed on PGlite"

write_env "$STATE/pglite.env" \
  "PGHOST=127.0.0.1" "PGPORT=$PORT" "PGUSER=postgres" "PGDATABASE=postgres" "PGSSLMODE=disable" \
  "PG_URL=postgresql://postgres@127.0.0.1:$PORT/postgres?sslmode=disable" \
  "PGLITE_PID=$pid" "PGLITE_LOG=$LOG_FILE" "PGLITE_STATE=$STATE" \
  "PGLITE_BASELINE=$STATE/pglite.baseline.catalog" "PG_KIND=pglite"

log "$("${PSQL[@]}" -At -c 'show server_version') (PGlite; extensions: $("${PSQL[@]}" -At -c "select string_agg(name, ' ' order by name) from pg_available_extensions")) up on 127.0.0.1:$PORT, pid $pid, in $(since "$t0"); env: $STATE/pglite.env"
