#!/usr/bin/env bash
# pglite-down.sh STATE_DIR — stop the PGlite server started by pglite-up.sh for STATE_DIR.
# Safe to call when nothing runs.  It kills only the process (group) whose pid pglite-up.sh
# recorded, and only if that pid still is a node process running pglite-server.
set -euo pipefail
LOG_TAG=pglite-down
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$1
PID_FILE="$STATE/pglite.pid"
pid=$(cat "$PID_FILE" 2>/dev/null || true)
if [ -z "$pid" ] && [ -f "$STATE/pglite.env" ]; then
  pid=$(. "$STATE/pglite.env" && echo "${PGLITE_PID:-}")
fi

is_ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'pglite-socket'; }

if [ -n "$pid" ] && is_ours "$pid"; then
  # The server is the leader of its own process group (setsid): signal the group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do is_ours "$pid" || break; sleep 0.1; done
  if is_ours "$pid"; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped PGlite (pid $pid)"
else
  log "nothing to stop for $STATE"
fi
rm -f "$PID_FILE" "$STATE/pglite.env" "$STATE/pglite.baseline.catalog"
