#!/usr/bin/env bash
# Usage: host-net.sh INDEX. Gives host INDEX its network: netns kw-lab-host-INDEX, a veth whose
# machine end (kw-veth-INDEX) sits on the lab bridge and whose other end is eth0 in the netns with
# 10.213.0.(10+INDEX)/24, loopback up, default route via the bridge address. Idempotent.
# No NAT and the machine does not forward (net.ipv4.ip_forward=0), so packets reach lab addresses only.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
i="$1"; ns=$(host_netns "$i"); veth=$(host_veth "$i"); addr=$(host_address "$i")

if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
  ip link add "$LAB_BRIDGE" type bridge
  ip addr add "$LAB_GATEWAY/24" dev "$LAB_BRIDGE"
fi
ip link set "$LAB_BRIDGE" up

[[ -e /run/netns/$ns ]] || ip netns add "$ns"
if ! ip link show "$veth" >/dev/null 2>&1; then
  ip -n "$ns" link del eth0 2>/dev/null || true
  ip link add "$veth" type veth peer name eth0 netns "$ns"
fi
ip link set "$veth" master "$LAB_BRIDGE" up
ip -n "$ns" link set lo up
ip -n "$ns" addr replace "$addr/24" dev eth0
ip -n "$ns" link set eth0 up
ip -n "$ns" route replace default via "$LAB_GATEWAY"
