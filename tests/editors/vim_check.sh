#!/usr/bin/env bash
# editors.vim — the Vim syntax file loads without errors on every example, stdlib module and
# sample, *.packdb files get the packdb filetype (ftdetect), and the annotated samples in
# tests/editors/ are highlighted in Vim as their TextMate assertions say (vim_check.js).
# Needs Vim with +syntax (Debian package `vim`; `vim-tiny` has no syntax highlighting).
# Usage: tests/editors/vim_check.sh SOURCE_DIR
set -euo pipefail
src=$(cd "${1:?usage: vim_check.sh SOURCE_DIR}" && pwd)

command -v vim >/dev/null || { echo "FAIL: vim is not installed (Debian package vim)"; exit 1; }
vim --version | grep -q '+syntax' || { echo "FAIL: $(command -v vim) has no +syntax (vim-tiny?); install the Debian package vim"; exit 1; }

work=$(mktemp -d /tmp/packdb-vim.XXXXXX)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
files=("$src"/examples/*/*.packdb "$src"/stdlib/*.packdb "$src"/tests/editors/*.packdb)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no .packdb files found under $src"; exit 1; }

export PACKDB_VIM_FILES PACKDB_VIM_DUMP="$work/dump.txt"
PACKDB_VIM_FILES=$(printf '%s\n' "${files[@]}")
# -n: no swap files beside the sources; -N -u NONE -i NONE: no vimrc, no viminfo; -es: silent Ex mode.
rc=0
HOME="$work" vim -n -N -u NONE -i NONE -es \
  -c "set runtimepath^=$src/editors/vim" -c 'filetype on' -c 'syntax on' \
  -c "source $src/tests/editors/vim_dump.vim" </dev/null >"$work/vim.out" 2>&1 || rc=$?
if [ ! -s "$PACKDB_VIM_DUMP" ] || [ $rc -ne 0 ]; then
  echo "FAIL: vim exited with $rc and wrote ${PACKDB_VIM_DUMP##*/}: $( [ -s "$PACKDB_VIM_DUMP" ] && echo yes || echo no )"
  cat "$work/vim.out"
  exit 1
fi
node "$src/tests/editors/vim_check.js" "$src" "$PACKDB_VIM_DUMP"
