#!/usr/bin/env bash
# Golden command-line cases: each tests/cli/cases/NAME.packdb starts with
#   // args: <packdbc arguments, SPEC stands for the file itself>
#   // exit: <expected exit code>
# and NAME.out holds the expected stdout followed by stderr. Paths in the output are
# relative to tests/cli/cases. With --regen, the .out files are rewritten (review `git diff`).
# usage: run_cases.sh PACKDBC CASES_DIR [--regen]
set -uo pipefail
PACKDBC=$(realpath "$1") DIR=$2 REGEN=${3:-}
cd "$DIR"
fail=0 n=0
for spec in *.packdb; do
  n=$((n + 1))
  name=${spec%.packdb}
  args=$(sed -n 's|^// args: ||p' "$spec" | head -1)
  want_exit=$(sed -n 's|^// exit: ||p' "$spec" | head -1)
  if [ -z "$args" ] || [ -z "$want_exit" ]; then echo "FAIL $name: missing // args: or // exit: line"; fail=1; continue; fi
  args=${args//SPEC/$spec}
  # shellcheck disable=SC2086
  got=$( { "$PACKDBC" $args 2>&1 1>&3 | sed 's/^/stderr: /'; } 3>&1; exit "${PIPESTATUS[0]}")
  rc=$?
  if [ "$REGEN" = "--regen" ]; then printf '%s\n' "$got" >"$name.out"; fi
  if [ "$rc" != "$want_exit" ]; then
    echo "FAIL $name: exit $rc, want $want_exit"; printf '%s\n' "$got" | head -20 | sed 's/^/    /'; fail=1; continue
  fi
  if ! diff -u "$name.out" <(printf '%s\n' "$got") >/tmp/run_cases.diff.$$; then
    echo "FAIL $name: output differs:"; sed 's/^/    /' /tmp/run_cases.diff.$$ | head -40; fail=1
  else
    echo "ok   $name (exit $rc)"
  fi
  rm -f /tmp/run_cases.diff.$$
done
[ $n -gt 0 ] || { echo "no cases found in $DIR"; exit 1; }
echo "$((n)) cases"
exit $fail
