#!/usr/bin/env bash
# Bad input never crashes, hangs or writes anything: each case must exit 1 with a clear
# message that has a position (or names the size limit), and leave the output folder absent.
# usage: bad_input.sh PACKDBC
set -uo pipefail
PACKDBC=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# expect NAME FILE PATTERN: compile FILE, expect exit 1, PATTERN in stderr, no output folder.
expect() {
  local name=$1 file=$2 pattern=$3
  local out="$work/out-$name"
  timeout 20 "$PACKDBC" compile "$file" -o "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  local rc=$?
  if [ $rc -ne 1 ]; then
    echo "FAIL $name: exit $rc (want 1)"; sed 's/^/    /' "$work/$name.stderr" | head -5; fail=1; return
  fi
  if ! grep -qE -- "$pattern" "$work/$name.stderr"; then
    echo "FAIL $name: stderr does not match /$pattern/:"; sed 's/^/    /' "$work/$name.stderr" | head -8; fail=1; return
  fi
  if [ -e "$out" ]; then
    echo "FAIL $name: something was written to $out"; fail=1; return
  fi
  echo "ok   $name: $(head -1 "$work/$name.stderr")"
}

: >"$work/empty.packdb"
expect empty "$work/empty.packdb" '^.*empty\.packdb:1:1: error\[E0100\]: the spec has no `pack` header'

head -c 4096 /dev/urandom >"$work/garbage.packdb"
expect binary-garbage "$work/garbage.packdb" 'garbage\.packdb:[0-9]+:[0-9]+: error\[P000[12]\]'

printf 'pack a\nneed search "never closed\n' >"$work/string.packdb"
expect unterminated-string "$work/string.packdb" 'string\.packdb:2:26: error\[P0001\]: unterminated string'

printf 'pack a\ntable t owned by user {\n  name text\n' >"$work/block.packdb"
expect unterminated-block "$work/block.packdb" 'block\.packdb:4:1: error\[P0001\]: expected `\}` to close the block'

{ printf 'pack a\ntable t owned by user { a int check ('; for _ in $(seq 10000); do printf '('; done
  printf 'a > 1'; for _ in $(seq 10000); do printf ')'; done; printf ') }\n'; } >"$work/deep.packdb"
expect deep-nesting "$work/deep.packdb" 'deep\.packdb:2:[0-9]+: error\[P0001\]: expression nested too deeply'

printf 'pack a\n// caf\xe9 latin-1, not UTF-8\n' >"$work/latin1.packdb"
expect invalid-utf8 "$work/latin1.packdb" 'latin1\.packdb:2:7: error\[P0002\]: invalid UTF-8'

{ printf 'pack a\n'; head -c $((50 * 1024 * 1024)) /dev/zero | tr '\0' ' '; } >"$work/huge.packdb"
expect huge-file "$work/huge.packdb" 'huge\.packdb. is too large \([0-9]+ bytes; the limit is 16777216 bytes\)'

# The limit can be raised (--max-spec-mib) or lowered, and is then the one named.
timeout 60 "$PACKDBC" check "$work/huge.packdb" --max-spec-mib 64 >"$work/raised.stdout" 2>"$work/raised.stderr"
rc=$?  # 3: the KISS gate stops a pack with no needs; what matters is that the file was read
if [ $rc = 3 ] && ! grep -q 'P0003' "$work/raised.stderr" && grep -q 'Validation checklist' "$work/raised.stdout"; then
  echo "ok   huge-file-allowed: --max-spec-mib 64 reads the 50 MB file"
else
  echo "FAIL huge-file-allowed: exit $rc"; head -3 "$work/raised.stderr"; fail=1
fi
head -c $((2 * 1024 * 1024)) "$work/huge.packdb" >"$work/two-mib.packdb"
timeout 20 "$PACKDBC" check "$work/two-mib.packdb" --max-spec-mib 1 >/dev/null 2>"$work/lowered.stderr"
rc=$?
if [ $rc = 1 ] && grep -qE 'two-mib\.packdb. is too large \(2097152 bytes; the limit is 1048576 bytes\)' "$work/lowered.stderr" &&
   grep -q 'help: a spec this large is refused unless allowed: --max-spec-mib N' "$work/lowered.stderr"; then
  echo "ok   lowered-limit: $(head -1 "$work/lowered.stderr")"
else
  echo "FAIL lowered-limit: exit $rc"; head -3 "$work/lowered.stderr"; fail=1
fi

expect missing-file "$work/does-not-exist.packdb" 'cannot read .*does-not-exist\.packdb.: No such file'
expect directory "$work" 'is a directory'

# At most 100 errors are printed, then a line that says how many there were in all.
{ printf 'pack a { date "2025-01-01" }\n'; for i in $(seq 150); do printf 'table t%d owned by user { name txt }\n' "$i"; done; } >"$work/many.packdb"
expect many-errors "$work/many.packdb" '^error: too many errors \(150 in all\); only the first 100 are shown$'
if [ "$(grep -c 'error\[E0202\]' "$work/many-errors.stderr")" != 100 ]; then
  echo "FAIL many-errors: $(grep -c 'error\[E0202\]' "$work/many-errors.stderr") errors printed, want 100"; fail=1
fi

# After a syntax error parsing resumes at the next declaration: 30 broken tables give 20
# syntax errors (the limit), the last one saying that the rest of the file was not read.
{ printf 'pack a { date "2025-01-01" }\n'; for i in $(seq 30); do printf 'table t%d owned by user {\n  name\n}\n' "$i"; done; } >"$work/syntax.packdb"
expect many-syntax-errors "$work/syntax.packdb" '^help: 20 syntax errors: the rest of the file was not read$'
if [ "$(grep -c 'error\[P0001\]' "$work/many-syntax-errors.stderr")" != 20 ] ||
   ! grep -q '^[^ ]*syntax\.packdb:60:7: error\[P0001\]' "$work/many-syntax-errors.stderr"; then
  echo "FAIL many-syntax-errors: want 20 errors, the last at 60:7:"; grep 'P0001' "$work/many-syntax-errors.stderr" | tail -2; fail=1
fi

# A semantic error also writes nothing.
printf 'pack a { date "2025-01-01" }\ntable t owned by user { name txt }\n' >"$work/semantic.packdb"
expect semantic-error "$work/semantic.packdb" 'semantic\.packdb:2:30: error\[E0202\]: unknown type `txt`'

# Usage errors exit 2.
"$PACKDBC" compile >/dev/null 2>&1; rc=$?
if [ $rc -ne 2 ]; then echo "FAIL usage: exit $rc (want 2)"; fail=1; else echo "ok   usage: exit 2"; fi
"$PACKDBC" frobnicate >/dev/null 2>&1; rc=$?
if [ $rc -ne 2 ]; then echo "FAIL unknown-command: exit $rc (want 2)"; fail=1; else echo "ok   unknown-command: exit 2"; fi

exit $fail
