# shellcheck shell=bash
# Shared helpers for the database test harness (sourced by pg-up.sh, pglite-up.sh, roundtrip.sh, ...).

DB_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$DB_HARNESS_DIR/../.." && pwd)

# Every message names the script, so a failure inside ctest's output says where it came from.
log() { printf '[%s] %s\n' "${LOG_TAG:-db}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-db}" "$*" >&2; exit 1; }

# Absolute path of a directory, creating it (state dirs are given relative by hand, absolute by CMake).
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd); }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tools).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Print a port that is free right now.  Starts at a random point of a high range so that
# parallel runs (two build trees, two CI jobs) rarely pick the same one; callers still retry
# when the server then fails to bind, because "free now" is not "free at bind time".
free_port() {
  local lo=${1:-20000} span=${2:-30000} p i
  p=$(( lo + (RANDOM * 32768 + RANDOM) % span ))
  for (( i = 0; i < 200; i++ )); do
    if ! port_in_use "$p"; then echo "$p"; return 0; fi
    p=$(( lo + (p - lo + 1) % span ))
  done
  return 1
}

# Write KEY=VALUE lines as `export KEY='value'` (shell-sourceable, safely quoted).
write_env() {
  local file=$1; shift
  local tmp="$file.tmp.$$" kv
  : >"$tmp"
  for kv in "$@"; do
    local v=${kv#*=}
    printf "export %s='%s'\n" "${kv%%=*}" "${v//\'/\'\\\'\'}" >>"$tmp"
  done
  mv -f "$tmp" "$file"
}

# Run a command as the `postgres` OS user when we are root (PostgreSQL refuses to run as
# root), or as ourselves otherwise (a developer's own account can run a private server).
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Milliseconds since the epoch (bash 5's EPOCHREALTIME; no bc/date arithmetic needed).
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); }
# "1.23s" since a now_ms value.
since() { local d=$(( $(now_ms) - $1 )); printf '%d.%02ds' $(( d / 1000 )) $(( d % 1000 / 10 )); }

# The state that roundtrip.sh compares: the catalog (catalog.sql) plus row counts of user
# tables (data.sql).  Uses the PG* environment for the connection.  snapshot_db OUT_FILE
snapshot_db() {
  psql -X -A -t -v ON_ERROR_STOP=1 -f "$DB_HARNESS_DIR/catalog.sql" -f "$DB_HARNESS_DIR/data.sql" >"$1"
}
