#!/usr/bin/env bash
# guide-examples.sh PACKDBC SPEC ENV_FILE [--pglite]
#
# Runs the SQL usage examples of the guide that `packdbc compile SPEC` writes
# (docs/<pack>/database-integration.md) against its applied migrations on a real server, as
# the guide says to run them, and fails if any statement fails:
#
#   1. compile SPEC into a fresh folder;
#   2. a database: PostgreSQL 15 — a clone of the template supabase_template (tests/db/pg-up.sh);
#      PGlite (--pglite, for pgvector) — its single database, which must be left clean;
#   3. apply every migration in order, each with psql --single-transaction;
#   4. as the superuser, create the guide's example user in auth.users (its id is the uuid the
#      guide's `set local <claim> = '<uuid>'` line names);
#   5. run every ```sql block of the guide's "## Usage" section, in order, verbatim, in one psql
#      session. The first block is the guide's own `begin; set local role <user role>;
#      set local <claim> = '<uuid>'`, so everything after it runs as the signed-in role with
#      row-level security on. The guide uses concrete values (fixed uuids, sample values), no
#      :placeholders, so nothing is substituted;
#   6. still inside that transaction, assert that the session really is the guide's role, that
#      this role neither is a superuser nor bypasses RLS, and that row_security is on; then
#      roll back;
#   7. drop the database (PostgreSQL), or roll the migrations back and check the catalog is at
#      the server's baseline again (PGlite; on failure PGlite is restarted, as roundtrip.sh does).
set -euo pipefail
LOG_TAG=guide-examples
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../db/lib.sh
. "$HERE/../db/lib.sh"

