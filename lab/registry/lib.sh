# shellcheck shell=bash
# Shared by the lab registry scripts: where things live and the registry's process bookkeeping.
# Sourced, never run.
set -euo pipefail
# shellcheck source=../toolchain/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../toolchain/common.sh"
# shellcheck source=../toolchain/components/registry.sh
. "$REPO_ROOT/lab/toolchain/components/registry.sh"

LAB_DIR="${LAB_DIR:-$REPO_ROOT/.lab}"
LAB_BRIDGE_IP="${LAB_BRIDGE_IP:-10.213.0.1}"
REG_DIR="$LAB_DIR/registry"
REG_PID_FILE="$REG_DIR/registry.pid"
REG_LOG="$REG_DIR/registry.log"
# Plain HTTP on the lab bridge only: hosts pull through it (containerd's hosts.toml names it http://),
# and nothing outside the machine's lab network can reach it.
REGISTRY_ADDR="$LAB_BRIDGE_IP:5000"
CLUSTER_JSON="$LAB_DIR/cluster.json"
ADMIN_KUBECONFIG="$LAB_DIR/kubeconfig"

registry_log() { echo "registry: $*"; }

# registry_pid: the recorded PID while that process is still a registry serving this lab's config
# (guards against PID reuse; a registry built from older source still counts, so down stops it), else
# nothing. A zombie counts as gone.
registry_pid() {
  local pid exe state
  [[ -s "$REG_PID_FILE" ]] || return 1
  pid=$(<"$REG_PID_FILE")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ "$(basename "${exe% (deleted)}")" == registry ]] || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *" serve $REG_DIR/config.yml"* ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) && [[ "$state" != Z ]] || return 1
  echo "$pid"
}

# The lab's image references. The pause image carries the tag kubeadm of the toolchain's version
# names (what a kubelet of that version expects); the lab's own images the digest of their source.
pause_ref() {
  local image
  image=$("$KUBERNETES_DIR/bin/kubeadm" config images list --kubernetes-version "v$KUBERNETES_VERSION" 2>/dev/null | grep '/pause:') ||
    { echo "registry: '$KUBERNETES_DIR/bin/kubeadm config images list' named no pause image" >&2; return 1; }
  echo "$REGISTRY_ADDR/pause:${image##*:}"
}
TESTAPP_REF="$REGISTRY_ADDR/kw-testapp:$LAB_IMAGES_DIGEST"
CNI_REF="$REGISTRY_ADDR/kw-cni:$LAB_IMAGES_DIGEST"
