#!/usr/bin/env bash
# bad_input.sh PACKDBC ENV_FILE — bad input to the commands that read a database or a snapshot:
# each gives a clear message, a non-zero exit, never the password, and writes nothing.
#   * unreachable server (refused port), unknown host, a URL libpq cannot use, no URL at all,
#     a database that does not exist — for inspect, env-check, snapshot, check --db, compile --db;
#     the URL with its password as postgresql://user:password@… and as key=value;
#   * snapshots that are not YAML or have the wrong shape (tests/introspect/bad-snapshots/).
# Wrong passwords and a role without catalog access need roles and pg_hba.conf changes: they
# run on a private server (auth.sh), so this test leaves the shared server's roles alone.
set -uo pipefail
LOG_TAG=bad-input
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -eq 2 ] || { echo "usage: $0 PACKDBC ENV_FILE" >&2; exit 2; }
PACKDBC=$1
load_env "$2"
SECRET='Sup3r-S3cret'
SPEC=$IX_DIR/follow.packdb

# every_command NAME WANT_EXIT PATTERN URL: the five commands that take --db, each must exit
# WANT_EXIT, print PATTERN, never SECRET, and write nothing.
every_command() {
  local name=$1 want=$2 pattern=$3 url=$4 out
  for cmd in inspect env-check snapshot check compile; do
    out="$WORK/out-$name-$cmd"
    case $cmd in
      inspect)   args=(inspect --db "$url" -o "$out") ;;
      env-check) args=(env-check --db "$url") ;;
      snapshot)  mkdir -p "$out"; args=(snapshot --db "$url" -o "$out") ;;
      check)     args=(check "$SPEC" --db "$url") ;;
      compile)   args=(compile "$SPEC" --db "$url" -o "$out") ;;
    esac
    expect_run "$name/$cmd" "$want" "$pattern" timeout 30 "$PACKDBC" "${args[@]}" || continue
    if grep -qF -- "$SECRET" "$WORK/$name/$cmd.out"; then
      bad "$name/$cmd printed the password"
    fi
    if [ "$cmd" = snapshot ]; then
      [ -z "$(ls -A "$out")" ] && ok "$name/$cmd: the snapshot folder stays empty" || bad "$name/$cmd wrote $(ls "$out")"
    elif [ -e "$out" ]; then
      bad "$name/$cmd wrote $out"
    fi
  done
}
mkdir -p "$WORK/unreachable" "$WORK/unknown-host" "$WORK/bad-port" "$WORK/no-database" "$WORK/keyvalue"
# expect_run writes $WORK/NAME.out; NAME holds a slash, hence the folders above.

# Nothing listens on port 1.
every_command unreachable 1 'error\[D0002\]: cannot reach the database server at 127\.0\.0\.1:1/postgres|D0002.*cannot reach the database server at 127\.0\.0\.1:1/postgres' \
  "postgresql://app:$SECRET@127.0.0.1:1/postgres?connect_timeout=5"
grep -q 'postgresql://app:\*\*\*\*@127.0.0.1:1/postgres' "$WORK/unreachable/env-check.out" \
  && ok "env-check shows the URL with the password masked" || bad "env-check: masked URL missing"

every_command unknown-host 1 'D0002.*cannot reach the database server at no-such-host\.invalid:5432' \
  "postgresql://app:$SECRET@no-such-host.invalid:5432/app?connect_timeout=5"

every_command bad-port 1 'D0001.*is not a valid connection URL' "postgresql://app:$SECRET@127.0.0.1:notaport/app"

every_command no-database 1 'D0004.*the database in 127\.0\.0\.1:'"$PGPORT"'/ix_no_such_db does not exist' \
  "postgresql://postgres:$SECRET@127.0.0.1:$PGPORT/ix_no_such_db?sslmode=disable"

every_command keyvalue 1 'D0002.*cannot reach the database server at 127\.0\.0\.1:1' \
  "host=127.0.0.1 port=1 user=app password=$SECRET dbname=app connect_timeout=5"

# No URL anywhere: usage error (2) for the commands that look in the environment.
for cmd in inspect env-check; do
  expect_run "no-url-$cmd" 2 'D0001.*no database URL given' env -u SUPABASE_DB_URL -u DATABASE_URL "$PACKDBC" "$cmd"
done
mkdir -p "$WORK/snap-no-url"
expect_run no-url-snapshot 2 'D0001.*no database URL given' \
  env -u SUPABASE_DB_URL -u DATABASE_URL "$PACKDBC" snapshot -o "$WORK/snap-no-url"
[ -z "$(ls -A "$WORK/snap-no-url")" ] && ok "no-url-snapshot wrote nothing" || bad "no-url-snapshot wrote something"
# --db and --schema together: a usage error.
expect_run db-and-schema 2 'excludes' "$PACKDBC" check "$SPEC" --db "postgresql://x@127.0.0.1:1/x" \
  --schema "$IX_DIR/bad-snapshots/newer-format.yaml"

# ---- snapshots that are not YAML or have the wrong shape -----------------------------------------
snap_case() {  # snap_case FILE PATTERN
  local f=$IX_DIR/bad-snapshots/$1 out=$WORK/out-snap-$1
  expect_run "snapshot-$1" 1 "$2" "$PACKDBC" compile "$SPEC" --schema "$f" -o "$out" || return
  [ ! -e "$out" ] && ok "snapshot-$1: nothing written" || bad "snapshot-$1 wrote $out"
}
cd "$IX_DIR" || die "cannot cd to $IX_DIR"
snap_case not-yaml.yaml 'not-yaml\.yaml:4:1: error\[S0001\]: the schema snapshot is not valid YAML'
snap_case top-level-list.yaml 'top-level-list\.yaml:1:1: error\[S0002\]: the schema snapshot has the wrong shape: expected a mapping with a `tables` list'
snap_case columns-not-list.yaml 'columns-not-list\.yaml:3:14: error\[S0002\]: .*`columns` of table `project` must be a list'
snap_case bad-on-delete.yaml 'bad-on-delete\.yaml:7:9: error\[S0002\]: .*`explode` is not an action'
snap_case bad-bool.yaml 'bad-bool\.yaml:3:10: error\[S0002\]: .*`rls` of table `project` must be true or false'
snap_case newer-format.yaml 'newer-format\.yaml:1:19: error\[S0002\]: .*format 2 is newer than this packdbc reads'
snap_case column-without-type.yaml 'column-without-type\.yaml:5:9: error\[S0002\]: .*each column of table `project` needs a `name` and a `type`'
snap_case policy-bad-command.yaml 'policy-bad-command\.yaml:7:9: error\[S0002\]: .*`upsert` is not a command'
head -c 3000 /dev/urandom >"$WORK/random.yaml"
expect_run snapshot-random-bytes 1 'random\.yaml(:[0-9]+:[0-9]+)?: error\[S000[12]\]' \
  "$PACKDBC" compile "$SPEC" --schema "$WORK/random.yaml" -o "$WORK/out-random"
[ ! -e "$WORK/out-random" ] && ok "snapshot-random-bytes: nothing written" || bad "snapshot-random-bytes wrote output"
