#!/usr/bin/env bash
# npm run bench -- <name> [args]: runs bench/<name>*.ts (compiled) with the project's toolchain.
# Benchmarks print ratios against a peer run side by side; they are not tests and never run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash lab/toolchain/env.sh)"
name="${1:?usage: npm run bench -- drain [pairs] | scale-out}"; shift
npx tsc -p tsconfig.json
file=$(ls dist/bench/"$name"*.js 2>/dev/null | head -n1)
[[ -n "$file" ]] || { echo "bench: no benchmark named $name (see bench/)" >&2; exit 2; }
exec node "$file" "$@"
