#!/usr/bin/env bash
# Starts the lab registry (distribution, plain HTTP on $LAB_BRIDGE_IP:5000 only, storage in
# $LAB_DIR/registry/data) unless it runs already, pushes the lab's images into it, applies the CNI
# DaemonSet and writes $LAB_DIR/cluster.json. Needs the lab bridge and the control plane up.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"

[[ -x "$REGISTRY_DIR/bin/registry" && -d "$LAB_IMAGES_DIR/images" ]] ||
  { echo "registry: $REGISTRY_DIR or $LAB_IMAGES_DIR is missing; build them with: bash lab/toolchain/build.sh registry lab-images" >&2; exit 1; }

ip -4 addr show 2>/dev/null | grep -q "inet $LAB_BRIDGE_IP/" ||
  { echo "registry: no interface has $LAB_BRIDGE_IP; bring the lab hosts up first (npm run lab -- up)" >&2; exit 1; }

mkdir -p "$REG_DIR/data"
if pid=$(registry_pid); then
  registry_log "already running (pid $pid) at http://$REGISTRY_ADDR"
else
  cat >"$REG_DIR/config.yml" <<YAML
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  secret: $(head -c 24 /dev/urandom | base64)
YAML
  echo "--- $(date -u +%FT%TZ) starting $REGISTRY_DIR/bin/registry serve $REG_DIR/config.yml" >>"$REG_LOG"
  # Its own session (a Ctrl-C of the caller does not reach it); no OpenTelemetry exporter to dial.
  OTEL_TRACES_EXPORTER=none setsid "$REGISTRY_DIR/bin/registry" serve "$REG_DIR/config.yml" \
    >>"$REG_LOG" 2>&1 </dev/null 9>&- 8>&- &
  echo $! >"$REG_PID_FILE"
  await_exec "$(<"$REG_PID_FILE")" registry
  deadline=$(( $(date +%s) + 30 ))
  until curl -fs --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; do
    if ! registry_pid >/dev/null; then
      echo "registry: exited while starting; last lines of $REG_LOG:" >&2; tail -n 20 "$REG_LOG" >&2; exit 1
    fi
    if (( $(date +%s) >= deadline )); then
      echo "registry: http://$REGISTRY_ADDR/v2/ did not answer within 30s; last lines of $REG_LOG:" >&2
      tail -n 20 "$REG_LOG" >&2; exit 1
    fi
    sleep 0.2
  done
  registry_log "started (pid $(<"$REG_PID_FILE")) at http://$REGISTRY_ADDR, log $REG_LOG"
fi

bash "$here/images.sh"
bash "$here/cni.sh"
bash "$here/cluster-json.sh"
