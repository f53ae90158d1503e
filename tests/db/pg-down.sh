#!/usr/bin/env bash
# pg-down.sh STATE_DIR — stop the PostgreSQL started by pg-up.sh for STATE_DIR and remove its
# files.  Safe to call when nothing runs (no pg.env, server already dead, called twice).
set -euo pipefail
LOG_TAG=pg-down
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
STATE=$1
ENV_FILE="$STATE/pg.env"
if [ ! -f "$ENV_FILE" ]; then
  log "nothing to stop ($ENV_FILE does not exist)"
  exit 0
fi
# shellcheck disable=SC1090
. "$ENV_FILE"

# Only ever touch a folder that pg-up.sh made (guards against a hand-edited pg.env).
case "${PGBASE:-}" in
  /tmp/packdb-pg.*) ;;
  *) die "refusing to remove unexpected PGBASE '${PGBASE:-}' from $ENV_FILE" ;;
esac

if [ -f "$PGDATA/postmaster.pid" ]; then
  # Immediate: the data is thrown away, no need for a checkpoint.
  as_pg_user "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 30 stop >/dev/null 2>&1 \
    || log "pg_ctl stop reported an error (server already gone?)"
fi
rm -rf "$PGBASE"
rm -f "$ENV_FILE"
log "stopped and removed $PGBASE"
