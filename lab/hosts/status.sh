#!/usr/bin/env bash
# Usage: status.sh. One line per lab host listed in $LAB_DIR/hosts.json (the hosts the last up.sh
# brought up): `name running|dead|stopped`; exits 1 when one is dead or there is none. Running: the
# host's init (PID in its init.pid) is alive in the host's netns; stopped: down.sh removed its
# init.pid; dead: it has an init.pid but that process is gone (the same words as control-plane/status.sh).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rc=0 seen=0
for name in $(sed -n 's/.*"name":"\(lab-host-[0-9]*\)".*/\1/p' "$LAB_DIR/hosts.json" 2>/dev/null); do
  i=${name##*-}; seen=1
  if pid_alive "$(host_dir "$i")/init.pid" "$(host_netns "$i")"; then echo "$name running"
  elif [[ ! -e "$(host_dir "$i")/init.pid" ]]; then echo "$name stopped"
  else echo "$name dead"; rc=1; fi
done
((seen)) || { echo "lab: no hosts in $LAB_DIR/hosts.json (run: bash lab/hosts/up.sh)" >&2; rc=1; }
exit "$rc"
