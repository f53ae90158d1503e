#!/usr/bin/env bash
# Evolution refusals (issue 10), no database needed: each spec of tests/evolve/bad/ compiled
# into a folder holding the first compile of tests/evolve/demo/v1.packdb must fail with exit 1,
# print exactly tests/evolve/bad/NAME.err, and leave the folder byte for byte as it was. Then
# the state file itself: unreadable, listing a missing migration, another pack's.
# usage: errors.sh PACKDBC [--regen]
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC [--regen]}
REGEN=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/packdb-evolve-errors.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$REPO"  # diagnostics name the specs by their path from the repository
fresh() { rm -rf "$WORK/out"; "$PACKDBC" compile tests/evolve/demo/v1.packdb -o "$WORK/out" -q 2>/dev/null; }
tree_sum() { (cd "$WORK/out" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# expect_refusal NAME EXPECTED_ERR_FILE SPEC: exit 1, that stderr, nothing written
expect_refusal() {
  local name=$1 want=$2 spec=$3 before rc=0
  before=$(tree_sum)
  "$PACKDBC" compile "$spec" -o "$WORK/out" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  [ "$rc" = 1 ] || { cat "$WORK/$name.err"; fail "$name: exit $rc, want 1"; }
  [ -s "$WORK/$name.out" ] && fail "$name: printed on stdout: $(cat "$WORK/$name.out")"
  sed -i "s|$WORK|WORK|g" "$WORK/$name.err"  # the temporary folder's name varies
  if [ "$REGEN" = --regen ]; then
    cp "$WORK/$name.err" "$want"
  else
    diff -u "$want" "$WORK/$name.err" || fail "$name: unexpected diagnostics"
  fi
  [ "$(tree_sum)" = "$before" ] || fail "$name: the output folder changed"
  echo "ok: $name"
}

for spec in tests/evolve/bad/*.packdb; do
  name=$(basename "$spec" .packdb)
  fresh
  expect_refusal "$name" "tests/evolve/bad/$name.err" "$spec"
done

STATE="$WORK/out/supabase/state/evolve_demo.state.yaml"
fresh
printf 'format: packdbc-state 1\npack: evolve_demo\ntables: [\n' >"$STATE"
expect_refusal state-unreadable tests/evolve/bad/state-unreadable.err tests/evolve/demo/v2.packdb
fresh
rm "$WORK/out/supabase/migrations/20260105000002_evolve_demo_extensions.sql"
expect_refusal state-missing-migration tests/evolve/bad/state-missing-migration.err tests/evolve/demo/v2.packdb
fresh
sed -i 's/^pack: evolve_demo$/pack: other_pack/' "$STATE"
expect_refusal state-other-pack tests/evolve/bad/state-other-pack.err tests/evolve/demo/v2.packdb
