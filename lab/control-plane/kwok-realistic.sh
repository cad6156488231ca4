#!/usr/bin/env bash
# Starts a second kwok, "kwok-realistic", for the Nodes annotated kwok.x-k8s.io/node=realistic (the
# benchmarks' nodes): the same Node stages as the lab's kwok, but pods take time like on a kubelet —
# the delays of kwok's own "general" pod stages:
#   start-up:    Pending -> Running and Ready after a delay uniform in [1 s, 5 s];
#   termination: a deleted pod stays (Terminating) for a delay uniform in [1 s, its deletionTimestamp],
#                i.e. at most the grace period the delete or eviction gave it, never longer.
# The tests' Nodes (kwok.x-k8s.io/node=fake) stay with the instant stages of kwok.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$CONF_DIR" "$CP_DIR/bin"
config="$CONF_DIR/kwok-realistic.yaml"
# pid_of knows a component by its executable's name: a link named after the component.
ln -f "$KWOK_DIR/bin/kwok" "$CP_DIR/bin/kwok-realistic" 2>/dev/null || cp -f "$KWOK_DIR/bin/kwok" "$CP_DIR/bin/kwok-realistic"
# with_delay FILE DELAY_YAML: the stage with `delay:` inserted before its `next:`.
with_delay() { awk -v delay="$2" '/^  next:/ { printf "%s", delay } { print }' "$1"; }
{
  for stage in node-initialize node-heartbeat-with-lease pod-complete; do echo "---"; cat "$KWOK_DIR/stages/$stage.yaml"; done
  echo "---"
  with_delay "$KWOK_DIR/stages/pod-ready.yaml" $'  delay:\n    durationMilliseconds: 1000\n    jitterDurationMilliseconds: 5000\n'
  echo "---"
  with_delay "$KWOK_DIR/stages/pod-delete.yaml" $'  delay:\n    durationMilliseconds: 1000\n    jitterDurationFrom:\n      expressionFrom: \'.metadata.deletionTimestamp\'\n'
} >"$config"
start kwok-realistic "$CP_DIR/bin/kwok-realistic" \
  --kubeconfig="$CONF_DIR/kwok.conf" --config="$config" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=realistic \
  --cidr="$KWOK_FALLBACK_CIDR" --server-address="127.0.0.1:$KWOK_REALISTIC_PORT" \
  --node-lease-duration-seconds=40
wait_healthy kwok-realistic "http://127.0.0.1:$KWOK_REALISTIC_PORT/healthz" 60
