#!/usr/bin/env bash
# Makes the cluster look kubeadm-made, using kubeadm itself where it can work against a control
# plane it did not create:
#   upload-config kubeadm  -> kube-system/kubeadm-config (ClusterConfiguration) + RBAC for nodes
#   upload-config kubelet  -> kube-system/kubelet-config + RBAC for nodes and joining bootstrappers
#   bootstrap-token        -> RBAC for tokens of group system:bootstrappers:kubeadm:default-node-token
#                             (post CSRs, CSR auto-approval, get nodes), kube-public/cluster-info and
#                             the anonymous read access to it
# The bootstrap-token phase insists on creating a token; this one is deleted right away, so the only
# tokens in the lab are the ones tests and the provider mint.
# cluster-info is then rewritten with the address the hosts dial (controlPlaneEndpoint), since
# kubeadm copies the server from the --kubeconfig it uses (the admin one, which without a bridge is loopback).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kubeadm="$KUBERNETES_DIR/bin/kubeadm"
config="$CONF_DIR/kubeadm.yaml"
token_id=kwlab0
token="$token_id.$(openssl rand -hex 8)"

( umask 077; cat >"$config" <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: "$token"
  ttl: 10m
  description: "created by lab/control-plane/kubeadm-phases.sh and deleted right after"
localAPIEndpoint:
  # kubeadm refuses a loopback advertise address; without LAB_BRIDGE_IP it picks the default route's
  # address itself. These phases never write it anywhere.
  advertiseAddress: "$LAB_BRIDGE_IP"
  bindPort: $APISERVER_PORT
nodeRegistration:
  name: lab-control-plane
  criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: kubeadm-workers-lab
kubernetesVersion: v$KUBERNETES_VERSION
controlPlaneEndpoint: "$ENDPOINT_IP:$APISERVER_PORT"
certificatesDir: "$PKI_DIR"
networking:
  serviceSubnet: "$SERVICE_CIDR"
  podSubnet: "$POD_CIDR"
  dnsDomain: cluster.local
etcd:
  external:
    endpoints: ["http://127.0.0.1:$ETCD_CLIENT_PORT"]
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# Lab-only settings for this machine kind (README, "Stand-ins"); a cluster on ordinary machines keeps
# kubeadm's defaults. Lab hosts have no systemd, so the kubelet and containerd use cgroupfs (the
# provider configures containerd's runc from this field).
cgroupDriver: cgroupfs
# The machine's kernel mounts cgroup v1 only; kubelet 1.35+ refuses to start on it unless told.
failCgroupV1: false
# A host's disk is this machine's disk, shared with everything on it: the default thresholds, a share
# of its size (imagefs.available<15%), declare DiskPressure on a big disk that still has tens of
# gigabytes free, and the kubelet then evicts every pod and taints the node. Absolute floors instead.
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "2Gi"
  imagefs.available: "2Gi"
  nodefs.inodesFree: "5%"
# kubeadm defaults this to certificatesDir/ca.crt, which is the lab's own directory on the machine; on
# a worker, kubeadm join writes the cluster CA to /etc/kubernetes/pki/ca.crt, as in any kubeadm cluster.
authentication:
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
YAML
)

log="$LOG_DIR/kubeadm-phases.log"
mkdir -p "$LOG_DIR"
run_phase() {
  if ! "$kubeadm" init phase "$@" --config "$config" --kubeconfig "$ADMIN_KUBECONFIG" >>"$log" 2>&1; then
    echo "control-plane: kubeadm init phase $* failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}
run_phase upload-config kubeadm
run_phase upload-config kubelet
run_phase bootstrap-token --skip-token-print
kubectl_admin -n kube-system delete secret "bootstrap-token-$token_id" --ignore-not-found >/dev/null

ca_data=$(base64 -w0 <"$PKI_DIR/ca.crt")
cluster_info=$(cat <<YAML
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: $ca_data
    server: https://$ENDPOINT_IP:$APISERVER_PORT
  name: ""
contexts: null
current-context: ""
preferences: {}
users: null
YAML
)
kubectl_admin -n kube-public create configmap cluster-info --from-literal=kubeconfig="$cluster_info" \
  --dry-run=client -o yaml | kubectl_admin apply --server-side --force-conflicts -f - >/dev/null
echo "control-plane: kubeadm ConfigMaps and RBAC in place; cluster-info points at https://$ENDPOINT_IP:$APISERVER_PORT"
