#!/usr/bin/env bash
# setup.sh — the README's first command: install dependencies, build packdbc, and compile
# the mmos example into out/mmos.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja
cmake --build build
rm -rf out/mmos
./build/packdbc compile examples/mmos/mmos.packdb -o out/mmos
echo "Files written:"
find out/mmos -type f | sort
