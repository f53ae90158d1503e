#!/usr/bin/env bash
# Every ```packdb block in docs/language.md passes `packdbc check` without errors
# (warnings are allowed; exit 0, or 3 when the KISS gate says STOP). A block that has no
# `pack` line is checked with a standard header in front of it.
# usage: language_examples.sh PACKDBC SOURCE_DIR
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC SOURCE_DIR}
SRC=${2:?usage: $0 PACKDBC SOURCE_DIR}
DOC="$SRC/docs/language.md"
[ -f "$DOC" ] || { echo "FAIL: $DOC does not exist"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Split the blocks into example-N.packdb, remembering the line each starts on.
awk -v dir="$work" '
  /^```packdb[ \t]*$/ { n++; f = sprintf("%s/example-%03d.packdb", dir, n); printf "%d\n", NR > (f ".line"); on = 1; next }
  on && /^```/ { on = 0; close(f); next }
  on { print > f }' "$DOC"

fail=0 n=0
for f in "$work"/example-*.packdb; do
  [ -e "$f" ] || break
  n=$((n + 1))
  line=$(cat "$f.line")
  if ! grep -qE '^[[:space:]]*pack[[:space:]]' "$f"; then
    { printf 'pack doc version "1.0.0" { target supabase date "2025-01-01" }\n'; cat "$f"; } >"$f.tmp" && mv "$f.tmp" "$f"
  fi
  set +e
  out=$("$PACKDBC" check "$f" 2>&1)
  rc=$?
  set -e
  if { [ $rc -ne 0 ] && [ $rc -ne 3 ]; } || grep -q 'error\[' <<<"$out"; then
    echo "FAIL: the example at docs/language.md:$line does not check (exit $rc):"
    grep -A4 'error' <<<"$out" | head -20 | sed 's/^/    /' || true
    fail=1
  fi
done
[ $n -gt 0 ] || { echo "FAIL: no \`\`\`packdb examples found in $DOC"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $n examples in docs/language.md check without errors"
exit $fail
