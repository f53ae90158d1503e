#!/usr/bin/env bash
# Every diagnostic code the compiler can emit has an entry in docs/checks.md, and every
# entry there names a code the compiler still has.
#
# A code is a quoted string of one capital letter and four digits ("E0101", "L0003", …)
# in compiler/ or grammar/; its entry is a heading line `### CODE` in docs/checks.md.
# usage: checks_documented.sh SOURCE_DIR
set -euo pipefail
SRC=${1:?usage: $0 SOURCE_DIR}
DOC="$SRC/docs/checks.md"
[ -f "$DOC" ] || { echo "FAIL: $DOC does not exist"; exit 1; }

mapfile -t emitted < <(grep -rhoE --include='*.cpp' --include='*.hpp' '"[A-Z][0-9]{4}"' \
                         "$SRC/compiler" "$SRC/grammar" | tr -d '"' | LC_ALL=C sort -u)
[ ${#emitted[@]} -gt 0 ] || { echo "FAIL: no diagnostic codes found under $SRC/compiler and $SRC/grammar"; exit 1; }
mapfile -t documented < <(sed -nE 's/^### ([A-Z][0-9]{4})([^0-9].*)?$/\1/p' "$DOC" | LC_ALL=C sort -u)

# Here-strings, not pipes: under pipefail, `printf … | grep -q` can fail when grep stops early.
emitted_list=$(printf '%s\n' "${emitted[@]}")
documented_list=$(printf '%s\n' "${documented[@]}")
fail=0
for code in "${emitted[@]}"; do
  if ! grep -qx "$code" <<<"$documented_list"; then
    where=$(grep -rnE --include='*.cpp' --include='*.hpp' "\"$code\"" "$SRC/compiler" "$SRC/grammar" | head -1 | sed "s|^$SRC/||" || true)
    echo "FAIL: $code is emitted ($where) but docs/checks.md has no '### $code' entry"
    fail=1
  fi
done
for code in "${documented[@]}"; do
  if ! grep -qx "$code" <<<"$emitted_list"; then
    echo "FAIL: docs/checks.md documents $code, which no file under compiler/ or grammar/ emits (remove the entry)"
    fail=1
  fi
done
[ $fail -eq 0 ] && echo "ok: ${#emitted[@]} codes, each documented in docs/checks.md"
exit $fail
