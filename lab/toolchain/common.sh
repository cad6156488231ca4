# Shared by the toolchain scripts: where things live. Sourced, never run.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=versions.sh
. "$REPO_ROOT/lab/toolchain/versions.sh"
# The cache lives outside the checkout so a fresh clone (and CI) reuses it; override with KW_CACHE.
KW_CACHE="${KW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-workers}"
KW_TOOLCHAIN="$KW_CACHE/toolchain"
NODE_DIR="$KW_TOOLCHAIN/node-$NODE_VERSION"
PULUMI_DIR="$KW_TOOLCHAIN/pulumi-$PULUMI_VERSION"
