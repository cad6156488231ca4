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
KUBERNETES_DIR="$KW_TOOLCHAIN/kubernetes-$KUBERNETES_VERSION"
ETCD_DIR="$KW_TOOLCHAIN/etcd-$ETCD_VERSION"
KWOK_DIR="$KW_TOOLCHAIN/kwok-$KWOK_VERSION"
# The real kubelet is built from the same wrapper module as the other Kubernetes binaries (one Go build cache).
KUBELET_DIR="$KW_TOOLCHAIN/kubelet-$KUBERNETES_VERSION"
KUBERNETES_PREVIOUS_DIR="$KW_TOOLCHAIN/kubernetes-node-$KUBERNETES_PREVIOUS_VERSION"
CONTAINERD_DIR="$KW_TOOLCHAIN/containerd-$CONTAINERD_VERSION"
RUNC_DIR="$KW_TOOLCHAIN/runc-$RUNC_VERSION"
CNI_PLUGINS_DIR="$KW_TOOLCHAIN/cni-plugins-$CNI_PLUGINS_VERSION"
