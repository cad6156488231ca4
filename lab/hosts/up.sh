#!/usr/bin/env bash
# Usage: up.sh [--hosts N]   (default 3). Brings the lab hosts up: the cached Debian rootfs (built once),
# the lab SSH key, the bridge, the apt repositories and their server, hosts lab-host-1..N, then
# $LAB_DIR/hosts.json. Idempotent: what is running is left alone. Needs root.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
count=3
while (($#)); do
  case "$1" in
    --hosts) count="$2"; shift 2 ;;
    *) fail "unknown argument $1 (usage: up.sh [--hosts N])" ;;
  esac
done
[[ "$count" =~ ^[0-9]+$ ]] && ((count >= 1 && count <= 200)) || fail "--hosts must be 1..200"
((EUID == 0)) || fail "up.sh needs root (namespaces, mounts, bridge)"
grep -qw overlay /proc/filesystems || fail "the kernel has no overlayfs"

# What a fresh Debian machine lacks, installed from its own apt sources.
need ip iproute2
need unshare util-linux
need ssh-keygen openssh-client
need flock util-linux

mkdir -p "$LAB_DIR/hosts" "$LAB_DIR/ssh"
exec 9>"$LAB_DIR/.lock"
flock 9   # one up/down at a time per LAB_DIR
started=$(date +%s%N)

# Hosts route via the bridge address without NAT; they stay inside the lab only while the machine
# does not forward. We never change that setting (it is the machine's); we say when it is on.
[[ "$(cat /proc/sys/net/ipv4/ip_forward)" == 0 ]] ||
  log "WARNING: net.ipv4.ip_forward=1 on this machine: lab hosts' packets to non-lab addresses get forwarded"

# The hosts' disks keep what was installed on them. Disks of an older lab whose kubelet 1.36.3-1 package
# held the kubelet stand-in (same version as the real one, so apt would keep it) start afresh.
mode_file="$LAB_DIR/hosts/kubelet-mode"
if [[ -s "$mode_file" && "$(<"$mode_file")" != real ]]; then
  for dir in "$LAB_DIR"/hosts/lab-host-*; do
    [[ -d "$dir" ]] && pid_alive "$dir/init.pid" "$(host_netns "${dir##*-}")" &&
      fail "the hosts run the kubelet stand-in of an older lab: take the lab down first (npm run lab -- down)"
  done
  log "the hosts' disks hold the kubelet stand-in of an older lab: the hosts start from fresh disks"
  rm -rf "$LAB_DIR"/hosts/lab-host-*/{upper,work,containerd,sysctl}
fi
echo real >"$mode_file"

bash "$HOSTS_DIR/rootfs.sh"
[[ -s "$LAB_DIR/ssh/id_ed25519" ]] ||
  ssh-keygen -q -t ed25519 -N '' -C kubeadm-workers-lab -f "$LAB_DIR/ssh/id_ed25519"

for i in $(seq 1 "$count"); do bash "$HOSTS_DIR/host-net.sh" "$i"; done
bash "$HOSTS_DIR/apt-repo.sh"
for i in $(seq 1 "$count"); do bash "$HOSTS_DIR/host-start.sh" "$i" "$count"; done

# Every running host (more than N when an earlier up made more), once its sshd answers.
entries=()
for dir in $(ls -d "$LAB_DIR"/hosts/lab-host-* 2>/dev/null | sort -V); do
  i=${dir##*-}
  pid_alive "$dir/init.pid" "$(host_netns "$i")" || continue
  addr=$(host_address "$i")
  up=0
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/$addr/22") 2>/dev/null && { up=1; break; }; sleep 0.1; done
  ((up)) || fail "$(host_name "$i"): sshd does not answer on $addr:22; see $dir/console.log"
  key=$(awk '{print $1" "$2}' "$dir/upper/etc/ssh/ssh_host_ed25519_key.pub")
  entries+=("$(printf '{"name":"%s","address":"%s","port":22,"user":"root","hostKey":"%s"}' "$(host_name "$i")" "$addr" "$key")")
done
joined=$(printf ',\n  %s' "${entries[@]}")
printf '[\n  %s\n]\n' "${joined:4}" >"$LAB_DIR/hosts.json.tmp"
mv "$LAB_DIR/hosts.json.tmp" "$LAB_DIR/hosts.json"
log "${#entries[@]} host(s) up in $(( ($(date +%s%N) - started) / 1000000 )) ms; $LAB_DIR/hosts.json"
