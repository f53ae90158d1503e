#!/usr/bin/env bash
# install-deps.sh — everything packdbc needs to build and test, on Debian 12 as root.
# Idempotent and quiet: re-runs skip apt when every package is already installed, and skip
# npm when tools/node_modules already matches tools/package-lock.json.  Errors are shown.
# Only Debian's archive and the npm registry are used.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: compiler + libraries.  Test: PostgreSQL 15 server + pgTAP (+ pg_prove), graphviz and
# chromium for the ERD checks (dot -Tsvg; mermaid-cli drives Debian's chromium through
# puppeteer, tests/docs/puppeteer.json).  PGlite (pgvector) and mermaid-cli come from npm below.
PACKAGES=(
  g++ cmake ninja-build
  tao-pegtl-dev libyaml-cpp-dev libfmt-dev libpq-dev libcli11-dev libpg-query-dev catch2
  libmimalloc-dev   # the allocator packdbc links (CMakeLists.txt: a fifth less CPU)
  postgresql-15 postgresql-client-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  graphviz chromium
  vim time   # the Vim syntax test (tests/editors); /usr/bin/time for bench/run.sh
  clang libclang-rt-14-dev valgrind   # the libFuzzer target (tests/fuzz) and memcheck
)

log() { printf '[install-deps] %s\n' "$*"; }
die() { printf '[install-deps] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get install); CI does"

missing=()
for p in "${PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  aptlog=$(mktemp /tmp/install-deps.apt.XXXXXX)
  export DEBIAN_FRONTEND=noninteractive
  # Output goes to a log that is shown only on failure: quiet runs, visible errors.
  if ! { apt-get update -q && apt-get install -y -q "${missing[@]}"; } >"$aptlog" 2>&1; then
    cat "$aptlog" >&2
    rm -f "$aptlog"
    die "apt-get failed"
  fi
  rm -f "$aptlog"
else
  log "Debian packages: all ${#PACKAGES[@]} already installed"
fi

# Node.js comes with the machine image (20.x); Debian's own would be older than PGlite wants.
command -v node >/dev/null && command -v npm >/dev/null \
  || die "node/npm not found: Node.js 20 is needed for PGlite (tools/package.json)"

# npm ci installs exactly what package-lock.json pins.  `npm ls` is a quick offline check
# that node_modules already matches, so re-runs don't reinstall.
if (cd tools && [ -d node_modules ] && npm ls --all >/dev/null 2>&1); then
  log "npm tools: up to date"
else
  log "npm ci in tools/"
  # mermaid-cli depends on puppeteer, whose install step would download its own Chrome: it
  # uses Debian's chromium instead (above), so the download is skipped.
  (cd tools && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "npm ci in tools/ failed"
fi
log "done"
