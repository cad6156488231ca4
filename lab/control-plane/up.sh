#!/usr/bin/env bash
# Brings the lab control plane up, in dependency order, each step waiting for the previous one's
# health endpoint: PKI -> kubeconfigs -> etcd -> kube-apiserver -> kubeadm ConfigMaps/RBAC ->
# controller manager, scheduler -> kwok, kwok-realistic. Idempotent: running components are left alone.
# Env: LAB_DIR (default <repo>/.lab), LAB_BRIDGE_IP (optional; the address hosts dial).
# Outputs: $LAB_DIR/kubeconfig (cluster-admin, https://$ENDPOINT_IP:6443: the bridge address, else loopback), $LAB_DIR/control-plane/pki/ca.crt.
here="$(dirname "${BASH_SOURCE[0]}")"
. "$here/lib.sh"
started=$(date +%s)
lock_control_plane
mkdir -p "$CP_DIR" "$PID_DIR" "$LOG_DIR" "$CONF_DIR"
for bin in "$ETCD_DIR/bin/etcd" "$KUBERNETES_DIR/bin/kube-apiserver" "$KWOK_DIR/bin/kwok"; do
  [[ -x "$bin" ]] || { echo "control-plane: $bin is missing; build it with: bash lab/toolchain/build.sh" >&2; exit 1; }
done

bash "$here/pki.sh"
bash "$here/kubeconfigs.sh"
bash "$here/etcd.sh"
bash "$here/apiserver.sh"
# Cheap to re-check; skipped when an earlier up.sh already did it against this etcd.
if ! kubectl_admin -n kube-system get configmap kubeadm-config >/dev/null 2>&1 ||
   ! kubectl_admin -n kube-public get configmap cluster-info -o jsonpath='{.data.kubeconfig}' 2>/dev/null | grep -q "server: https://$ENDPOINT_IP:$APISERVER_PORT$"; then
  bash "$here/kubeadm-phases.sh"
fi
bash "$here/controller-manager.sh"
bash "$here/scheduler.sh"
bash "$here/kwok.sh"
bash "$here/kwok-realistic.sh"
echo "control-plane: up in $(( $(date +%s) - started ))s; kubeconfig $ADMIN_KUBECONFIG, CA $PKI_DIR/ca.crt, endpoint https://$ENDPOINT_IP:$APISERVER_PORT"
