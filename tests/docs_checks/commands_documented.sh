#!/usr/bin/env bash
# Every subcommand that `packdbc --help` lists has a section `## packdbc NAME` in
# docs/cli.md, and every long option that `packdbc NAME --help` lists appears, as
# `--option`, in that section (up to the next `## ` heading).
# usage: commands_documented.sh PACKDBC SOURCE_DIR
set -euo pipefail
PACKDBC=${1:?usage: $0 PACKDBC SOURCE_DIR}
SRC=${2:?usage: $0 PACKDBC SOURCE_DIR}
DOC="$SRC/docs/cli.md"
[ -f "$DOC" ] || { echo "FAIL: $DOC does not exist"; exit 1; }

help=$("$PACKDBC" --help)
# CLI11 lists the subcommands under a "Subcommands:" (or "SUBCOMMANDS:") line, one per line.
# (Here-strings, not pipes, feed grep and awk: under pipefail `printf … | grep -q` can fail
# when grep stops reading early.)
mapfile -t commands < <(awk '
  tolower($0) ~ /^subcommands:/ { on = 1; next }
  on && /^[^ ]/ { on = 0 }
  on && /^  +[a-z][a-z0-9-]*/ { print $1 }' <<<"$help")
[ ${#commands[@]} -gt 0 ] || { echo "FAIL: found no subcommands in 'packdbc --help':"; printf '%s\n' "$help"; exit 1; }

fail=0
for cmd in "${commands[@]}"; do
  section=$(awk -v h="## packdbc $cmd" '
    index($0, h) == 1 && (length($0) == length(h) || substr($0, length(h) + 1, 1) ~ /[^a-z0-9-]/) { on = 1; print; next }
    on && /^## / { exit }
    on { print }' "$DOC")
  if [ -z "$section" ]; then
    echo "FAIL: 'packdbc --help' lists '$cmd', but docs/cli.md has no '## packdbc $cmd' section"
    fail=1
    continue
  fi
  cmd_help=$("$PACKDBC" "$cmd" --help)
  mapfile -t options < <(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$cmd_help" | grep -vx -- '--help' | LC_ALL=C sort -u)
  for opt in "${options[@]}"; do
    if ! grep -qE -- "${opt}([^a-z0-9-]|\$)" <<<"$section"; then
      echo "FAIL: 'packdbc $cmd --help' lists $opt, but the '## packdbc $cmd' section of docs/cli.md does not mention it"
      fail=1
    fi
  done
done
[ $fail -eq 0 ] && echo "ok: ${#commands[@]} commands (${commands[*]}), each with its options documented in docs/cli.md"
exit $fail
