#!/usr/bin/env bash
# Starts kube-apiserver with kubeadm's security settings: client-cert + bootstrap-token auth
# (anonymous stays on: kubeadm discovery reads cluster-info anonymously), Node,RBAC authorization,
# NodeRestriction, service-account keys.
#
# Listening address: one, never every interface (anonymous requests are allowed, as kubeadm's
# discovery needs). With LAB_BRIDGE_IP set it binds LAB_BRIDGE_IP:6443 only: the hosts in their own
# network namespaces dial it there, and so does everything on this machine (the lab's kubeconfigs
# name it; a local address needs no route), so no other interface of the machine serves it. The
# bridge must exist first (lab.sh brings the hosts up before the control plane). It advertises
# LAB_BRIDGE_IP, the address in the `kubernetes` Service's endpoints. Without LAB_BRIDGE_IP it binds
# 127.0.0.1 only, and since the `kubernetes` Service's endpoints may not hold a loopback address, nor
# does anything in the lab run pods that would use them, the endpoint reconciler is off then
# (instead of failing every 10 s in the log).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bind=127.0.0.1 reconciler=none
if [[ -n "$LAB_BRIDGE_IP" ]]; then
  bind=$LAB_BRIDGE_IP reconciler=lease
  ip -o -4 addr show | grep -qF " $LAB_BRIDGE_IP/" ||
    { echo "control-plane: $LAB_BRIDGE_IP (LAB_BRIDGE_IP) is not an address of this machine: bring the lab bridge up first (bash lab/hosts/up.sh; npm run lab -- up does both)" >&2; exit 1; }
fi

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
wait_healthy kube-apiserver "https://$ENDPOINT_IP:$APISERVER_PORT/readyz" 90 --cacert "$PKI_DIR/ca.crt"
