#!/usr/bin/env bash
# compile-roundtrip.sh PACKDBC SPEC OUT_DIR ENV_FILE [--pglite]
# What packdb_add_db_roundtrip_test() runs: compile SPEC into a fresh OUT_DIR with the
# packdbc just built, then prove the output on a live server with roundtrip.sh.
set -euo pipefail
LOG_TAG=compile-roundtrip
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 4 ] && [ $# -le 5 ] || { echo "usage: $0 PACKDBC SPEC OUT_DIR ENV_FILE [--pglite]" >&2; exit 2; }
PACKDBC=$1 SPEC=$2 OUT=$3 ENV_FILE=$4
[ -x "$PACKDBC" ] || die "packdbc not found at $PACKDBC (build it first)"
[ -f "$SPEC" ] || die "spec $SPEC not found"

# A stale output from an earlier run must not mask files the compiler no longer writes.
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
log "packdbc compile $SPEC -o $OUT"
"$PACKDBC" compile "$SPEC" -o "$OUT" || die "packdbc compile failed (exit $?)"
exec bash "$DB_HARNESS_DIR/roundtrip.sh" "$ENV_FILE" "$OUT" "${@:5}"
