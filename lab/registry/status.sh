#!/usr/bin/env bash
# One line, as control-plane/status.sh prints its components: "registry running|dead|stopped pid=N".
# dead (exit 1) = up.sh started it and it is gone or does not answer /v2/; stopped = down.sh stopped it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ ! -f "$REG_PID_FILE" ]]; then
  echo "registry stopped pid=-"
elif pid=$(registry_pid) && curl -fsS --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; then
  echo "registry running pid=$pid http://$REGISTRY_ADDR"
else
  echo "registry dead pid=$(<"$REG_PID_FILE") (no answer at http://$REGISTRY_ADDR/v2/; log $REG_LOG)"
  exit 1
fi
