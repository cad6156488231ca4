#!/usr/bin/env bash
# Usage: down.sh [--wipe]. Stops the lab hosts and the apt server, removes the netns, veths and the
# bridge, then checks that no mount, netns or link of ours is left. Hosts keep their disks (upper
# layers, SSH host keys) for the next up unless --wipe removes them.
# Only processes we recorded are signalled: each host's init (killing a PID namespace's init kills
# everything in it, and with it the host's private mount namespace and all its mounts).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
wipe=0; [[ "${1:-}" == --wipe ]] && wipe=1
((EUID == 0)) || fail "down.sh needs root"
mkdir -p "$LAB_DIR"
exec 9>"$LAB_DIR/.lock"
flock 9
started=$(date +%s%N)

pids=()
for dir in "$LAB_DIR"/hosts/lab-host-*; do
  [[ -d "$dir" ]] || continue
  i=${dir##*-}
  if pid_alive "$dir/init.pid" "$(host_netns "$i")"; then
    pid=$(<"$dir/init.pid"); kill -KILL "$pid"; pids+=("$pid")
  fi
  rm -f "$dir/init.pid" "$dir/unshare.pid"
done
# Hosts whose init.pid is gone (LAB_DIR removed under a running lab): every process in one of our
# netns is a host process, so those are killed by netns membership, never by name.
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^kw-lab-host-' || true); do
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null && pids+=("$pid"); done
done
pidfile="$LAB_DIR/apt/http.pid"
if [[ -s "$pidfile" ]] && grep -qa http.server "/proc/$(<"$pidfile")/cmdline" 2>/dev/null; then
  pids+=("$(<"$pidfile")"); kill -TERM "$(<"$pidfile")"
fi
rm -f "$pidfile"
for pid in "${pids[@]}"; do
  # Gone or a zombie (the machine's PID 1 may be slow to reap what our setsid'd server left it).
  for _ in $(seq 1 50); do
    [[ -e /proc/$pid ]] && [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || break
    sleep 0.1
  done
done

# The hosts' cgroup trees, with what their kubelets and runc left in them (kubepods/..., which outlive
# their processes): removed depth-first once the last process of the host is gone.
cgroups_left=()
for dir in "$LAB_DIR"/hosts/lab-host-*; do
  [[ -s "$dir/cgroups" ]] || continue
  while read -r cg; do
    [[ "$cg" == */"$LAB_CGROUP"/lab-host-* && -d "$cg" ]] || continue
    for _ in $(seq 1 50); do
      find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
      [[ -d "$cg" ]] || break
      sleep 0.1
    done
    [[ -d "$cg" ]] && cgroups_left+=("$cg")
    rmdir "${cg%/*}" 2>/dev/null || true   # LAB_CGROUP itself, once no host is left in it
  done <"$dir/cgroups"
  ((${#cgroups_left[@]})) || rm -f "$dir/cgroups"
done

for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^kw-lab-host-'); do ip netns del "$ns"; done
for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^kw-veth-'); do
  ip link del "$link" 2>/dev/null || true
done
ip link del "$LAB_BRIDGE" 2>/dev/null || true
GNUPGHOME="$LAB_DIR/apt/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true
((wipe)) && rm -rf "$LAB_DIR/hosts" "$LAB_DIR/hosts.json"

# The kernel dismantles a deleted namespace (and the veth ends in it) in the background, later on a
# busy machine: what is left is judged after it had up to 10 s to finish.
for _ in $(seq 1 100); do
  left=$( { grep -F -e "kw-" -e "$LAB_DIR/hosts" /proc/mounts; ip netns list | grep '^kw-'; ip -o link show | grep -E ': kw-'
            printf '%s\n' "${cgroups_left[@]}"; } 2>/dev/null || true)
  [[ -z "$left" ]] && break
  sleep 0.1
done
[[ -z "$left" ]] || fail "down left these behind:"$'\n'"$left"
log "down in $(( ($(date +%s%N) - started) / 1000000 )) ms"
