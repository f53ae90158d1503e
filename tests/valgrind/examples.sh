#!/usr/bin/env bash
# examples.sh PACKDBC SOURCE_DIR — valgrind memcheck is clean on compiling every example:
# no invalid read or write, no use of uninitialised memory, no definite or indirect leak.
set -uo pipefail
PACKDBC=${1:?usage: examples.sh PACKDBC SOURCE_DIR} SRC=${2:?}
command -v valgrind >/dev/null || { echo "[valgrind] ERROR: valgrind not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/packdb-vg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail=0 n=0
for spec in "$SRC"/examples/*/*.packdb; do
  name=$(basename "$spec" .packdb)
  n=$((n + 1))
  # packdbc links mimalloc (CMakeLists.txt): valgrind must replace its malloc, as it does libc's.
  # mimalloc defines operator delete as an alias of its free, so valgrind sees every delete as
  # a free: mismatch reports would be noise (leaks and bad accesses are still caught).
  if valgrind -q --soname-synonyms=somalloc=libmimalloc.so* --show-mismatched-frees=no --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --show-leak-kinds=definite,indirect "$PACKDBC" compile "$spec" -o "$WORK/$name" -q >"$WORK/$name.log" 2>&1; then
    echo "[valgrind] ok   $name"
  else
    echo "[valgrind] FAIL $name (exit $?)"; head -60 "$WORK/$name.log"; fail=1
  fi
done
[ "$n" -gt 0 ] || { echo "[valgrind] ERROR: no examples found" >&2; exit 1; }
exit $fail
