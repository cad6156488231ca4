package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

const (
	// kwok manages exactly the Nodes carrying this annotation (control plane runs it with
	// --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake).
	kwokAnnotation = "kwok.x-k8s.io/node"
	// Set by the kubelet when the attach/detach controller manages volumes (its default).
	attachDetachAnnotation = "volumes.kubernetes.io/controller-managed-attach-detach"
)

// registerNode creates the Node like the kubelet's initialNode + registerWithAPIServer: default
// labels, --node-labels, --register-with-taints, and a status describing this machine. An existing
// Node of that name is kept (the kubelet reconciles it); only the annotations it owns are patched.
func registerNode(ctx context.Context, o *options) error {
	client, err := nodeClient(o)
	if err != nil {
		return err
	}
	node := o.initialNode(ctx)
	return wait.ExponentialBackoffWithContext(ctx, wait.Backoff{Duration: 200 * time.Millisecond, Factor: 2, Cap: 7 * time.Second, Steps: 1 << 30},
		func(ctx context.Context) (bool, error) {
			_, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
			switch {
			case err == nil:
				klog.InfoS("Successfully registered node", "node", o.nodeName)
				return true, nil
			case apierrors.IsAlreadyExists(err):
				patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": node.Annotations}})
				if _, err := client.CoreV1().Nodes().Patch(ctx, o.nodeName, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
					klog.ErrorS(err, "Unable to reconcile the existing node", "node", o.nodeName)
					return false, nil
				}
				klog.InfoS("Node was previously registered", "node", o.nodeName)
				return true, nil
			default:
				klog.ErrorS(err, "Unable to register node with API server", "node", o.nodeName)
				return false, nil
			}
		})
}

func (o *options) initialNode(ctx context.Context) *v1.Node {
	labels := map[string]string{
		v1.LabelHostname:          o.hostname,
		v1.LabelOSStable:          runtime.GOOS,
		v1.LabelArchStable:        runtime.GOARCH,
		"beta.kubernetes.io/os":   runtime.GOOS,
		"beta.kubernetes.io/arch": runtime.GOARCH,
	}
	for k, v := range o.nodeLabels {
		labels[k] = v
	}
	node := &v1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        o.nodeName,
			Labels:      labels,
			Annotations: map[string]string{attachDetachAnnotation: "true", kwokAnnotation: "fake"},
		},
		Spec: v1.NodeSpec{Taints: o.registerWithTaints},
	}
	node.Status = o.nodeStatus(ctx)
	return node
}

// nodeStatus fills what the kubelet's status setters report about the machine. Conditions are left
// to kwok, whose node-initialize stage keeps every field already set here.
func (o *options) nodeStatus(ctx context.Context) v1.NodeStatus {
	capacity := v1.ResourceList{
		v1.ResourceCPU:    *resource.NewQuantity(int64(runtime.NumCPU()), resource.DecimalSI),
		v1.ResourceMemory: *resource.NewQuantity(memTotalBytes(), resource.BinarySI),
		v1.ResourcePods:   *resource.NewQuantity(int64(o.maxPods), resource.DecimalSI),
	}
	var fs syscall.Statfs_t
	if syscall.Statfs("/", &fs) == nil {
		capacity[v1.ResourceEphemeralStorage] = *resource.NewQuantity(int64(fs.Blocks)*fs.Bsize, resource.BinarySI)
	}
	allocatable := capacity.DeepCopy()
	// The kubelet's default hard eviction threshold memory.available<100Mi comes off allocatable.
	mem := allocatable[v1.ResourceMemory]
	mem.Sub(resource.MustParse("100Mi"))
	allocatable[v1.ResourceMemory] = mem

	var uts syscall.Utsname
	_ = syscall.Uname(&uts)
	status := v1.NodeStatus{
		Capacity:    capacity,
		Allocatable: allocatable,
		Addresses:   []v1.NodeAddress{{Type: v1.NodeHostName, Address: o.hostname}},
		NodeInfo: v1.NodeSystemInfo{
			MachineID:               readTrimmed("/etc/machine-id"),
			SystemUUID:              strings.ToLower(readTrimmed("/sys/class/dmi/id/product_uuid")),
			BootID:                  readTrimmed("/proc/sys/kernel/random/boot_id"),
			KernelVersion:           utsString(uts.Release[:]),
			OSImage:                 osImage(),
			ContainerRuntimeVersion: runtimeVersion(ctx, o.runtimeEndpoint),
			KubeletVersion:          version,
			OperatingSystem:         runtime.GOOS,
			Architecture:            runtime.GOARCH,
		},
		DaemonEndpoints: v1.NodeDaemonEndpoints{KubeletEndpoint: v1.DaemonEndpoint{Port: 10250}},
	}
	if ip := o.internalIP(); ip != "" {
		status.Addresses = append([]v1.NodeAddress{{Type: v1.NodeInternalIP, Address: ip}}, status.Addresses...)
	}
	return status
}

// internalIP is --node-ip, else the local address this machine uses to reach the API server (a UDP
// "dial" only picks a route; nothing is sent), which is what the host's bridge address is in the lab.
func (o *options) internalIP() string {
	if o.nodeIP != "" {
		return o.nodeIP
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return ""
	}
	u, err := url.Parse(cfg.Host)
	if err != nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	conn, err := net.Dial("udp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return ""
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).IP.String()
}

func memTotalBytes() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(s.Text(), "MemTotal: %d kB", &kb); n == 1 {
			return kb * 1024
		}
	}
	return 0
}

func osImage() string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

func readTrimmed(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func utsString(b []int8) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		out = append(out, byte(c))
	}
	return string(out)
}
