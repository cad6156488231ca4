#!/usr/bin/env bash
# Starts kwok, which plays the kubelet for the Nodes annotated kwok.x-k8s.io/node=fake only (fake
# Nodes the tests create; the lab hosts' Nodes belong to their real kubelets): Node conditions and
# Lease heartbeat, pods Running/Ready, Job pods Succeeded, deleted pods gone. kwok v0.8 has no
# built-in behaviour: the stages copied by the toolchain build are concatenated into its --config.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$CONF_DIR"
config="$CONF_DIR/kwok.yaml"
# No KwokConfiguration document on purpose: kwok v0.8 skips its defaults for one read from --config
# ("node leases parallelism must be greater than 0"); flags set what the lab needs.
for stage in "$KWOK_DIR"/stages/*.yaml; do echo "---"; cat "$stage"; done >"$config"
start kwok "$KWOK_DIR/bin/kwok" \
  --kubeconfig="$CONF_DIR/kwok.conf" --config="$config" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr="$KWOK_FALLBACK_CIDR" --server-address="127.0.0.1:$KWOK_PORT" \
  --node-lease-duration-seconds=40
wait_healthy kwok "http://127.0.0.1:$KWOK_PORT/healthz" 60
