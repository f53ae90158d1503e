#!/usr/bin/env bash
# snapshot.sh PACKDBC ENV_FILE — `packdbc snapshot --db URL -o DIR`: one folder
# snapshot_<YYYYMMDDTHHMMSSZ>/ with inspect.yaml (the bytes `inspect` writes) and schema.sql
# (pg_dump --schema-only); a second snapshot gets its own folder; --no-dump writes the YAML
# alone; a pg_dump that fails writes nothing.
set -uo pipefail
LOG_TAG=snapshot
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
setup_existing_db "$2"
command -v pg_dump >/dev/null || die "pg_dump not found (postgresql-client)"

S=$WORK/snaps
mkdir -p "$S"
expect_run first 0 'wrote +inspect\.yaml' "$PACKDBC" snapshot --db "$DB_URL" -o "$S"
mapfile -t dirs < <(ls "$S")
[ ${#dirs[@]} = 1 ] && [[ ${dirs[0]} =~ ^snapshot_[0-9]{8}T[0-9]{6}Z$ ]] && ok "one timestamped folder: ${dirs[0]}" \
  || bad "folders: ${dirs[*]}"
D=$S/${dirs[0]}
[ "$(ls "$D" | tr '\n' ' ')" = "inspect.yaml schema.sql " ] && ok "inspect.yaml and schema.sql" || bad "files: $(ls "$D")"
"$PACKDBC" inspect --db "$DB_URL" -q -o "$WORK/inspect.yaml"
cmp -s "$D/inspect.yaml" "$WORK/inspect.yaml" && ok "inspect.yaml is what inspect writes" || bad "inspect.yaml differs from inspect"
for want in 'CREATE TABLE public.project' 'CREATE POLICY project_select' 'CREATE TYPE public.task_status' \
            'CREATE VIEW public.open_task' 'GENERATED ALWAYS AS IDENTITY'; do
  grep -qF "$want" "$D/schema.sql" && ok "schema.sql has $want" || bad "schema.sql lacks $want"
done
grep -q '^INSERT\|^COPY' "$D/schema.sql" && bad "schema.sql has data" || ok "schema.sql has no data (schema only)"

expect_run second 0 'wrote' "$PACKDBC" snapshot --db "$DB_URL" -o "$S"
[ "$(ls "$S" | wc -l)" = 2 ] && ok "a second snapshot gets its own folder" || bad "folders: $(ls "$S")"

mkdir -p "$WORK/nodump"
expect_run no-dump 0 'no SQL dump \(--no-dump\)' "$PACKDBC" snapshot --db "$DB_URL" -o "$WORK/nodump" --no-dump
[ "$(ls "$WORK"/nodump/*/)" = "inspect.yaml" ] && ok "--no-dump: the YAML alone" || bad "--no-dump wrote $(ls "$WORK"/nodump/*/)"

# A pg_dump that fails: nothing at all is written.
printf '#!/bin/sh\necho "pg_dump: error: aborting because of server version mismatch" >&2\nexit 1\n' >"$WORK/fake_pg_dump"
chmod +x "$WORK/fake_pg_dump"
mkdir -p "$WORK/faildump"
expect_run failing-pg-dump 1 'D0007.*pg_dump --schema-only failed' \
  "$PACKDBC" snapshot --db "$DB_URL" -o "$WORK/faildump" --pg-dump "$WORK/fake_pg_dump"
grep -q 'server version mismatch' "$WORK/failing-pg-dump.out" && ok "pg_dump's reason is shown" || bad "pg_dump's reason missing"
[ -z "$(ls -A "$WORK/faildump")" ] && ok "failing pg_dump: nothing written" || bad "failing pg_dump wrote $(ls "$WORK/faildump")"

# pg_dump missing from PATH: the YAML, with a note.
mkdir -p "$WORK/nopath"
expect_run no-pg-dump 0 'pg_dump not found on PATH' env PATH=/nonexistent "$PACKDBC" snapshot --db "$DB_URL" -o "$WORK/nopath"
