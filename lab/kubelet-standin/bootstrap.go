package main

import (
	"context"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/types"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubernetes/pkg/kubelet/certificate/bootstrap"
)

// tlsBootstrap runs the kubelet's own bootstrap code, exactly as the kubelet's run() does: when
// --kubeconfig is missing or its certificate expired, the key and CSR are made with the bootstrap
// credentials, and --kubeconfig is written pointing at <cert-dir>/kubelet-client-current.pem.
// A valid --kubeconfig is reused, so a restart (kubeadm deletes the bootstrap kubeconfig after the
// join) keeps working.
func tlsBootstrap(ctx context.Context, o *options) error {
	if o.kubeconfig == "" {
		return fmt.Errorf("--kubeconfig is required: this stand-in never runs standalone")
	}
	if o.bootstrapKubeconfig == "" {
		return nil
	}
	if err := os.MkdirAll(o.certDir, 0o700); err != nil {
		return fmt.Errorf("creating --cert-dir: %w", err)
	}
	if err := bootstrap.LoadClientCert(ctx, o.kubeconfig, o.bootstrapKubeconfig, o.certDir, types.NodeName(o.nodeName)); err != nil {
		return fmt.Errorf("TLS bootstrap with %s failed: %w", o.bootstrapKubeconfig, err)
	}
	return nil
}

// nodeClient builds the client the kubelet uses after the bootstrap: its own certificate, so the API
// server sees system:node:<name> in group system:nodes.
func nodeClient(o *options) (clientset.Interface, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("loading --kubeconfig %s: %w", o.kubeconfig, err)
	}
	cfg.UserAgent = "kubelet/" + version + " (lab stand-in)"
	return clientset.NewForConfig(cfg)
}
