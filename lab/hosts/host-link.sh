#!/usr/bin/env bash
# Usage: host-link.sh NAME offline|online. Takes a lab host off the network, or puts it back: its
# veth's machine end goes down (or up). Offline, the host answers nothing at its address (SSH, the
# kubelet's port) and reaches nothing (its kubelet loses the API server), as a powered-off or
# unplugged machine; its processes and disk stay, so `online` brings the same host back.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
((EUID == 0)) || fail "host-link.sh needs root"
name="${1:-}" state="${2:-}"
[[ "$name" =~ ^lab-host-([0-9]+)$ ]] || fail "usage: host-link.sh lab-host-N offline|online"
i="${BASH_REMATCH[1]}"; veth=$(host_veth "$i")
ip link show "$veth" >/dev/null 2>&1 || fail "$name has no link $veth: is the lab up with that host?"
case "$state" in
  offline) ip link set "$veth" down ;;
  online) ip link set "$veth" up ;;
  *) fail "usage: host-link.sh $name offline|online" ;;
esac
log "$name is $state ($veth $( [[ $state == offline ]] && echo down || echo up ))"
