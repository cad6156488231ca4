package main

import (
	"context"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
	"k8s.io/klog/v2"
)

// runtimeVersion asks the CRI runtime (containerd in the lab hosts) for its version, as the kubelet
// does for status.nodeInfo.containerRuntimeVersion ("containerd://1.7.24"). The stand-in runs no
// pods, so a missing runtime is only logged; kwok then reports its own version in that field.
func runtimeVersion(ctx context.Context, endpoint string) string {
	if endpoint == "" {
		return ""
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "unix://" + endpoint
	}
	conn, err := grpc.NewClient(endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		klog.InfoS("Container runtime endpoint unusable", "endpoint", endpoint, "err", err)
		return ""
	}
	defer conn.Close()
	// containerd is started before the kubelet (unit ordering), so a few seconds of patience suffice.
	deadline := time.Now().Add(5 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		resp, err := runtimeapi.NewRuntimeServiceClient(conn).Version(cctx, &runtimeapi.VersionRequest{})
		cancel()
		if err == nil {
			return resp.RuntimeName + "://" + resp.RuntimeVersion
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			klog.InfoS("Container runtime did not answer; leaving containerRuntimeVersion to kwok", "endpoint", endpoint, "err", err)
			return ""
		}
		time.Sleep(500 * time.Millisecond)
	}
}
