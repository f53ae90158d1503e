#!/usr/bin/env bash
# expect-fail.sh PATTERN COMMAND... — a negative test: passes only if COMMAND exits non-zero
# AND its output matches the extended regex PATTERN (so it failed for the expected reason,
# not because, say, the server was missing).  COMMAND's output is shown either way.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PATTERN COMMAND..." >&2; exit 2; }
pattern=$1; shift
out=$(mktemp /tmp/packdb-expect.XXXXXX)
trap 'rm -f "$out"' EXIT
"$@" >"$out" 2>&1
rc=$?
sed 's/^/  | /' "$out"
if [ $rc -eq 0 ]; then
  echo "[expect-fail] FAILED: the command succeeded but was expected to fail: $*"
  exit 1
fi
if ! grep -Eq -- "$pattern" "$out"; then
  echo "[expect-fail] FAILED: the command failed (exit $rc), but not with /$pattern/"
  exit 1
fi
echo "[expect-fail] ok: failed as expected (exit $rc, matched /$pattern/)"
