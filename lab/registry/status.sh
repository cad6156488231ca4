#!/usr/bin/env bash
# `registry running (pid N) at http://ADDR` when it answers /v2/; `registry stopped` when down left no
# PID behind; `registry dead` (exit 1) when its recorded process is gone or does not answer.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ ! -f "$REG_PID_FILE" ]]; then
  echo "registry stopped"
elif pid=$(registry_pid) && curl -fsS --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; then
  echo "registry running (pid $pid) at http://$REGISTRY_ADDR"
else
  echo "registry dead (pid $(<"$REG_PID_FILE") does not answer at http://$REGISTRY_ADDR/v2/); log $REG_LOG"
  exit 1
fi
