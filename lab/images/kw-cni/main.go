// kw-cni is the lab's CNI DaemonSet: on its node it writes the bridge network config that containerd's
// CRI loads, then sleeps, as a cluster's CNI DaemonSet does. It calls no API: the node's pod subnet
// comes from its own address (HOST_IP, from status.hostIP through the downward API). On scale-in
// nothing is needed: the host is reset and its config goes with it.
//
// Environment: HOST_IP (required), POD_NETWORK (first two octets of the pod /16, default "10.244"),
// CNI_CONF_DIR (default /host/etc/cni/net.d, the host's /etc/cni/net.d mounted into the pod).
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// writeIfChanged replaces path atomically, and only when its content differs (a restart changes nothing).
func writeIfChanged(path string, content []byte) (bool, error) {
	if current, err := os.ReadFile(path); err == nil && bytes.Equal(current, content) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, path)
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	subnet, err := PodSubnet(os.Getenv("HOST_IP"), envOr("POD_NETWORK", "10.244"))
	if err != nil {
		log.Fatalf("kw-cni: %v", err)
	}
	conflist, err := Conflist(subnet)
	if err != nil {
		log.Fatalf("kw-cni: %v", err)
	}
	path := filepath.Join(envOr("CNI_CONF_DIR", "/host/etc/cni/net.d"), ConflistName)
	changed, err := writeIfChanged(path, conflist)
	if err != nil {
		log.Fatalf("kw-cni: writing %s: %v", path, err)
	}
	verb := "unchanged"
	if changed {
		verb = "written"
	}
	log.Printf("kw-cni: %s %s (pod subnet %s)", verb, path, subnet)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	fmt.Fprintf(os.Stderr, "kw-cni: stopping on %s; the config stays for the node's pods\n", <-signals)
}
