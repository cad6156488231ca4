#!/usr/bin/env bash
# Stops the control plane: only the PIDs up.sh recorded, newest component first, SIGTERM then
# SIGKILL after a grace period; then unmounts the tmpfs etcd.sh mounted (the cluster state goes with
# it). PKI, kubeconfigs and logs stay, so the next up.sh reuses the CA the hosts may already trust.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
grace="${LAB_STOP_GRACE_SECONDS:-15}"
lock_control_plane

# alive PID: true while PID runs. A process that exited stays a zombie until PID 1 reaps it (up.sh's
# children are orphans by design); that counts as gone.
alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ "$state" != Z ]]; }

stop() {
  local name="$1" pid deadline
  if pid=$(pid_of "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$(( $(date +%s) + grace ))
    while alive "$pid" && (( $(date +%s) < deadline )); do sleep 0.1; done
    if alive "$pid"; then
      echo "control-plane: $name (pid $pid) ignored SIGTERM for ${grace}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
    echo "control-plane: $name stopped (pid $pid)"
  fi
  rm -f "$PID_DIR/$name.pid"
}

for (( i=${#COMPONENTS[@]}-1; i>=0; i-- )); do stop "${COMPONENTS[i]}"; done

if [[ -f "$CP_DIR/tmpfs-mounts" ]]; then
  while read -r mnt; do
    if mountpoint -q "$mnt"; then umount "$mnt" && echo "control-plane: unmounted $mnt"; fi
  done <"$CP_DIR/tmpfs-mounts"
  rm -f "$CP_DIR/tmpfs-mounts"
fi
rm -f "$CP_DIR/apiserver-bind"
