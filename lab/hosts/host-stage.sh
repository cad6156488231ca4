#!/usr/bin/env bash
# Runs as PID 1 of a fresh host: already inside the host's network namespace and new UTS, mount and
# PID namespaces (host-start.sh made them). Builds the host's filesystem view, then pivot_roots into it
# and execs tini, which reaps orphans and runs /usr/local/sbin/lab-init (sshd + enabled services).
# Every mount here lives in the host's private mount namespace: it vanishes with the host's last
# process, so nothing can leak into the machine's /proc/mounts.
# Usage (by host-start.sh only): host-stage.sh INDEX COUNT
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
i="$1"; count="$2"
HOST_NAME=$(host_name "$i"); HOST_DIR=$(host_dir "$i")
ETC_HOSTS=$(for j in $(seq 1 "$count"); do echo "$(host_address "$j") $(host_name "$j")"; done)

# Our PID as the machine sees it: /proc is still the machine's until we mount our own below.
read -r machine_pid _ </proc/self/stat
echo "$machine_pid" >"$HOST_DIR/init.pid.tmp" && mv "$HOST_DIR/init.pid.tmp" "$HOST_DIR/init.pid"

hostname "$HOST_NAME"
root="$HOST_DIR/merged"
mkdir -p "$HOST_DIR/upper" "$HOST_DIR/work" "$HOST_DIR/containerd" "$root"
mount -t overlay overlay -o "lowerdir=$ROOTFS_DIR,upperdir=$HOST_DIR/upper,workdir=$HOST_DIR/work" "$root"

mount -t proc -o nosuid,nodev,noexec proc "$root/proc"             # sees this PID namespace only
# Kernel-wide knobs stay read-only (a host's `sysctl kernel.*` must not retune the machine); net.* is
# per network namespace, so a host may set net.ipv4.ip_forward and the bridge-nf-call ones.
mount --bind "$root/proc/sys" "$root/proc/sys"
mount -o remount,bind,ro "$root/proc/sys"
mount --bind "$root/proc/sys/net" "$root/proc/sys/net"
mount -o remount,bind,rw "$root/proc/sys/net"                        # the bind copied the ro flag
# The kernel tunables a kubelet insists on (it writes them at start and fails when it cannot): a host
# shows the values the kubelet wants, read-only, without changing the machine's (which stay as they
# are for everyone else on it). Only the ones that differ are covered.
mkdir -p "$HOST_DIR/sysctl"
for tunable in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 \
               kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000; do
  key=${tunable%=*}; want=${tunable#*=}
  [[ -e "/proc/sys/$key" && "$(<"/proc/sys/$key")" != "$want" ]] || continue
  echo "$want" >"$HOST_DIR/sysctl/${key//\//.}"
  mount --bind -o ro "$HOST_DIR/sysctl/${key//\//.}" "$root/proc/sys/$key"
done
[[ -e "$root/proc/sysrq-trigger" ]] && mount --bind -o ro /dev/null "$root/proc/sysrq-trigger"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"         # this netns's interfaces; read-only
# containerd/runc/the kubelet need cgroups (rw): the machine's hierarchies mounted again from inside the
# host's cgroup namespace, so each shows the host's own subtree (host-start.sh made it) as its root.
mount -t tmpfs -o nosuid,nodev,noexec,mode=755 tmpfs "$root/sys/fs/cgroup"
while read -r mountpoint fstype options; do
  [[ "$mountpoint" == /sys/fs/cgroup ]] && continue   # a unified-only machine: mounted over the tmpfs
  mkdir -p "$root$mountpoint"
  mount -t "$fstype" -o "$options" cgroup "$root$mountpoint"
done < <(cgroup_mounts)
if cgroup_mounts | grep -q '^/sys/fs/cgroup '; then
  read -r _ fstype options < <(cgroup_mounts | grep '^/sys/fs/cgroup ')
  umount "$root/sys/fs/cgroup" && mount -t "$fstype" -o "$options" cgroup "$root/sys/fs/cgroup"
fi
for link in /sys/fs/cgroup/*; do [[ -L "$link" ]] && cp -P "$link" "$root/sys/fs/cgroup/"; done
mount -t tmpfs -o nosuid,mode=755 tmpfs "$root/dev"
for node in "null c 1 3" "zero c 1 5" "full c 1 7" "random c 1 8" "urandom c 1 9" "tty c 5 0" "kmsg c 1 11"; do
  set -- $node; mknod -m 666 "$root/dev/$1" "$2" "$3" "$4"
done
chmod 600 "$root/dev/kmsg"
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs "$root/run"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/tmp"
# containerd's overlayfs snapshotter cannot put an upper dir on overlayfs: give it a plain directory.
mkdir -p "$root/var/lib/containerd"
mount --bind "$HOST_DIR/containerd" "$root/var/lib/containerd"

# Identity, made once per host and kept in its upper layer.
[[ -s "$root/etc/machine-id" ]] || tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
[[ -s "$root/etc/ssh/ssh_host_ed25519_key" ]] || chroot "$root" ssh-keygen -A >/dev/null
echo "$HOST_NAME" >"$root/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n%s\n' "$ETC_HOSTS" >"$root/etc/hosts"
: >"$root/etc/resolv.conf"   # no DNS in the lab; addresses are literal or in /etc/hosts

# Refreshed at every start so a changed key, shim or repository reaches existing hosts.
install -d -m 700 "$root/root/.ssh"
install -m 600 "$LAB_DIR/ssh/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
install -D -m 755 "$HOSTS_DIR/guest/systemctl" "$root/usr/local/bin/systemctl"
# Also on dpkg's PATH for maintainer scripts (no systemd package in the rootfs owns /usr/bin/systemctl).
ln -sfn /usr/local/bin/systemctl "$root/usr/bin/systemctl"   # -e would follow it on the machine
# The unit logs as a systemd host gives them (`journalctl -u kubelet -n 30`), from the shim's log files.
install -D -m 755 "$HOSTS_DIR/guest/journalctl" "$root/usr/local/bin/journalctl"
install -D -m 755 "$HOSTS_DIR/guest/lab-init" "$root/usr/local/sbin/lab-init"
if [[ -s "$LAB_DIR/apt/repo/kw-lab.gpg" ]]; then
  # The lab repository stands in for the Debian mirror (hosts cannot reach the internet).
  install -m 644 "$LAB_DIR/apt/repo/kw-lab.gpg" "$root/usr/share/keyrings/kw-lab-debian.gpg"
  printf 'Types: deb\nURIs: http://%s:%s/debian/\nSuites: ./\nSigned-By: /usr/share/keyrings/kw-lab-debian.gpg\n' \
    "$LAB_GATEWAY" "$APT_PORT" >"$root/etc/apt/sources.list.d/debian.sources"
fi

cd "$root"
mkdir -p .oldroot
pivot_root . .oldroot
exec chroot . /bin/sh -c 'umount -l /.oldroot && rmdir /.oldroot && cd / && exec /usr/bin/tini -- /usr/local/sbin/lab-init'
