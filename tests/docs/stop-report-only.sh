#!/usr/bin/env bash
# stop-report-only.sh PACKDBC SPEC...
# When the KISS gate says STOP, `packdbc compile` exits 3 and writes the report alone —
# expansion-packs/<pack>/database-integration-report.yaml recommending to keep the
# filesystem, with the gate's reasons — and nothing else (no migrations, no docs).
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PACKDBC SPEC..." >&2; exit 2; }
PACKDBC=$1; shift
work=$(mktemp -d /tmp/packdb-stop.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
for spec in "$@"; do
  name=$(basename "$spec" .packdb)
  out="$work/$name"
  "$PACKDBC" compile "$spec" -o "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  rc=$?
  if [ $rc -ne 3 ]; then echo "FAIL $name: exit $rc, want 3"; cat "$work/$name.stderr"; fail=1; continue; fi
  files=$(cd "$out" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
  if [ "$(printf '%s\n' "$files" | wc -l)" -ne 1 ] || [[ "$files" != expansion-packs/*/database-integration-report.yaml ]]; then
    echo "FAIL $name: wrote other files than the report:"; printf '    %s\n' $files; fail=1; continue
  fi
  report="$out/$files"
  if ! grep -q '^  recommendation: Keep the filesystem$' "$report"; then
    echo "FAIL $name: the report does not recommend keeping the filesystem"; sed 's/^/    /' "$report"; fail=1; continue
  fi
  if ! grep -q '^  rationale:$' "$report" || ! grep -q 'KISS gate: STOP' "$work/$name.stdout"; then
    echo "FAIL $name: no rationale in the report, or no STOP verdict printed"; fail=1; continue
  fi
  echo "ok   $name: exit 3, only $files ($(sed -n '/^  rationale:/,/^  [a-z]/p' "$report" | sed -n '2p' | sed 's/^ *- //'))"
done
exit $fail
