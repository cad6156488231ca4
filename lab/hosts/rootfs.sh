#!/usr/bin/env bash
# Builds the hosts' Debian root filesystem once per recipe with debootstrap, from the mirror this
# machine uses, into $ROOTFS_DIR (outside the checkout). Built in a temporary sibling and renamed at
# the end, so an interrupted build never leaves a half cache. Hosts never write to it: each host
# mounts it as the lower layer of its own overlay.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -d "$ROOTFS_DIR" ]] && exit 0
need debootstrap debootstrap
mkdir -p "$(dirname "$ROOTFS_DIR")" "$KW_CACHE/logs"
exec 8>"$ROOTFS_DIR.lock"
flock 8
[[ -d "$ROOTFS_DIR" ]] && exit 0     # built by a concurrent run while we waited

# What a kubeadm worker host needs before the provider touches it, and nothing it is meant to install
# (containerd, runc, kubelet's deps come from the lab apt repository). tini is the init of each host.
packages=openssh-server,iproute2,ca-certificates,gnupg,kmod,procps,iptables,apt-transport-https,curl,tini,iputils-ping,less

tmp="$ROOTFS_DIR.partial.$$"
log_file="$KW_CACHE/logs/rootfs-$ROOTFS_SUITE-$ROOTFS_RECIPE.log"
cleanup() {  # debootstrap mounts proc/sys inside the target; never leave them behind
  grep -F " $tmp/" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
rm -rf "$tmp"
mirror=$(machine_mirror)
started=$(date +%s)
log "building rootfs debian-$ROOTFS_SUITE-$ROOTFS_RECIPE from $mirror (log: $log_file)"
if ! debootstrap --variant=minbase --include="$packages" "$ROOTFS_SUITE" "$tmp" "$mirror" >"$log_file" 2>&1; then
  tail -n 20 "$log_file" >&2
  fail "debootstrap failed; see $log_file"
fi

# Per-host identity is created at each host's first start, never shared through the cache.
rm -f "$tmp"/etc/ssh/ssh_host_* "$tmp/etc/machine-id" "$tmp/var/lib/dbus/machine-id" "$tmp/etc/hostname"
# Root logs in by key only.
cat >"$tmp/etc/ssh/sshd_config.d/lab.conf" <<'CONF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
CONF
# The lab is offline: the Debian mirror is replaced by the lab repository (written at host start).
: >"$tmp/etc/apt/sources.list"
rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb

mv "$tmp" "$ROOTFS_DIR"
trap - EXIT
log "rootfs ready in $(( $(date +%s) - started ))s: $ROOTFS_DIR"
