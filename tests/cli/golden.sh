#!/usr/bin/env bash
# Golden outputs: compile each example and compare every generated file with the copy kept
# under tests/golden/<example>/. With --regen, replace the kept copies (then review `git diff`).
# usage: golden.sh PACKDBC SOURCE_DIR [--regen]
set -euo pipefail
PACKDBC=$1 SRC=$2 REGEN=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
for spec in "$SRC"/examples/*/*.packdb; do
  name=$(basename "$spec" .packdb)
  golden="$SRC/tests/golden/$name"
  "$PACKDBC" compile "$spec" -o "$work/$name" --quiet
  # Compiling twice gives the same bytes.
  "$PACKDBC" compile "$spec" -o "$work/$name-again" --quiet
  if ! diff -r "$work/$name" "$work/$name-again" >/dev/null; then
    echo "FAIL $name: two compiles differ"; fail=1
  fi
  if [ "$REGEN" = "--regen" ]; then
    rm -rf "$golden"; mkdir -p "$golden"; cp -r "$work/$name/." "$golden/"
    echo "regenerated $golden"
  elif diff -ru "$golden" "$work/$name"; then
    echo "ok   $name: $(find "$golden" -type f | wc -l) files match"
  else
    echo "FAIL $name: generated output differs from tests/golden/$name (regenerate with tests/cli/golden.sh --regen and review)"
    fail=1
  fi
done
exit $fail
