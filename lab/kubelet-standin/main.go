// Command kubelet is the lab's kubelet stand-in (named in the README): the lab hosts cannot run pods, so
// this program does only what a joining kubelet shows to the control plane and to kubeadm, and
// does it the kubelet's way:
//   - the real TLS bootstrap (k8s.io/kubernetes/pkg/kubelet/certificate/bootstrap, the kubelet's own
//     code): bootstrap kubeconfig -> CSR kubernetes.io/kube-apiserver-client-kubelet -> approved and
//     signed by the controller manager -> kubelet.conf pointing at pki/kubelet-client-current.pem;
//   - registers its Node with its own credentials (so the Node authorizer and NodeRestriction apply),
//     with the labels, taints and status fields the kubelet would set;
//   - serves /healthz like the kubelet (kubeadm join waits on it);
//
// and then hands the Node to kwok (annotation kwok.x-k8s.io/node=fake), which plays conditions, the
// Lease heartbeat and the pod lifecycle.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/klog/v2"
)

// version is what `kubelet --version` prints; build.sh sets it from versions.sh.
var version = "v1.36.3"

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubelet:", err)
		os.Exit(2)
	}
	if opts.showVersion {
		fmt.Printf("Kubernetes %s\n", version)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, opts); err != nil {
		klog.ErrorS(err, "kubelet stand-in failed")
		klog.Flush()
		os.Exit(1)
	}
	klog.InfoS("kubelet stand-in stopped")
	klog.Flush()
}

func run(ctx context.Context, o *options) error {
	if err := o.loadConfigFile(); err != nil {
		return err
	}
	klog.InfoS("kubelet stand-in starting", "version", version, "node", o.nodeName)

	if err := tlsBootstrap(ctx, o); err != nil {
		return err
	}
	if err := registerNode(ctx, o); err != nil {
		return err
	}
	return serveHealthz(ctx, o.healthzAddress())
}
