#!/usr/bin/env bash
# editors.tmgrammar — vscode-tmgrammar-test (npm, pinned in tools/package.json) runs the
# annotated samples tests/editors/*.packdb against the VS Code extension's TextMate grammar,
# found through editors/vscode/package.json as VS Code finds it. Each sample starts with
#   // SYNTAX TEST "source.packdb" "description"
# and a line `//   ^^^ scope - forbidden.scope` under a source line asserts the scopes of the
# columns marked (`// <--- scope` for the columns from the line's start).
# Usage: tests/editors/tmgrammar.sh SOURCE_DIR
set -euo pipefail
src=$(cd "${1:?usage: tmgrammar.sh SOURCE_DIR}" && pwd)
bin="$src/tools/node_modules/.bin/vscode-tmgrammar-test"
[ -x "$bin" ] || { echo "FAIL: $bin is not installed: run scripts/install-deps.sh (npm ci in tools/)"; exit 1; }
cd "$src/tools"
"$bin" --config ../editors/vscode/package.json '../tests/editors/*.packdb'
