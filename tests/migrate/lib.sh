# shellcheck shell=bash
# Shared by tests/migrate/*.sh: usage `X.sh PACKDBC ENV_FILE [...]`. Each test makes its own
# database(s) from supabase_template (so tests run in parallel) and drops them at exit.
# A missing server FAILS the test: nothing is skipped.
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC ENV_FILE}
ENV_FILE=${2:?usage: $0 PACKDBC ENV_FILE}
MIGRATE_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$MIGRATE_TESTS/../.." && pwd)
[ -f "$ENV_FILE" ] || { echo "FAIL: $ENV_FILE not found: the PostgreSQL fixture is not up"; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
command -v psql >/dev/null || { echo "FAIL: psql not found"; exit 1; }
. "$REPO/tests/db/lib.sh"   # snapshot_db

WORK=$(mktemp -d /tmp/packdb-migrate.XXXXXX)
DBS=()
PIDS=()
cleanup() {
  local p d
  for p in "${PIDS[@]}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
  for d in "${DBS[@]}"; do "$PGBIN/dropdb" --if-exists --force "$d" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok: $*"; }

# new_db NAME_PREFIX -> prints the database name (created from supabase_template)
new_db() {
  local name
  name=$(printf '%s_%s_%s' "$1" "$$" "$RANDOM" | cut -c1-63)
  "$PGBIN/createdb" -T supabase_template "$name" || fail "createdb $name"
  echo "$name"
}
url_of() { echo "postgresql://postgres@127.0.0.1:$PGPORT/$1?sslmode=disable"; }
# Masked the way packdbc prints it (no password here: printed as is).
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
snap() { PGDATABASE=$1 snapshot_db "$2"; }

# run NAME CMD...: runs CMD, stdout to $WORK/NAME.out, stderr to $WORK/NAME.err, exit code to $rc
run() {
  local name=$1; shift
  set +e
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  rc=$?
  set -e
}
# expect_rc NAME CODE
expect_rc() {
  [ "$rc" -eq "$2" ] || { echo "--- stdout"; cat "$WORK/$1.out"; echo "--- stderr"; cat "$WORK/$1.err"; fail "$1: exit $rc, want $2"; }
}
# same_text NAME EXPECTED_FILE_OR_STRING WHICH(out|err)
expect_text() {
  local got="$WORK/$1.$3"
  if ! diff -u <(printf '%s\n' "$2") "$got" >"$WORK/$1.$3.diff"; then
    cat "$WORK/$1.$3.diff"
    fail "$1: unexpected std$3"
  fi
}
contains() { grep -qF -- "$2" "$WORK/$1.$3" || { cat "$WORK/$1.out" "$WORK/$1.err"; fail "$1: std$3 lacks: $2"; }; }
same_snap() { diff -u "$1" "$2" >/dev/null || { diff -u "$1" "$2" | head -40; fail "$3"; }; }

# copy_dir SRC DST: a compile output folder to change freely
copy_dir() { mkdir -p "$2" && cp -r "$1/supabase" "$2/"; }
