#!/usr/bin/env bash
# Starts kube-scheduler, single instance (no leader election), health on loopback.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
conf="$CONF_DIR/scheduler.conf"
start kube-scheduler "$KUBERNETES_DIR/bin/kube-scheduler" \
  --kubeconfig="$conf" --authentication-kubeconfig="$conf" --authorization-kubeconfig="$conf" \
  --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false
wait_healthy kube-scheduler "https://127.0.0.1:$SCHEDULER_PORT/healthz" 60 -k
