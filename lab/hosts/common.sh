# shellcheck shell=bash disable=SC2034
# Shared by the lab host scripts: names, addresses and paths. Sourced, never run.
set -euo pipefail
HOSTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HOSTS_DIR/../.." && pwd)"
# Same cache as lab/toolchain: outside the checkout, shared by clones and CI runs.
KW_CACHE="${KW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-workers}"
# Everything of a running lab (state, keys, logs) lives here; gitignored.
LAB_DIR="${LAB_DIR:-$REPO_ROOT/.lab}"

# Bumping ROOTFS_RECIPE is the only way to move the rootfs cache key (see rootfs.sh).
ROOTFS_SUITE=bookworm
ROOTFS_RECIPE=r1
ROOTFS_DIR="$KW_CACHE/rootfs/debian-$ROOTFS_SUITE-$ROOTFS_RECIPE"

# A private /24 used by nothing but the lab; the machine does not forward it anywhere.
LAB_BRIDGE=kw-br0
LAB_NET_PREFIX=10.213.0
LAB_GATEWAY=$LAB_NET_PREFIX.1
APT_PORT=8080
# The Kubernetes version the toolchain builds (lab/toolchain/versions.sh owns it).
KUBE_VERSION=$( . "$REPO_ROOT/lab/toolchain/versions.sh" 2>/dev/null && echo "${KUBERNETES_VERSION:-}" || true)
KUBE_VERSION=${KUBE_VERSION:-1.36.3}
KUBE_MINOR=${KUBE_VERSION%.*}
# The previous patch release the lab also serves (kubeadm, kubelet, kubectl), for in-place upgrades.
KUBE_PREVIOUS_VERSION=$( . "$REPO_ROOT/lab/toolchain/versions.sh" 2>/dev/null && echo "${KUBERNETES_PREVIOUS_VERSION:-}" || true)
# The hosts run the real kubelet (with containerd 2 from the lab's containerd.io package); the kubelet
# stand-in that once held the kubelet package is gone.
[[ "${LAB_KUBELET:-real}" == real ]] ||
  { echo "lab: LAB_KUBELET=$LAB_KUBELET: the kubelet stand-in is gone, the hosts run the real kubelet (unset LAB_KUBELET)" >&2; exit 2; }

host_name()    { echo "lab-host-$1"; }
host_address() { echo "$LAB_NET_PREFIX.$((10 + $1))"; }
host_netns()   { echo "kw-$(host_name "$1")"; }
host_veth()    { echo "kw-veth-$1"; }          # machine side; interface names max 15 chars
host_dir()     { echo "$LAB_DIR/hosts/$(host_name "$1")"; }

log()  { echo "lab: $*" >&2; }
fail() { echo "lab: $*" >&2; exit 1; }

# pid_alive PIDFILE NETNS: true when the PID in PIDFILE is alive AND lives in netns NETNS,
# so a recycled PID of an unrelated process never counts as our host.
pid_alive() {
  local pid
  [[ -s "$1" ]] || return 1
  pid=$(<"$1")
  [[ -e /proc/$pid/ns/net && -e /run/netns/$2 ]] || return 1
  [[ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" == "$(stat -L -c %i "/run/netns/$2")" ]]
}

# need CMD PACKAGE...: installs the Debian packages when CMD is missing (fresh machine).
need() {
  local cmd="$1"; shift
  export DEBIAN_FRONTEND=noninteractive
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* (for $cmd)"
  if [[ ! -e "$KW_CACHE/.apt-updated" ]] || ! apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    mkdir -p "$KW_CACHE"; touch "$KW_CACHE/.apt-updated"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null
  fi
}

# The Debian mirror this machine uses (deb822 or one-line sources), for debootstrap.
machine_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n "$uri" ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | grep -v security | grep -E "debian/? " | awk '{for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Each host has its own cgroup tree, as a machine of its own would: a subtree LAB_CGROUP/<host> of every
# hierarchy, below the cgroup of whoever started the lab, entered through a cgroup namespace (the host
# sees its subtree as the root). Without it the hosts' kubelets would share one kubepods tree, and
# each would remove the others' pod cgroups as orphans, killing their containers.
LAB_CGROUP=kubeadm-workers-lab

# cgroup_mounts: "MOUNTPOINT FSTYPE OPTIONS" of every cgroup hierarchy the machine mounts under /sys/fs/cgroup.
cgroup_mounts() { awk '($3 == "cgroup" || $3 == "cgroup2") && $2 ~ "^/sys/fs/cgroup" {print $2, $3, $4}' /proc/self/mounts; }

# own_cgroup FSTYPE OPTIONS: this process's cgroup in the hierarchy mounted with those options
# (the line of /proc/self/cgroup whose controller list matches the mount's controllers).
own_cgroup() {
  local key=""
  [[ "$1" == cgroup ]] && key=$(tr , '\n' <<<"$2" | grep -E \
    '^(cpu|cpuacct|cpuset|memory|devices|freezer|net_cls|net_prio|blkio|perf_event|hugetlb|pids|rdma|misc|name=.+)$' | paste -sd,)
  awk -F: -v k="$key" '$2 == k {print $3; exit}' /proc/self/cgroup
}
