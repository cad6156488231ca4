package main

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
)

func TestPodSubnet(t *testing.T) {
	cases := []struct {
		hostIP, network, want, wantErr string
	}{
		{hostIP: "10.213.0.11", network: "10.244", want: "10.244.11.0/24"},
		{hostIP: "10.213.0.13", network: "10.244", want: "10.244.13.0/24"},
		{hostIP: " 10.213.0.254\n", network: "10.244", want: "10.244.254.0/24"},
		{hostIP: "192.168.7.1", network: "10.85", want: "10.85.1.0/24"},
		{hostIP: "", network: "10.244", wantErr: "not an IPv4 address"},
		{hostIP: "fd00::11", network: "10.244", wantErr: "not an IPv4 address"},
		{hostIP: "10.213.0.0", network: "10.244", wantErr: "network or broadcast"},
		{hostIP: "10.213.0.255", network: "10.244", wantErr: "network or broadcast"},
		{hostIP: "10.213.0.11", network: "10.244.0", wantErr: "first two octets"},
		{hostIP: "10.213.0.11", network: "", wantErr: "first two octets"},
	}
	for _, c := range cases {
		got, err := PodSubnet(c.hostIP, c.network)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("PodSubnet(%q, %q) = %v, %v; want error containing %q", c.hostIP, c.network, got, err, c.wantErr)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("PodSubnet(%q, %q) = %v, %v; want %s", c.hostIP, c.network, got, err, c.want)
		}
	}
}

func TestConflist(t *testing.T) {
	out, err := Conflist(netip.MustParsePrefix("10.244.12.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		CNIVersion string `json:"cniVersion"`
		Name       string `json:"name"`
		Plugins    []struct {
			Type         string          `json:"type"`
			Bridge       string          `json:"bridge"`
			IsGateway    bool            `json:"isGateway"`
			IPMasq       bool            `json:"ipMasq"`
			Capabilities map[string]bool `json:"capabilities"`
			IPAM         struct {
				Type   string                `json:"type"`
				Ranges [][]map[string]string `json:"ranges"`
			} `json:"ipam"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("conflist is not JSON: %v\n%s", err, out)
	}
	if list.CNIVersion != "1.0.0" || list.Name != "kw-bridge" || len(list.Plugins) != 2 {
		t.Fatalf("unexpected list header or plugin count:\n%s", out)
	}
	bridge, portmap := list.Plugins[0], list.Plugins[1]
	if bridge.Type != "bridge" || bridge.Bridge != "cni0" || !bridge.IsGateway || !bridge.IPMasq {
		t.Errorf("bridge plugin: %+v", bridge)
	}
	if bridge.IPAM.Type != "host-local" || bridge.IPAM.Ranges[0][0]["subnet"] != "10.244.12.0/24" {
		t.Errorf("ipam: %+v", bridge.IPAM)
	}
	if portmap.Type != "portmap" || !portmap.Capabilities["portMappings"] {
		t.Errorf("portmap plugin: %+v", portmap)
	}
}

func TestConflistRefusesAnythingButAnIPv4Slash24(t *testing.T) {
	for _, bad := range []string{"10.244.0.0/16", "10.244.12.1/24", "fd00::/64"} {
		if _, err := Conflist(netip.MustParsePrefix(bad)); err == nil {
			t.Errorf("Conflist(%s) succeeded; want a refusal", bad)
		}
	}
}
