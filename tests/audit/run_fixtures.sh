#!/usr/bin/env bash
# Golden tests of `packdbc audit` on the fixture packs in tests/audit/packs/. Each pack is
# copied to a scratch folder (the hostile one gets a FIFO, a file nobody may read and a file
# larger than --max-file-size there, since git keeps none of them), audited with
#   packdbc audit packs/NAME -o out/NAME --max-file-size 65536
# and its outputs are compared byte for byte with tests/audit/expected/NAME/:
#   data-flow-audit.yaml, <pack>.packdb, and output.txt (exit code, stdout, stderr).
# Every draft spec must pass `packdbc check` (no errors) and get STOP (exit 3) from `kiss`.
#
# As root, the audit runs as `nobody` (runuser), so that the unreadable file is really
# unreadable: root reads any file whatever its mode.
# usage: run_fixtures.sh PACKDBC SOURCE_DIR [--regen]
set -uo pipefail
PACKDBC=$(realpath "$1") SRC=$(realpath "$2") REGEN=${3:-}
HERE=$SRC/tests/audit
WORK=$(mktemp -d /tmp/packdbc-audit.XXXXXX)
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
cp "$PACKDBC" "$WORK/packdbc"
chmod 755 "$WORK/packdbc"
cp -a "$HERE/packs" "$WORK/packs"

# What git cannot keep: a FIFO, an unreadable file, a large file.
H=$WORK/packs/hostile
mkfifo "$H/data/pipe.fifo"
printf 'secret notes\n' >"$H/data/private.md"
chmod 000 "$H/data/private.md"
mkdir -p "$H/data/locked"
printf 'x\n' >"$H/data/locked/hidden.md"
chmod 000 "$H/data/locked"
truncate -s 200000 "$H/data/huge.json"
mkdir -p "$WORK/out"
chmod -R a+rX "$WORK/packs"
chmod 000 "$H/data/private.md" "$H/data/locked"
chmod 777 "$WORK/out"

as_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

fail=0 n=0
cd "$WORK" || exit 1
for dir in "$HERE"/packs/*/; do
  name=$(basename "$dir")
  n=$((n + 1))
  got=$( { as_user ./packdbc audit "packs/$name" -o "out/$name" --max-file-size 65536 2>&1 1>&3 | sed 's/^/stderr: /'; } 3>&1
         echo "exit: ${PIPESTATUS[0]}")
  exp=$HERE/expected/$name
  if [ "$REGEN" = "--regen" ]; then
    rm -rf "$exp"
    mkdir -p "$exp"
    printf '%s\n' "$got" >"$exp/output.txt"
    cp "out/$name"/* "$exp/"
  fi
  ok=1
  if ! diff -u "$exp/output.txt" <(printf '%s\n' "$got") >"$WORK/diff"; then
    echo "FAIL $name: output differs:"; sed 's/^/    /' "$WORK/diff" | head -40; ok=0
  fi
  for f in "$exp"/*; do
    b=$(basename "$f")
    [ "$b" = output.txt ] && continue
    if ! diff -u "$f" "out/$name/$b" >"$WORK/diff" 2>&1; then
      echo "FAIL $name: $b differs:"; sed 's/^/    /' "$WORK/diff" | head -60; ok=0
    fi
  done
  for f in "out/$name"/*; do
    [ -e "$exp/$(basename "$f")" ] || { echo "FAIL $name: unexpected output $(basename "$f")"; ok=0; }
  done
  # The draft is a spec the compiler accepts, and the KISS gate stops it: it states no need.
  for spec in "out/$name"/*.packdb; do
    ./packdbc check "$spec" >"$WORK/check.out" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
      echo "FAIL $name: packdbc check $(basename "$spec") exit $rc"; sed 's/^/    /' "$WORK/check.out" | head -20; ok=0
    fi
    if grep -q 'error' "$WORK/check.out"; then
      echo "FAIL $name: packdbc check reports errors"; sed 's/^/    /' "$WORK/check.out" | head -20; ok=0
    fi
    ./packdbc kiss "$spec" >"$WORK/kiss.out" 2>&1
    rc=$?
    [ $rc -eq 3 ] || { echo "FAIL $name: packdbc kiss exit $rc, want 3"; sed 's/^/    /' "$WORK/kiss.out" | head -20; ok=0; }
  done
  # No secret value from an env file may reach any output.
  if grep -rq -e 'hunter2' -e 'do-not-copy-me' -e 'api_key=secret' -e 'token=abc' "out/$name" <(printf '%s' "$got"); then
    echo "FAIL $name: a secret value reached the output"; ok=0
  fi
  if [ $ok -eq 1 ]; then echo "ok   $name"; else fail=1; fi
done
[ $n -gt 0 ] || { echo "no fixture packs in $HERE/packs"; exit 1; }

# An output folder inside the pack is not audited by the next run.
cp -a "$HERE/packs/mind-lab" "$WORK/self"
./packdbc audit "$WORK/self" -o "$WORK/self/audit" -q 2>/dev/null &&
  ./packdbc audit "$WORK/self" -o "$WORK/self/audit" -q 2>/dev/null
if grep -q 'location: audit/' "$WORK/self/audit/data-flow-audit.yaml" ||
   ! grep -q "the audit's own output folder" "$WORK/self/audit/data-flow-audit.yaml"; then
  echo "FAIL: a second run audited the first run's output folder"; fail=1
else
  echo "ok   output folder inside the pack"
fi
echo "$n fixture packs"
exit $fail
