#!/usr/bin/env bash
# Writes the kubeconfigs (certs embedded, server https://$ENDPOINT_IP:6443, the one address the API
# server listens on: the lab bridge's, else loopback): the cluster-admin one the
# tests and the lead use ($LAB_DIR/kubeconfig) and one per component. Idempotent: rewritten from the
# PKI each time, which is cheap and keeps them in step with it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$CONF_DIR"

# write FILE USER CERT_BASENAME
write() {
  local file="$1" user="$2" cert="$PKI_DIR/$3" k=("$KUBERNETES_DIR/bin/kubectl" config --kubeconfig "$1")
  rm -f "$file"
  ( umask 077
    "${k[@]}" set-cluster lab --server "https://$ENDPOINT_IP:$APISERVER_PORT" --certificate-authority "$PKI_DIR/ca.crt" --embed-certs >/dev/null
    "${k[@]}" set-credentials "$user" --client-certificate "$cert.crt" --client-key "$cert.key" --embed-certs >/dev/null
    "${k[@]}" set-context lab --cluster lab --user "$user" >/dev/null
    "${k[@]}" use-context lab >/dev/null )
}
write "$ADMIN_KUBECONFIG" kubernetes-admin admin
write "$CONF_DIR/controller-manager.conf" system:kube-controller-manager controller-manager
write "$CONF_DIR/scheduler.conf" system:kube-scheduler scheduler
write "$CONF_DIR/kwok.conf" kwok-controller kwok
