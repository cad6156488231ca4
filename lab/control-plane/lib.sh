# Shared by the control-plane scripts: where things live, fixed ports, and process bookkeeping.
# Sourced, never run.
set -euo pipefail
# shellcheck source=../toolchain/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../toolchain/common.sh"

LAB_DIR="${LAB_DIR:-$REPO_ROOT/.lab}"
LAB_BRIDGE_IP="${LAB_BRIDGE_IP:-}"
CP_DIR="$LAB_DIR/control-plane"
PKI_DIR="$CP_DIR/pki"
PID_DIR="$CP_DIR/pids"
LOG_DIR="$CP_DIR/logs"
CONF_DIR="$CP_DIR/conf"
ETCD_DATA="$CP_DIR/etcd-data"        # a tmpfs mounted by up.sh: etcd state is disposable, fsync-free
ADMIN_KUBECONFIG="$LAB_DIR/kubeconfig"

# Fixed ports. Only the API server listens beyond loopback (hosts on the lab bridge dial it). The
# others sit in a high range, away from the Kubernetes defaults (2379/2380, 10257, 10259, 10248-10250)
# that the lab hosts' own kubelets and any local tooling may use.
# LAB_PORT_OFFSET (default 0) shifts them all: a second, unrelated control plane (another LAB_DIR,
# loopback only) runs beside the lab's, as a cluster with another CA for tests that need one.
port_offset="${LAB_PORT_OFFSET:-0}"
[[ "$port_offset" =~ ^[0-9]{1,2}$ ]] || { echo "control-plane: LAB_PORT_OFFSET=$port_offset is not a number from 0 to 99" >&2; exit 2; }
APISERVER_PORT=$((6443 + port_offset))
ETCD_CLIENT_PORT=$((23790 + port_offset))
ETCD_PEER_PORT=$((23800 + port_offset))
KCM_PORT=$((20257 + port_offset * 10))
SCHEDULER_PORT=$((20259 + port_offset * 10))
KWOK_PORT=$((20250 + port_offset * 10))
KWOK_REALISTIC_PORT=$((20251 + port_offset * 10))

SERVICE_CIDR=10.96.0.0/12
FIRST_SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.0/16              # per-node podCIDRs, allocated by the controller manager
KWOK_FALLBACK_CIDR=10.192.0.0/12    # pod IPs kwok hands out on Nodes without a podCIDR

# The address the hosts use; also what cluster-info and kubeadm's controlPlaneEndpoint carry.
ENDPOINT_IP="${LAB_BRIDGE_IP:-127.0.0.1}"

# Start order; down.sh walks it backwards.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwok-realistic)

kubectl_admin() { "$KUBERNETES_DIR/bin/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

# lock_control_plane: one up.sh/down.sh at a time per LAB_DIR (a test runner and a person may both
# call them); held on fd 9 until the script exits.
lock_control_plane() {
  mkdir -p "$CP_DIR"
  exec 9>"$CP_DIR/.lock"
  flock 9
}

# pid_of NAME: the recorded PID if that process is still the one we started (guards against PID reuse
# by checking its executable), else nothing.
pid_of() {
  local name="$1" pid exe
  [[ -f "$PID_DIR/$name.pid" ]] || return 1
  pid=$(<"$PID_DIR/$name.pid")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ "$(basename "${exe% (deleted)}")" == "$name" ]] || return 1
  echo "$pid"
}

# start NAME BINARY ARGS...: starts BINARY in its own session (a terminal's Ctrl-C or the caller's exit
# does not reach it), records its PID, appends to its log. Leaves a running NAME alone.
start() {
  local name="$1" pid; shift
  if pid=$(pid_of "$name"); then
    echo "control-plane: $name already running (pid $pid)"
    return 0
  fi
  [[ -x "$1" ]] || { echo "control-plane: $1 is missing; build it with: bash lab/toolchain/build.sh" >&2; return 1; }
  mkdir -p "$PID_DIR" "$LOG_DIR"
  echo "--- $(date -u +%FT%TZ) starting: $*" >>"$LOG_DIR/$name.log"
  # 9>&- : the component must not inherit up.sh's lock (see lock_control_plane).
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_DIR/$name.pid"
  await_exec "$pid" "$name"
  echo "control-plane: $name started (pid $pid), log $LOG_DIR/$name.log"
}

# wait_healthy NAME URL TIMEOUT [CURL_ARGS...]: polls URL until it answers "ok"-ish (HTTP 2xx), fails
# early if the process died, and on timeout names the component and its log.
wait_healthy() {
  local name="$1" url="$2" timeout="$3" deadline; shift 3
  deadline=$(( $(date +%s) + timeout ))
  until curl -fsS --max-time 2 "$@" "$url" >/dev/null 2>&1; do
    if ! pid_of "$name" >/dev/null; then
      echo "control-plane: $name exited while starting; last lines of $LOG_DIR/$name.log:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      echo "control-plane: $name not healthy at $url after ${timeout}s; last lines of $LOG_DIR/$name.log:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2
      return 1
    fi
    sleep 0.3
  done
  echo "control-plane: $name healthy ($url)"
}
