package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	v1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
	kubeletconfig "k8s.io/kubelet/config/v1beta1"
	"sigs.k8s.io/yaml"
)

// options holds the kubelet flags that matter here. Everything else kubeadm's drop-in,
// kubeadm-flags.env or /etc/default/kubelet may pass is accepted and ignored, so the same unit files
// that start a real kubelet start this one.
type options struct {
	showVersion         bool
	bootstrapKubeconfig string
	kubeconfig          string
	configFile          string
	certDir             string
	runtimeEndpoint     string
	nodeIP              string
	hostnameOverride    string
	nodeLabels          map[string]string
	registerWithTaints  []v1.Taint
	healthzBindAddress  string
	healthzPort         int32
	maxPods             int32
	nodeName            string
	hostname            string
}

func parseFlags(args []string) (*options, error) {
	o := &options{nodeLabels: map[string]string{}}
	fs := pflag.NewFlagSet("kubelet", pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	var labels, taints string
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	fs.StringVar(&o.bootstrapKubeconfig, "bootstrap-kubeconfig", "", "kubeconfig used to request a client certificate")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig written after the TLS bootstrap and used afterwards")
	fs.StringVar(&o.configFile, "config", "", "KubeletConfiguration file (healthz address/port, maxPods, registerWithTaints, containerRuntimeEndpoint)")
	fs.StringVar(&o.certDir, "cert-dir", "/var/lib/kubelet/pki", "where the client certificate is stored")
	fs.StringVar(&o.runtimeEndpoint, "container-runtime-endpoint", "", "CRI endpoint, asked for the runtime version")
	fs.StringVar(&o.nodeIP, "node-ip", "", "the Node's InternalIP")
	fs.StringVar(&o.hostnameOverride, "hostname-override", "", "Node name instead of the hostname")
	fs.StringVar(&labels, "node-labels", "", "labels to register the Node with (key=value,...)")
	fs.StringVar(&taints, "register-with-taints", "", "taints to register the Node with (key=value:Effect,...)")
	fs.String("pod-infra-container-image", "", "accepted for compatibility; unused")
	// klog's flags (-v, --logtostderr, ...) are real here.
	klogFlags := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(klogFlags)
	fs.AddGoFlagSet(klogFlags)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if o.nodeLabels, err = parseLabels(labels); err != nil {
		return nil, err
	}
	if o.registerWithTaints, err = parseTaints(taints); err != nil {
		return nil, err
	}
	// The kubelet's own rule (pkg/util/node.GetHostname): the override or the hostname, lower-cased.
	o.hostname = o.hostnameOverride
	if o.hostname == "" {
		if o.hostname, err = os.Hostname(); err != nil {
			return nil, fmt.Errorf("reading the hostname: %w", err)
		}
	}
	o.hostname = strings.ToLower(strings.TrimSpace(o.hostname))
	o.nodeName = o.hostname
	if o.nodeIP != "" && net.ParseIP(o.nodeIP) == nil {
		return nil, fmt.Errorf("--node-ip %q is not an IP address", o.nodeIP)
	}
	return o, nil
}

// loadConfigFile reads the fields this stand-in honours from the KubeletConfiguration kubeadm writes
// (/var/lib/kubelet/config.yaml); flags given on the command line win, as with the kubelet.
func (o *options) loadConfigFile() error {
	o.healthzBindAddress, o.healthzPort, o.maxPods = "127.0.0.1", 10248, 110
	if o.configFile == "" {
		return nil
	}
	data, err := os.ReadFile(o.configFile)
	if err != nil {
		return fmt.Errorf("reading --config: %w", err)
	}
	var c kubeletconfig.KubeletConfiguration
	if err := yaml.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("parsing --config %s: %w", o.configFile, err)
	}
	if c.HealthzBindAddress != "" {
		o.healthzBindAddress = c.HealthzBindAddress
	}
	if c.HealthzPort != nil {
		o.healthzPort = *c.HealthzPort
	}
	if c.MaxPods > 0 {
		o.maxPods = c.MaxPods
	}
	if o.runtimeEndpoint == "" {
		o.runtimeEndpoint = c.ContainerRuntimeEndpoint
	}
	if len(o.registerWithTaints) == 0 {
		o.registerWithTaints = c.RegisterWithTaints
	}
	return nil
}

func (o *options) healthzAddress() string {
	if o.healthzPort <= 0 {
		return ""
	}
	return net.JoinHostPort(o.healthzBindAddress, strconv.Itoa(int(o.healthzPort)))
}

func parseLabels(s string) (map[string]string, error) {
	labels := map[string]string{}
	for _, kv := range splitList(s) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--node-labels: %q is not key=value", kv)
		}
		labels[k] = v
	}
	return labels, nil
}

// parseTaints accepts the kubelet's syntax: key[=value]:Effect, comma separated.
func parseTaints(s string) ([]v1.Taint, error) {
	var taints []v1.Taint
	for _, spec := range splitList(s) {
		kv, effect, ok := strings.Cut(spec, ":")
		e := v1.TaintEffect(effect)
		if !ok || (e != v1.TaintEffectNoSchedule && e != v1.TaintEffectPreferNoSchedule && e != v1.TaintEffectNoExecute) {
			return nil, fmt.Errorf("--register-with-taints: %q is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute", spec)
		}
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, fmt.Errorf("--register-with-taints: %q has an empty key", spec)
		}
		taints = append(taints, v1.Taint{Key: k, Value: v, Effect: e})
	}
	return taints, nil
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
