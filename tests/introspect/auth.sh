#!/usr/bin/env bash
# auth.sh PACKDBC — logins and catalog access, on a PRIVATE PostgreSQL 15 (tests/db/pg-up.sh
# into a temporary state folder): this test creates roles and edits pg_hba.conf, which the
# shared server's catalog snapshots (roles are cluster-wide) must not see.
#   * a role with a password, authenticated by scram-sha-256 (pg_hba.conf), whose password holds
#     characters that must be %-encoded in a URL;
#   * wrong password / no password → D0003, exit 1, the password never printed, nothing written;
#   * right password → inspect, env-check and snapshot (pg_dump gets the password through
#     PGPASSWORD) work, and neither their output nor their files contain the password;
#   * a role that may connect but not read pg_catalog.pg_class → D0006, exit 1, nothing written.
set -uo pipefail
LOG_TAG=auth
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || { echo "usage: $0 PACKDBC" >&2; exit 2; }
PACKDBC=$1
STATE=$WORK/state
bash "$DB_HARNESS_DIR/pg-up.sh" "$STATE" >"$WORK/pg-up.log" 2>&1 || { cat "$WORK/pg-up.log" >&2; die "private server did not start"; }
IX_CLEANUP+=("bash '$DB_HARNESS_DIR/pg-down.sh' '$STATE'")
load_env "$STATE/pg.env"
unset PGPASSWORD
export PGPASSFILE=$WORK/no-pgpass  # absent: no stored password
DB=ix_auth
new_db "$DB" "$IX_DIR/existing.sql"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$DB")

PASSWORD='p@ss/w:rd-42 ok'
ENC='p%40ss%2Fw%3Ard-42%20ok'
WRONG='Wr0ng-Passw0rd'
"${PSQL[@]}" >/dev/null <<EOF || die "creating roles failed"
set password_encryption = 'scram-sha-256';
create role packdb_pw login superuser password '$PASSWORD';
create role packdb_nocat login;
-- may connect and use public, but not read the catalog of relations
revoke select on pg_catalog.pg_class from public;
EOF
# Password authentication for packdb_pw over TCP; everything else stays trust.
HBA=$PGDATA/pg_hba.conf
{ echo "host all packdb_pw 127.0.0.1/32 scram-sha-256"; cat "$HBA"; } >"$WORK/hba" && cat "$WORK/hba" >"$HBA" \
  || die "cannot edit $HBA"
psql -X -q -d postgres -c 'select pg_reload_conf()' >/dev/null || die "reload failed"
for _ in $(seq 50); do
  if ! PGPASSWORD= psql -X -w -h 127.0.0.1 -U packdb_pw -d "$DB" -c 'select 1' >/dev/null 2>&1; then break; fi
  sleep 0.1
done

URL_OK="postgresql://packdb_pw:$ENC@127.0.0.1:$PGPORT/$DB?sslmode=disable"
URL_WRONG="postgresql://packdb_pw:$WRONG@127.0.0.1:$PGPORT/$DB?sslmode=disable"
URL_NONE="postgresql://packdb_pw@127.0.0.1:$PGPORT/$DB?sslmode=disable"
URL_NOCAT="postgresql://packdb_nocat@127.0.0.1:$PGPORT/$DB?sslmode=disable"

no_secret() {  # no_secret NAME FILE…: neither the password (as written or %-encoded) nor WRONG in FILEs
  local name=$1; shift
  if grep -qF -e "$PASSWORD" -e "$ENC" -e "$WRONG" -e 'p@ss' "$@"; then bad "$name: the password appears"; else ok "$name: no password in the output"; fi
}

# every_command NAME WANT_EXIT PATTERN URL (as in bad_input.sh)
every_command() {
  local name=$1 want=$2 pattern=$3 url=$4 out cmd
  mkdir -p "$WORK/$name"
  for cmd in inspect env-check snapshot check compile; do
    out="$WORK/out-$name-$cmd"
    case $cmd in
      inspect)   args=(inspect --db "$url" -o "$out") ;;
      env-check) args=(env-check --db "$url") ;;
      snapshot)  mkdir -p "$out"; args=(snapshot --db "$url" -o "$out") ;;
      check)     args=(check "$IX_DIR/follow.packdb" --db "$url") ;;
      compile)   args=(compile "$IX_DIR/follow.packdb" --db "$url" -o "$out") ;;
    esac
    expect_run "$name/$cmd" "$want" "$pattern" timeout 30 "$PACKDBC" "${args[@]}" || continue
    no_secret "$name/$cmd" "$WORK/$name/$cmd.out"
    if [ "$cmd" = snapshot ]; then
      [ -z "$(ls -A "$out")" ] && ok "$name/$cmd: nothing written" || bad "$name/$cmd wrote $(ls "$out")"
    elif [ -e "$out" ]; then
      bad "$name/$cmd wrote $out"
    fi
  done
}

every_command wrong-password 1 'D0003.*refused the login|password authentication failed for user "packdb_pw"' "$URL_WRONG"
grep -q 'password authentication failed for user "packdb_pw"' "$WORK/wrong-password/inspect.out" \
  && ok "the server's reason is shown" || bad "the server's reason is missing"
grep -q "postgresql://packdb_pw:\*\*\*\*@127.0.0.1:$PGPORT/$DB" "$WORK/wrong-password/env-check.out" \
  && ok "env-check names the URL, password masked" || bad "env-check: no masked URL"
every_command no-password 1 'D0003.*refused the login' "$URL_NONE"
every_command no-catalog 1 'D0006.*connected as `packdb_nocat`, but the system catalogs cannot be read' "$URL_NOCAT"
grep -q 'permission denied for table pg_class' "$WORK/no-catalog/inspect.out" \
  && ok "the reason (permission denied for table pg_class) is shown" || bad "no reason shown"

# ---- the right password ---------------------------------------------------------------------------
expect_run inspect-ok 0 '6 tables' "$PACKDBC" inspect --db "$URL_OK" -o "$WORK/ok.yaml"
grep -q "^source: postgresql://packdb_pw:\*\*\*\*@127.0.0.1:$PGPORT/$DB?sslmode=disable$" "$WORK/ok.yaml" \
  && ok "source: in the YAML is masked" || bad "source: $(grep '^source:' "$WORK/ok.yaml")"
no_secret inspect-ok "$WORK/inspect-ok.out" "$WORK/ok.yaml"
expect_run env-check-ok 0 'result: ready' "$PACKDBC" env-check --db "$URL_OK"
no_secret env-check-ok "$WORK/env-check-ok.out"
mkdir -p "$WORK/snap"
expect_run snapshot-ok 0 'wrote +schema\.sql' "$PACKDBC" snapshot --db "$URL_OK" -o "$WORK/snap"
no_secret snapshot-ok "$WORK/snapshot-ok.out" "$WORK"/snap/*/*
grep -q 'CREATE TABLE public.project' "$WORK"/snap/snapshot_*/schema.sql && ok "pg_dump ran with the password" \
  || bad "schema.sql has no CREATE TABLE public.project"
expect_run compile-ok 0 'packdbc: taskboard_notes' "$PACKDBC" compile "$IX_DIR/follow.packdb" --db "$URL_OK" -o "$WORK/compiled"
no_secret compile-ok "$WORK/compile-ok.out"
grep -rqF -e "$PASSWORD" -e "$ENC" "$WORK/compiled" && bad "the compile output holds the password" || ok "compile output: no password"
