#!/usr/bin/env bash
# npm run bench [-- <scenario>...]: the benchmarks (bench/index.ts), compiled, with the project's
# toolchain. Brings the lab up (six hosts, kwok-realistic) when it is not, and then takes it down
# again unless KW_KEEP_LAB=1. Benchmarks are not tests: never part of npm test or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash lab/toolchain/env.sh)"
npx tsc -p tsconfig.json
was_up=0
bash lab/control-plane/status.sh 2>/dev/null | grep -q '^kube-apiserver running' && was_up=1
# Idempotent: adds what is missing (hosts 4-6, kwok-realistic) to a lab that is up.
bash lab/lab.sh up --hosts 6
if ((was_up == 0)) && [[ "${KW_KEEP_LAB:-}" != 1 ]]; then trap 'bash lab/lab.sh down' EXIT; fi
node dist/bench/index.js "$@"
