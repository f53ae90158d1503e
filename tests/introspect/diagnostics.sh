#!/usr/bin/env bash
# diagnostics.sh PACKDBC ENV_FILE — what `check --db URL` says about specs that clash with the
# existing schema (existing.sql), compared with tests/introspect/expected/<case>.out:
#   collision.packdb  declares `table project`, which exists: K0302, exit 1, nothing compiled
#   insists.packdb    insists on uuid keys, a plural name, created_at and user_id: C0401–C0404
#   follow.packdb     follows the database: no warning about conventions
# Regenerate with IX_REGEN=1 (then review `git diff`).
set -uo pipefail
LOG_TAG=diagnostics
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
setup_existing_db "$2"
cd "$IX_DIR" || die "cannot cd to $IX_DIR"

run_case() {  # run_case NAME WANT_EXIT ARGS…
  local name=$1 want=$2; shift 2
  "$PACKDBC" "$@" >"$WORK/$name.out" 2>&1
  local rc=$?
  [ "$rc" = "$want" ] && ok "$name: exit $rc" || bad "$name: exit $rc, want $want"
  if [ "${IX_REGEN:-0}" = 1 ]; then cp "$WORK/$name.out" "expected/$name.out"; fi
  same_file "$name: output as expected/$name.out" "expected/$name.out" "$WORK/$name.out"
}

run_case collision 1 check collision.packdb --db "$DB_URL"
run_case insists 0 check insists.packdb --db "$DB_URL"
run_case follow 0 check follow.packdb --db "$DB_URL"

# A collision writes nothing.
"$PACKDBC" compile collision.packdb --db "$DB_URL" -o "$WORK/collision-out" >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] && [ ! -e "$WORK/collision-out" ] && ok "compile of a collision: exit 1, nothing written" \
  || bad "compile of a collision: exit $rc, output folder $( [ -e "$WORK/collision-out" ] && echo exists || echo absent)"
