#!/usr/bin/env bash
# Usage: restart.sh COMPONENT [SECONDS_DOWN]. Kills one control-plane component the way a crash
# does (SIGKILL, by the PID up.sh recorded, never by name), keeps it down SECONDS_DOWN (default 0),
# then starts it again with its own script and waits until it is healthy. For fault tests: an API
# server or etcd that blips under a running `pulumi up`. etcd's data lives on (its tmpfs stays).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(dirname "${BASH_SOURCE[0]}")"
name="${1:-}" down="${2:-0}"
case "$name" in
  etcd) script=etcd.sh ;;
  kube-apiserver) script=apiserver.sh ;;
  kube-controller-manager) script=controller-manager.sh ;;
  kube-scheduler) script=scheduler.sh ;;
  *) echo "usage: restart.sh etcd|kube-apiserver|kube-controller-manager|kube-scheduler [SECONDS_DOWN]" >&2; exit 2 ;;
esac
[[ "$down" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "restart.sh: SECONDS_DOWN must be a number, got '$down'" >&2; exit 2; }
lock_control_plane
pid=$(pid_of "$name") || { echo "control-plane: $name is not running (no live PID in $PID_DIR/$name.pid): bring the lab up first" >&2; exit 1; }
kill -KILL "$pid"
# Gone or a zombie (its parent is PID 1, which reaps it in its own time).
while [[ -e /proc/$pid && "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]; do sleep 0.05; done
echo "--- $(date -u +%FT%TZ) killed (SIGKILL) by restart.sh, down for ${down}s" >>"$LOG_DIR/$name.log"
echo "control-plane: $name killed (pid $pid), down for ${down}s"
rm -f "$PID_DIR/$name.pid"
sleep "$down"
# The component script takes no lock of its own; fd 9 (ours) must not reach the new process.
bash "$here/$script" 9>&-
