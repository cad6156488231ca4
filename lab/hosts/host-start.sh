#!/usr/bin/env bash
# Usage: host-start.sh INDEX COUNT. Starts host INDEX unless it is running: enters its netns and
# creates new UTS, mount and PID namespaces with unshare, where host-stage.sh becomes PID 1.
# --kill-child ties the namespace's init to the unshare process and setsid detaches both from our
# terminal. The init's machine PID lands in HOST_DIR/init.pid (down.sh/status.sh use it).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
i="$1"; count="$2"; name=$(host_name "$i"); dir=$(host_dir "$i"); ns=$(host_netns "$i")

if pid_alive "$dir/init.pid" "$ns"; then
  exit 0
fi
mkdir -p "$dir"
rm -f "$dir/init.pid"

# The host's own cgroup tree (see LAB_CGROUP in common.sh): made in every hierarchy, this script moves
# itself in, and the host's cgroup namespace (unshare --cgroup) starts there. Recorded for down.sh.
: >"$dir/cgroups"
while read -r mountpoint fstype options; do
  parent="$mountpoint$(own_cgroup "$fstype" "$options")"; parent=${parent%/}
  for level in "$parent/$LAB_CGROUP" "$parent/$LAB_CGROUP/$name"; do
    mkdir -p "$level"
    # A new cpuset cgroup starts with no CPUs and no memory nodes, and takes no process until given some.
    for file in cpuset.cpus cpuset.mems; do
      [[ -e "$level/$file" && -z "$(<"$level/$file")" ]] && cat "${level%/*}/$file" >"$level/$file"
    done
  done
  echo "$parent/$LAB_CGROUP/$name" >>"$dir/cgroups"
  echo $$ >"$parent/$LAB_CGROUP/$name/cgroup.procs"
done < <(cgroup_mounts)

setsid nsenter --net="/run/netns/$ns" \
  unshare --uts --mount --pid --cgroup --fork --kill-child --propagation private \
  bash "$HOSTS_DIR/host-stage.sh" "$i" "$count" </dev/null >>"$dir/console.log" 2>&1 9>&- &
echo $! >"$dir/unshare.pid"
for _ in $(seq 1 100); do
  pid_alive "$dir/init.pid" "$ns" && exit 0
  kill -0 "$(<"$dir/unshare.pid")" 2>/dev/null || break
  sleep 0.1
done
tail -n 20 "$dir/console.log" >&2
fail "$name did not start; see $dir/console.log"
