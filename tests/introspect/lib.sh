# shellcheck shell=bash
# Shared by the introspection tests (tests/introspect/*.sh): a database holding the existing
# schema (existing.sql), checks with clear failure messages, and clean-up.
#
# Each test sources this after setting LOG_TAG, then calls `setup_existing_db ENV_FILE`:
# a database `ix_<test>_<pid>` cloned from supabase_template with existing.sql applied, URL in
# $DB_URL (TCP, so the URL path is what users write), dropped again when the test exits.

# shellcheck source=../db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../db/lib.sh"
IX_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

WORK=$(mktemp -d /tmp/packdb-ix.XXXXXX)
FAILS=0
IX_DBS=()
IX_CLEANUP=()

ix_exit() {
  local rc=$? db c
  for c in "${IX_CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
  for db in "${IX_DBS[@]}"; do "$PGBIN/dropdb" --if-exists --force "$db" >/dev/null 2>&1 || true; done
  if [ "${IX_KEEP:-0}" = 1 ]; then log "work folder kept: $WORK"; else rm -rf "$WORK"; fi
  if [ "$rc" -eq 0 ] && [ "$FAILS" -gt 0 ]; then rc=1; fi
  if [ "$rc" -eq 0 ]; then log "PASS"; else log "FAIL ($FAILS failed checks)"; fi
  exit "$rc"
}
trap ix_exit EXIT

ok() { log "ok   $*"; }
bad() { log "FAIL $*"; FAILS=$((FAILS + 1)); }

load_env() {  # load_env ENV_FILE
  [ -f "$1" ] || die "$1 not found: is the database fixture up? (tests/db/pg-up.sh)"
  # shellcheck disable=SC1090
  . "$1"
  [ "${PG_KIND:-}" = postgres ] || die "$1 does not describe a PostgreSQL server"
}

# new_db NAME [SQL_FILE…]: a fresh database cloned from supabase_template, with the files applied.
new_db() {
  local db=$1; shift
  "$PGBIN/createdb" -T supabase_template "$db" || die "could not create $db"
  IX_DBS+=("$db")
  local f
  for f in "$@"; do
    psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$db" -f "$f" >"$WORK/load.log" 2>&1 \
      || { cat "$WORK/load.log" >&2; die "applying $(basename "$f") to $db failed"; }
  done
}

db_url() { echo "postgresql://${2:-postgres}@127.0.0.1:$PGPORT/$1?sslmode=disable"; }

setup_existing_db() {  # setup_existing_db ENV_FILE: sets DB and DB_URL
  load_env "$1"
  DB=$(printf 'ix_%s_%s_%s' "${LOG_TAG//-/_}" "$$" "$RANDOM" | cut -c1-63)
  new_db "$DB" "$IX_DIR/existing.sql"
  DB_URL=$(db_url "$DB")
  export PGDATABASE=$DB
}

# expect_run NAME WANT_EXIT PATTERN CMD…: runs CMD, stdout+stderr into $WORK/NAME.out; checks the
# exit code and that PATTERN (extended regex) occurs in the output.
expect_run() {
  local name=$1 want=$2 pattern=$3; shift 3
  "$@" >"$WORK/$name.out" 2>&1
  local rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$name: exit $rc, want $want"; sed 's/^/      /' "$WORK/$name.out" | head -20 >&2; return 1
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$WORK/$name.out"; then
    bad "$name: output does not match /$pattern/"; sed 's/^/      /' "$WORK/$name.out" | head -20 >&2; return 1
  fi
  ok "$name (exit $rc)"
}

# same_file NAME EXPECTED ACTUAL: a diff on failure.
same_file() {
  local d
  d=$(mktemp "$WORK/diff.XXXXXX")
  if diff -u "$2" "$3" >"$d"; then ok "$1"; else bad "$1 differs:"; head -60 "$d" >&2; fi
}
