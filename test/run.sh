#!/usr/bin/env bash
# `npm test`: sets up on a fresh machine everything the tests need (toolchain, npm dependencies,
# compiled code), then runs every tier. No tier is skipped: a missing tool fails with the command
# that fixes it. Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

# 1. Node >= 22 first: everything after this runs on it.
bash lab/toolchain/build.sh node
eval "$(bash lab/toolchain/env.sh)"
echo "test: node $(node --version)"

# 2. npm dependencies, reinstalled only when package-lock.json changed since the last install.
lock_stamp=node_modules/.kubeadm-workers-lock.sha256
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$lock_sha" ]]; then
  echo "test: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" >"$lock_stamp"
fi

# 3. The rest of the toolchain (Go builds; cached after the first run).
bash lab/toolchain/build.sh
echo "test: $(pulumi version | sed 's/^/pulumi /')"

# 4. Compile and lint: the tests run the compiled JavaScript.
rm -rf dist
npx tsc -p tsconfig.json
npx eslint .

# 5. The lab the integration and e2e tiers run against; taken down again however the tests end,
#    so the machine is left as it was found (KW_KEEP_LAB=1 keeps it for debugging).
lab_down() { [[ "${KW_KEEP_LAB:-}" == 1 ]] || bash lab/lab.sh down >/dev/null 2>&1 || echo "test: lab down reported a problem" >&2; }
trap lab_down EXIT
bash lab/lab.sh up

# 6. Every tier, in order; the lab-backed tiers run serially because they share one lab.
results=$(mktemp -d)
status=0
run_tier() {
  local tier="$1"; shift
  echo "test: tier $tier"
  # jest's module loader needs this flag to load ESM-only packages (@kubernetes/client-node).
  NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects "$tier" --json --outputFile="$results/$tier.json" "$@" || status=1
}
run_tier unit "$@"
run_tier integration --runInBand "$@"
run_tier e2e --runInBand "$@"

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${f}`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  console.log(`${passed} passed, ${failed} failed`);
' "$results"
rm -rf "$results"
echo "test: finished in $(( $(date +%s) - started ))s"
exit $status
