#!/usr/bin/env bash
# `registry running (pid N) at http://ADDR` when it answers /v2/; exit 1 otherwise.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if pid=$(registry_pid) && curl -fsS --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; then
  echo "registry running (pid $pid) at http://$REGISTRY_ADDR"
else
  echo "registry stopped"
  exit 1
fi
