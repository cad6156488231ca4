#!/usr/bin/env bash
# Stops the lab registry by its recorded PID (SIGTERM, SIGKILL after 10 s). Its storage stays, so the
# next up pushes nothing that is already there.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if pid=$(registry_pid); then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do registry_pid >/dev/null || break; sleep 0.1; done
  if registry_pid >/dev/null; then
    echo "registry: pid $pid ignored SIGTERM for 10s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  registry_log "stopped (pid $pid)"
fi
rm -f "$REG_PID_FILE" "$CLUSTER_JSON"
