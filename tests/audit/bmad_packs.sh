#!/usr/bin/env bash
# The five real BMad v4 expansion packs (a copy in tests/audit/corpus/bmad-v4, from shared/corpus/packs/bmad-v4): documents
# only, so each audit must succeed, find the pack's name and version in config.yaml, write a
# draft spec that `packdbc check` accepts, and that draft must get STOP (exit 3) from
# `packdbc kiss`.
# usage: bmad_packs.sh PACKDBC CORPUS_DIR
set -uo pipefail
PACKDBC=$(realpath "$1") CORPUS=$2
[ -d "$CORPUS" ] || { echo "FAIL: the corpus folder $CORPUS is missing"; exit 1; }
WORK=$(mktemp -d /tmp/packdbc-audit-bmad.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0 n=0
for dir in "$CORPUS"/*/; do
  [ -f "$dir/config.yaml" ] || continue
  name=$(basename "$dir")
  n=$((n + 1))
  out=$WORK/$name
  if ! "$PACKDBC" audit "$dir" -o "$out" >"$WORK/audit.out" 2>"$WORK/audit.err"; then
    echo "FAIL $name: audit exit $?"; sed 's/^/    /' "$WORK/audit.err" | head; fail=1; continue
  fi
  version=$(sed -n 's/^version: *//p' "$dir/config.yaml" | head -1)
  spec=$out/$name.packdb
  [ -f "$spec" ] || { echo "FAIL $name: no draft $name.packdb"; ls "$out"; fail=1; continue; }
  [ -f "$out/data-flow-audit.yaml" ] || { echo "FAIL $name: no data-flow-audit.yaml"; fail=1; continue; }
  grep -q "^pack $name version \"$version\"" "$spec" || { echo "FAIL $name: the draft's header is not pack $name version \"$version\""; fail=1; }
  grep -q '^need ' "$spec" && { echo "FAIL $name: the draft states a need"; fail=1; }
  "$PACKDBC" check "$spec" >"$WORK/check.out" 2>&1
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then echo "FAIL $name: check exit $rc"; sed 's/^/    /' "$WORK/check.out" | head -20; fail=1; fi
  "$PACKDBC" kiss "$spec" >"$WORK/kiss.out" 2>&1
  rc=$?
  if [ $rc -ne 3 ]; then echo "FAIL $name: kiss exit $rc, want 3"; sed 's/^/    /' "$WORK/kiss.out" | head -20; fail=1; continue; fi
  echo "ok   $name ($(grep -c '^input ' "$spec") inputs, $(grep -c '^output ' "$spec") outputs; kiss: STOP)"
done
[ $n -eq 5 ] || { echo "FAIL: found $n BMad packs in $CORPUS, want 5"; fail=1; }
echo "$n BMad packs"
exit $fail
