#!/usr/bin/env bash
# Starts kube-apiserver with kubeadm's security settings: client-cert + bootstrap-token auth
# (anonymous stays on: kubeadm discovery reads cluster-info anonymously), Node,RBAC authorization,
# NodeRestriction, service-account keys.
#
# Listening address: with LAB_BRIDGE_IP set it binds 0.0.0.0:6443, because hosts in their own
# network namespaces dial LAB_BRIDGE_IP:6443 while the tests' kubeconfig dials 127.0.0.1:6443, and the
# bridge may appear after the API server starts (binding the bridge address alone would fail then).
# It advertises LAB_BRIDGE_IP, the address in the `kubernetes` Service's endpoints. Without
# LAB_BRIDGE_IP nothing off the machine needs it: it binds 127.0.0.1 only, and since the `kubernetes`
# Service's endpoints may not hold a loopback address, nor does anything in the lab run pods that
# would use them, the endpoint reconciler is off then (instead of failing every 10 s in the log).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bind=127.0.0.1 reconciler=none
[[ -n "$LAB_BRIDGE_IP" ]] && bind=0.0.0.0 reconciler=lease

# A running API server is kept, but it must listen where this call needs it.
if pid=$(pid_of kube-apiserver); then
  started_bind=$(cat "$CP_DIR/apiserver-bind" 2>/dev/null || echo unknown)
  if [[ "$started_bind" != "$bind" ]]; then
    echo "control-plane: kube-apiserver (pid $pid) listens on $started_bind, this call needs $bind (LAB_BRIDGE_IP='$LAB_BRIDGE_IP'); run down.sh, then up.sh" >&2
    exit 1
  fi
elif ss -Hltn "sport = :$APISERVER_PORT" | grep -q .; then
  echo "control-plane: port $APISERVER_PORT is taken by another program:" >&2
  ss -Hltnp "sport = :$APISERVER_PORT" >&2
  exit 1
fi
echo "$bind" >"$CP_DIR/apiserver-bind"

start kube-apiserver "$KUBERNETES_DIR/bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address="$bind" --secure-port="$APISERVER_PORT" --advertise-address="$ENDPOINT_IP" \
  --endpoint-reconciler-type="$reconciler" \
  --tls-cert-file="$PKI_DIR/apiserver.crt" --tls-private-key-file="$PKI_DIR/apiserver.key" \
  --client-ca-file="$PKI_DIR/ca.crt" \
  --kubelet-client-certificate="$PKI_DIR/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI_DIR/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --enable-bootstrap-token-auth=true \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI_DIR/sa.pub" --service-account-signing-key-file="$PKI_DIR/sa.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" --allow-privileged=true
wait_healthy kube-apiserver "https://127.0.0.1:$APISERVER_PORT/readyz" 90 --cacert "$PKI_DIR/ca.crt"
