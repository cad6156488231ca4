#!/usr/bin/env bash
# Starts kube-controller-manager as kubeadm configures it: every default controller plus the
# bootstrap signer (signs cluster-info for each token) and token cleaner (deletes expired tokens),
# CSR signing with the cluster CA and CSR approval (csrapproving is a default controller), one
# service account per controller, node CIDR allocation. Single instance: no leader election.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
conf="$CONF_DIR/controller-manager.conf"
start kube-controller-manager "$KUBERNETES_DIR/bin/kube-controller-manager" \
  --kubeconfig="$conf" --authentication-kubeconfig="$conf" --authorization-kubeconfig="$conf" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
  --controllers='*,bootstrapsigner,tokencleaner' --use-service-account-credentials=true \
  --client-ca-file="$PKI_DIR/ca.crt" --root-ca-file="$PKI_DIR/ca.crt" \
  --service-account-private-key-file="$PKI_DIR/sa.key" \
  --cluster-signing-cert-file="$PKI_DIR/ca.crt" --cluster-signing-key-file="$PKI_DIR/ca.key" \
  --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --service-cluster-ip-range="$SERVICE_CIDR" \
  --leader-elect=false
wait_healthy kube-controller-manager "https://127.0.0.1:$KCM_PORT/healthz" 60 -k
