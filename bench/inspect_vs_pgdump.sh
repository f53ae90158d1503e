#!/usr/bin/env bash
# bench/inspect_vs_pgdump.sh [N] — `packdbc inspect` against `pg_dump --schema-only` on one
# database of N tables (default 2000), in one run, on a throwaway PostgreSQL 15.
#
# It starts a private server (tests/db/pg-up.sh), creates N tables shaped like an application's
# (bigint identity key, owner_id → auth.users with an index, a parent foreign key, a check, a
# unique, inserted_at/updated_at, RLS with two policies, an updated_at trigger; one table in
# ten also has an enum column and a partial index), then times REPEAT (default 5) runs of each,
# alternating, over TCP:
#     packdbc inspect --db URL -o FILE
#     pg_dump --schema-only --dbname URL -f FILE
# and prints the best and median wall time of each, the ratio inspect / pg_dump (median), the
# number of catalog queries packdbc sent and the sizes of both outputs. The server is stopped
# and removed afterwards. It builds nothing: PACKDBC defaults to build/packdbc.
#
# Environment: REPEAT, PACKDBC, KEEP=1 (keep the server's folder and say where).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
[[ "$N" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "usage: bench/inspect_vs_pgdump.sh [N]  (1..999999 tables)" >&2; exit 2; }
REPEAT=${REPEAT:-5}
PACKDBC=${PACKDBC:-./build/packdbc}
[ -x "$PACKDBC" ] || { echo "inspect_vs_pgdump.sh: $PACKDBC is missing; build it: ninja -C build packdbc" >&2; exit 2; }
PACKDBC=$(realpath "$PACKDBC")
command -v pg_dump >/dev/null || { echo "inspect_vs_pgdump.sh: pg_dump not found" >&2; exit 2; }

WORK=$(mktemp -d /tmp/packdb-bench-inspect.XXXXXX)
STATE=$WORK/state
cleanup() {
  bash tests/db/pg-down.sh "$STATE" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
bash tests/db/pg-up.sh "$STATE" >"$WORK/pg-up.log" 2>&1 || { cat "$WORK/pg-up.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$STATE/pg.env"
createdb -T supabase_template bench
URL="postgresql://postgres@127.0.0.1:$PGPORT/bench?sslmode=disable"

# ---- N tables, generated server-side ------------------------------------------------------------
us() { echo "${EPOCHREALTIME/[.,]/}"; }
t0=$(us)
psql -X -q -v ON_ERROR_STOP=1 -d bench -v n="$N" >/dev/null <<'EOF'
create type public.item_state as enum ('new', 'active', 'done');
create function public.touch_updated_at() returns trigger language plpgsql set search_path = '' as
$$ begin new.updated_at := now(); return new; end $$;
select set_config('bench.n', :'n', false);
do $$
declare
  n int := current_setting('bench.n')::int;
  t text;
  parent text;
begin
  for i in 1..n loop
    t := format('t%s', lpad(i::text, 5, '0'));
    parent := format('t%s', lpad(greatest(i - 1, 1)::text, 5, '0'));
    execute format($f$
      create table public.%1$I (
        id          bigint generated always as identity primary key,
        owner_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
        %2$s
        name        text not null check (char_length(name) <= 200),
        body        text,
        %3$s
        inserted_at timestamptz not null default now(),
        updated_at  timestamptz not null default now(),
        unique (owner_id, name)
      )$f$, t,
      case when i > 1 then format('parent_id bigint references public.%I (id) on delete cascade,', parent) else '' end,
      case when i % 10 = 0 then 'state public.item_state not null default ''new'',' else '' end);
    execute format('create index %I on public.%I (owner_id)', t || '_owner_id_idx', t);
    if i % 10 = 0 then
      execute format('create index %I on public.%I (inserted_at) where state <> ''done''', t || '_open_idx', t);
    end if;
    execute format('alter table public.%I enable row level security', t);
    execute format('create policy %I on public.%I for select to authenticated using ((select auth.uid()) = owner_id)', t || '_read', t);
    execute format('create policy %I on public.%I for all to authenticated using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id)', t || '_write', t);
    execute format('create trigger %I before update on public.%I for each row execute function public.touch_updated_at()', t || '_touch', t);
    if i % 100 = 0 then commit; end if;  -- a single transaction would run out of lock slots
  end loop;
end $$;
EOF
t1=$(us)
vacuum_out=$(psql -X -q -d bench -c 'analyze' 2>&1) || { echo "$vacuum_out" >&2; exit 1; }
echo "inspect_vs_pgdump: $N tables created in $(( (t1 - t0) / 1000000 )) s (PostgreSQL $(psql -X -Atd bench -c 'show server_version'))"

# ---- time both, alternating ----------------------------------------------------------------------
ms() { echo $(( ($2 - $1) / 1000 )); }
declare -a T_INSPECT=() T_DUMP=()
for (( r = 0; r < REPEAT; r++ )); do
  a=$(us)
  "$PACKDBC" inspect --db "$URL" -o "$WORK/inspect.yaml" 2>"$WORK/inspect.err"
  b=$(us)
  pg_dump --schema-only --dbname "$URL" -f "$WORK/dump.sql"
  c=$(us)
  T_INSPECT+=("$(ms "$a" "$b")")
  T_DUMP+=("$(ms "$b" "$c")")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[1], v[int((NR + 1) / 2)] }'; }
read -r ib im <<<"$(stats "${T_INSPECT[@]}")"
read -r db dm <<<"$(stats "${T_DUMP[@]}")"
queries=$(sed -n 's/.* — \([0-9]*\) queries.*/\1/p' "$WORK/inspect.err" | head -1)
tables=$(grep -c '^  - schema: public$' "$WORK/inspect.yaml" || true)
ratio=$(awk -v a="$im" -v b="$dm" 'BEGIN { printf "%.2f", a / b }')
printf '\n%-34s %10s %10s %10s\n' "" "best ms" "median ms" "output"
printf '%-34s %10d %10d %9dK\n' "packdbc inspect ($queries queries)" "$ib" "$im" "$(( $(stat -c %s "$WORK/inspect.yaml") / 1024 ))"
printf '%-34s %10d %10d %9dK\n' "pg_dump --schema-only" "$db" "$dm" "$(( $(stat -c %s "$WORK/dump.sql") / 1024 ))"
printf '\nratio inspect / pg_dump (median of %d runs): %s   (%s tables in the YAML)\n' "$REPEAT" "$ratio" "$tables"