[ $# -ge 3 ] && [ $# -le 4 ] || { echo "usage: $0 PACKDBC SPEC ENV_FILE [--pglite]" >&2; exit 2; }
PACKDBC=$1 SPEC=$2 ENV_FILE=$3 MODE=postgres
if [ $# -eq 4 ]; then [ "$4" = --pglite ] && MODE=pglite || { echo "unknown option $4" >&2; exit 2; }; fi
[ -x "$PACKDBC" ] || die "packdbc not found at $PACKDBC"
[ -f "$ENV_FILE" ] || die "$ENV_FILE not found: is the database fixture up? (tests/db/pg-up.sh / pglite-up.sh)"
# shellcheck disable=SC1090
. "$ENV_FILE"
[ "${PG_KIND:-}" = "$MODE" ] || die "$ENV_FILE describes a '${PG_KIND:-?}' server but the mode is '$MODE'"

WORK=$(mktemp -d /tmp/packdb-guide.XXXXXX)
OUT="$WORK/out"
"$PACKDBC" compile "$SPEC" -o "$OUT" --quiet || die "packdbc compile $SPEC failed"
GUIDE=$(find "$OUT/docs" -name database-integration.md)
[ -f "$GUIDE" ] || die "no docs/<pack>/database-integration.md written"
mapfile -t UPS < <(printf '%s\n' "$OUT"/supabase/migrations/*.sql | LC_ALL=C sort)

# ---- the examples: every ```sql block of the Usage section ---------------------------------------
awk '
  /^## / { in_usage = ($0 == "## Usage") }
  in_usage && /^```sql$/ { in_sql = 1; next }
  in_sql && /^```$/ { in_sql = 0; print ""; next }
  in_usage && in_sql { print }
' "$GUIDE" >"$WORK/examples.sql"
blocks=$(awk '/^## /{u=($0=="## Usage")} u&&/^```sql$/{n++} END{print n+0}' "$GUIDE")
[ "$blocks" -ge 2 ] || die "the guide's Usage section has $blocks sql blocks; expected the session setup and examples"
ROLE=$(sed -n 's/^set local role \(.*\);$/\1/p' "$WORK/examples.sql" | head -1)
USER_ID=$(sed -nE "s/^set local [a-z_.]+ = '([0-9a-f-]{36})';$/\1/p" "$WORK/examples.sql" | head -1)
[ -n "$ROLE" ] || die "the guide does not switch to the signed-in role (no 'set local role …;' line)"
[ -n "$USER_ID" ] || die "the guide does not name the signed-in user (no \"set local <claim> = '<uuid>';\" line)"
grep -q '^begin;$' "$WORK/examples.sql" || die "the guide's examples do not open a transaction (set local needs one)"
if grep -nE "(^|[^:]):[a-z_]+" "$WORK/examples.sql" | grep -v -- '--' >"$WORK/placeholders"; then
  cat "$WORK/placeholders" >&2; die "the examples still contain :placeholders"
fi

# ---- the database -------------------------------------------------------------------------------
PSQL=(psql -X -v ON_ERROR_STOP=1)
if [ "$MODE" = postgres ]; then
  DB=$(printf 'guide_%s_%s_%s' "$(basename "$SPEC" .packdb | tr -c 'a-zA-Z0-9\n' '_')" "$$" "$RANDOM" | cut -c1-63)
else
  DB=postgres
fi
export PGDATABASE=$DB
ok=0
cleanup() {
  local rc=$?
  [ $ok = 1 ] || [ $rc -ne 0 ] || rc=1
  if [ "$MODE" = postgres ]; then
    "$PGBIN/dropdb" --if-exists --force "$DB" >/dev/null 2>&1 || log "warning: could not drop $DB"
  elif [ $ok != 1 ] && [ -n "${PGLITE_STATE:-}" ]; then
    log "restarting PGlite so later tests start clean"
    bash "$DB_HARNESS_DIR/pglite-down.sh" "$PGLITE_STATE" >/dev/null 2>&1 || true
    bash "$DB_HARNESS_DIR/pglite-up.sh" "$PGLITE_STATE" >/dev/null 2>&1 || log "warning: PGlite restart failed"
  fi
  if [ "${GUIDE_KEEP:-0}" = 1 ]; then log "work folder kept: $WORK"; else rm -rf "$WORK"; fi
  if [ $ok = 1 ]; then log "PASS $(basename "$SPEC"): $blocks sql blocks of $(basename "$GUIDE") ran as $ROLE"; else log "FAIL $(basename "$SPEC")"; fi
  exit $rc
}
trap cleanup EXIT
fresh_session() { if [ "$MODE" = pglite ]; then "${PSQL[@]}" -q -c 'discard all' >/dev/null; fi; }

if [ "$MODE" = postgres ]; then
  "$PGBIN/createdb" -T supabase_template "$DB" || die "could not create $DB from supabase_template"
fi
for up in "${UPS[@]}"; do
  fresh_session
  "${PSQL[@]}" -q --single-transaction -f "$up" >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log" >&2; die "applying $(basename "$up") failed"; }
done
log "applied ${#UPS[@]} migrations to $DB ($MODE)"

# ---- the run --------------------------------------------------------------------------------------
has_users=$("${PSQL[@]}" -At -c "select to_regclass('auth.users') is not null")
{
  echo "-- as the superuser: the guide's example user"
  if [ "$has_users" = t ]; then echo "insert into auth.users (id) values ('$USER_ID');"; fi
  echo "-- ---- the guide's Usage section, verbatim ----"
  cat "$WORK/examples.sql"
  echo "-- ---- the test's checks, inside the guide's transaction ----"
  cat <<SQL
do \$\$
begin
  if current_user <> '$ROLE' then
    raise exception 'the examples ran as %, not as the role the guide names ($ROLE)', current_user;
  end if;
  if (select rolsuper or rolbypassrls from pg_catalog.pg_roles where rolname = current_user) then
    raise exception 'role % bypasses row-level security', current_user;
  end if;
  if current_setting('row_security') <> 'on' then
    raise exception 'row_security is off';
  end if;
end
\$\$;
rollback;
SQL
  if [ "$has_users" = t ]; then echo "delete from auth.users where id = '$USER_ID';"; fi
} >"$WORK/run.sql"
fresh_session
if ! "${PSQL[@]}" -a -f "$WORK/run.sql" >"$WORK/run.log" 2>&1; then
  sed 's/^/    /' "$WORK/run.log" >&2
  die "a usage example of $(basename "$GUIDE") failed (statement and error above)"
fi
if grep -q 'WARNING' "$WORK/run.log"; then
  sed 's/^/    /' "$WORK/run.log" >&2
  die "warnings while running the examples (above)"
fi
sed 's/^/    /' "$WORK/run.log"

# ---- PGlite: leave the single database as it was ---------------------------------------------------
if [ "$MODE" = pglite ]; then
  for (( i = ${#UPS[@]} - 1; i >= 0; i-- )); do
    down="$OUT/supabase/rollback/$(basename "${UPS[$i]}" .sql).down.sql"
    fresh_session
    "${PSQL[@]}" -q --single-transaction -f "$down" >"$WORK/down.log" 2>&1 || { cat "$WORK/down.log" >&2; die "rolling back $(basename "$down") failed"; }
  done
  if [ -n "${PGLITE_BASELINE:-}" ] && [ -f "$PGLITE_BASELINE" ]; then
    fresh_session
    snapshot_db "$WORK/after.catalog"
    diff -u "$PGLITE_BASELINE" "$WORK/after.catalog" >&2 || die "PGlite is not back at its baseline after the test"
  fi
fi
ok=1
