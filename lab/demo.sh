#!/usr/bin/env bash
# npm run demo [-- --keep]: the product on the lab with the real pulumi CLI, as a user runs it.
#   1. brings the lab up (control plane + 3 SSH hosts);
#   2. the stack "lab" (stacks/Pulumi.lab.yaml, gitignored) gets the three hosts as `nodes`;
#   3. pulumi preview --diff, then pulumi up: three workers join in parallel;
#   4. in the same up, a Deployment with a PodDisruptionBudget (@pulumi/kubernetes resources of the
#      same program, stack config `demoWorkload`) runs on them;
#   5. one entry is removed: preview shows the delete and the scale-in report, up drains it (PDB
#      respected) and removes it;
#   6. a table: per node, what the ups did, pods moved, seconds;
#   7. pulumi destroy and the stack is removed, unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false; [[ "${1:-}" == "--keep" ]] && keep=true

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "toolchain and dependencies"
bash lab/toolchain/build.sh node
eval "$(bash lab/toolchain/env.sh)"
# The Kubernetes resource plugin the workload needs, built from Go modules (22 min the first time on
# 2 cores; cached after) and installed with `pulumi plugin install --file`: nothing is downloaded.
bash lab/toolchain/build.sh pulumi-kubernetes
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -p tsconfig.json

step "lab up"
bash lab/lab.sh up
kubectl="kubectl --kubeconfig .lab/kubeconfig"

step "stack lab: three nodes from .lab/hosts.json"
pulumi stack select lab --create --non-interactive >/dev/null
nodes_json() { # nodes_json N: the first N lab hosts as stack `nodes`
  node -e '
    const hosts = JSON.parse(require("fs").readFileSync(".lab/hosts.json", "utf8")).slice(0, Number(process.argv[1]));
    const nodes = hosts.map((h) => ({ name: h.name, host: h.address, hostKey: h.hostKey, labels: { tier: "web" } }));
    const set = (k, v) => [`kubeadm-workers:${k}`, { value: JSON.stringify(v), objectValue: v, secret: false }];
    process.stdout.write(JSON.stringify(Object.fromEntries([set("nodes", nodes)])));' "$1"
}
# What the lab publishes for stacks (.lab/cluster.json): its endpoint, apt repositories, registry mirror,
# and the label of its Kubernetes plugin build.
pulumi config set-all --json "$(node -e '
  const lab = JSON.parse(require("fs").readFileSync(".lab/cluster.json", "utf8"));
  const plain = (v) => (typeof v === "object" ? { value: JSON.stringify(v), objectValue: v, secret: false } : { value: String(v), secret: false });
  const config = {
    apiServerEndpoint: lab.apiServerEndpoint,
    packages: lab.packages,
    containerd: lab.containerd,
    kubeadm: lab.kubeadm,
    kubernetesPluginVersion: lab.kubernetesPluginVersion,   // the plugin build.sh pulumi-kubernetes installed
    drain: { timeoutSeconds: 120 },
  };
  process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => ["kubeadm-workers:" + k, plain(v)]))));')"
pulumi config set --secret sshPrivateKey <.lab/ssh/id_ed25519
pulumi config set --secret kubeconfig <.lab/kubeconfig
pulumi config set-all --json "$(nodes_json 3)"

test_app=$(node -p 'require("./.lab/cluster.json").images.testApp')   # built by the lab, served by its registry
pulumi config set-all --json "$(node -e '
  const v = { image: process.argv[1], replicas: 6 };
  process.stdout.write(JSON.stringify({ "kubeadm-workers:demoWorkload": { value: JSON.stringify(v), objectValue: v, secret: false } }));' "$test_app")"

outputs=$(mktemp)
trap 'rm -f "$outputs"' EXIT
step "pulumi preview --diff (what the pull request shows)"
pulumi preview --diff --non-interactive

step "pulumi up: scale out to three workers, and the workload (Deployment + PodDisruptionBudget) on them"
pulumi up --yes --skip-preview --non-interactive | tee -a "$outputs"
$kubectl get nodes -o wide
$kubectl -n demo get pods -o wide

leaving=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(".lab/hosts.json","utf8"))[2].name)')
step "remove $leaving from config: preview (with the scale-in report), then up (drain, remove, reset)"
pulumi config set-all --json "$(nodes_json 2)"
pulumi preview --diff --non-interactive
pulumi up --yes --skip-preview --non-interactive | tee -a "$outputs"
$kubectl get nodes
$kubectl -n demo get pods -o wide

step "what the demo did"
node dist/lab/demo-summary.js $(node -e 'console.log(JSON.parse(require("fs").readFileSync(".lab/hosts.json","utf8")).slice(0, 3).map((h) => h.name).join(" "))') <"$outputs"

if $keep; then
  step "kept: the stack lab and the lab stay up (pulumi destroy; npm run lab -- down)"
  exit 0
fi
step "clean up: destroy the stack, take the lab down"
pulumi destroy --yes --skip-preview --non-interactive
pulumi stack rm lab --yes --non-interactive
bash lab/lab.sh down
