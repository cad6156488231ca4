package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
)

// ConflistName is what kw-cni writes in /etc/cni/net.d. containerd's CRI loads the first config of
// that directory in name order; the loopback interface it sets up itself (with the loopback plugin
// from /opt/cni/bin), so the list only holds the pod network.
const ConflistName = "10-kw-bridge.conflist"

// PodSubnet derives a node's pod subnet from its own address, without any API call: the last octet of
// the node's IPv4 address picks the /24 inside podNetwork16 ("10.244" for 10.244.0.0/16), so lab host
// 10.213.0.12 gets 10.244.12.0/24. Every node of one /24 thus gets a subnet of its own.
func PodSubnet(hostIP, podNetwork16 string) (netip.Prefix, error) {
	addr, err := netip.ParseAddr(strings.TrimSpace(hostIP))
	if err != nil || !addr.Is4() {
		return netip.Prefix{}, fmt.Errorf("host IP %q is not an IPv4 address (set HOST_IP from status.hostIP)", hostIP)
	}
	base, err := netip.ParsePrefix(podNetwork16 + ".0.0/16")
	if err != nil || !base.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("pod network %q must be the first two octets of a /16, e.g. 10.244", podNetwork16)
	}
	octet := addr.As4()[3]
	if octet == 0 || octet == 255 {
		return netip.Prefix{}, fmt.Errorf("host IP %s ends in %d: no pod subnet is derived from a network or broadcast address", addr, octet)
	}
	b := base.Addr().As4()
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{b[0], b[1], octet, 0}), 24), nil
}

// Conflist renders the CNI network list for one node: a bridge with host-local IPAM on the node's
// subnet, masquerading traffic that leaves the pod network (the lab has no routes to pod subnets), and
// portmap for hostPort.
func Conflist(subnet netip.Prefix) ([]byte, error) {
	if !subnet.Addr().Is4() || subnet.Bits() != 24 || subnet.Masked() != subnet {
		return nil, fmt.Errorf("pod subnet %s must be an IPv4 /24 network", subnet)
	}
	list := map[string]any{
		"cniVersion": "1.0.0",
		"name":       "kw-bridge",
		"plugins": []any{
			map[string]any{
				"type":        "bridge",
				"bridge":      "cni0",
				"isGateway":   true,
				"ipMasq":      true,
				"hairpinMode": true,
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": [][]map[string]string{{{"subnet": subnet.String()}}},
					"routes": []map[string]string{{"dst": "0.0.0.0/0"}},
				},
			},
			map[string]any{
				"type":         "portmap",
				"capabilities": map[string]bool{"portMappings": true},
			},
		},
	}
	out, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
