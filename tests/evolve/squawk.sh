# shellcheck shell=bash
# Shared by tests/evolve/*.sh: squawk_findings FILE... prints the rule names squawk reports,
# sorted and unique. Transactional migrations run in a transaction (packdbc migrate, psql
# --single-transaction, supabase db push), which squawk is told; the ones marked no-transaction
# are linted as they are. Needs $SQUAWK.
squawk_findings() {
  local f
  for f in "$@"; do
    if head -1 "$f" | grep -q '^-- packdbc:no-transaction'; then
      "$SQUAWK" --reporter gcc "$f" || true
    else
      "$SQUAWK" --reporter gcc --assume-in-transaction "$f" || true
    fi
  done | sed -n 's/^.*:[0-9]*:[0-9]*: \(warning\|error\): \([a-z-]*\) .*/\2/p' | sort -u
}
# squawk_findings_first FILE...: the same for a first compile's migrations (phases foundation,
# extensions, functions), without the rules excluded there (docs/migrate.md, "Evolving a pack"):
# require-lock-timeout and require-statement-timeout (they create new objects only, and packdbc
# migrate sets both timeouts for every migration it applies) and prefer-bigint-over-int (the
# spec's own choice of `int`, compiled as written).
squawk_findings_first() {
  squawk_findings "$@" | grep -vx 'require-lock-timeout\|require-statement-timeout\|prefer-bigint-over-int' || true
}
