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

# await_exec PID NAME: waits (up to 10 s) until the process we just started with `setsid BINARY &` runs
# BINARY, or has ended. Until setsid has exec'd it, /proc/PID/exe is bash's or setsid's, and the
# checks that know a component by its executable (pid_of, registry_pid) would call it dead: on a busy
# machine `up` then reported a component that was starting as "exited while starting".
await_exec() {
  local pid="$1" name="$2" exe state
  for _ in $(seq 1 100); do
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 0
    [[ "$(basename "${exe% (deleted)}")" == "$name" ]] && return 0
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) && [[ "$state" != Z ]] || return 0
    sleep 0.1
  done
}
