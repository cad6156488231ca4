#!/usr/bin/env bash
# Usage: kube-debs.sh OUT_DIR. Builds the packages of the lab's pkgs.k8s.io look-alike with dpkg-deb from
# the toolchain's binaries: kubeadm, kubelet, kubectl for the previous and the current patch release
# ($KUBE_PREVIOUS_VERSION-1 and $KUBE_VERSION-1, so a stack can join at one and upgrade to the other)
# kubernetes-cni and cri-tools. Shaped like upstream's: kubelet ships kubelet.service and
# /etc/default/kubelet and depends on kubernetes-cni; kubeadm ships the kubelet.service.d/10-kubeadm.conf
# drop-in (upstream puts it in kubeadm, not kubelet) and depends on cri-tools (crictl). A missing binary
# skips its package with a warning (deb-lib.sh).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$HOSTS_DIR/deb-lib.sh"
out="$1"; mkdir -p "$out"

# Where the toolchain puts its binaries, asked of lab/toolchain/common.sh (the one owner of that layout).
toolchain_dirs() {
  KW_CACHE="$KW_CACHE" bash -c '. "$1/lab/toolchain/common.sh" && printf "%s\n" "$KUBERNETES_DIR" "$KUBELET_DIR" \
    "$KUBERNETES_PREVIOUS_DIR" "$CNI_PLUGINS_DIR" "$CNI_PLUGINS_VERSION" && . "$1/lab/toolchain/components/cri-tools.sh" &&
    printf "%s\n" "$CRI_TOOLS_DIR" "$CRI_TOOLS_VERSION"' _ "$REPO_ROOT"
}
{ read -r kube_dir; read -r kubelet_dir; read -r previous_dir; read -r cni_dir; read -r cni_version; read -r cri_tools_dir; read -r cri_tools_version; } \
  < <(toolchain_dirs)

kubelet_files() {
  local root="$1"
  install -D -m 755 "$bin_dir/kubelet" "$root/usr/bin/kubelet"
  # Upstream's unit, as pkgs.k8s.io ships it.
  install -D -m 644 /dev/stdin "$root/usr/lib/systemd/system/kubelet.service" <<'UNIT'
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
  install -D -m 644 /dev/stdin "$root/etc/default/kubelet" <<<'KUBELET_EXTRA_ARGS='
  mkdir -p "$root/var/lib/kubelet" "$root/etc/kubernetes/manifests"
  touch "$root/var/lib/kubelet/.kubelet-keep" "$root/etc/kubernetes/manifests/.kubelet-keep"
  echo /etc/default/kubelet >"$root/DEBIAN/conffiles"
  # Enabled at install like upstream's systemd macros, not started: kubeadm join starts it.
  systemd_scripts "$root" kubelet.service
}

crictl_files() { install -D -m 755 "$cri_tools_dir/bin/crictl" "$1/usr/bin/crictl"; }

kubectl_files() { install -D -m 755 "$bin_dir/kubectl" "$1/usr/bin/kubectl"; }

kubeadm_files() {
  install -D -m 755 "$bin_dir/kubeadm" "$1/usr/bin/kubeadm"
  install -D -m 644 /dev/stdin "$1/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf" <<'UNIT'
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
UNIT
}

cni_plugins=(bridge host-local loopback portmap)
cni_files() {
  local plugin
  for plugin in "${cni_plugins[@]}"; do install -D -m 755 "$cni_dir/bin/$plugin" "$1/opt/cni/bin/$plugin"; done
}

# node_packages VERSION BIN_DIR KUBELET_BIN_DIR: kubeadm, kubelet, kubectl of one patch release.
node_packages() {
  local v="$1" kubelet_bin_dir="$3"
  bin_dir="$2"
  deb kubectl "$v-1" "$out" "Description: Command-line utility for interacting with a Kubernetes cluster" \
    kubectl_files "$bin_dir/kubectl"
  deb kubeadm "$v-1" "$out" "Depends: cri-tools (>= 1.30.0)
Description: Command-line utility for administering a Kubernetes cluster" kubeadm_files "$bin_dir/kubeadm"
  bin_dir="$kubelet_bin_dir"
  deb kubelet "$v-1" "$out" "Depends: iptables (>= 1.4.21), kubernetes-cni (>= 1.2.0), iproute2, socat, util-linux, mount, ethtool, conntrack
Recommends: iptables (>= 1.8.4)
Description: Node agent for Kubernetes clusters" kubelet_files "$bin_dir/kubelet"
}

deb kubernetes-cni "$cni_version-1" "$out" "Description: Binaries required to provision kubernetes container networking" \
  cni_files "${cni_plugins[@]/#/$cni_dir/bin/}"
deb cri-tools "$cri_tools_version-1" "$out" "Description: Command-line utility for interacting with a container runtime" \
  crictl_files "$cri_tools_dir/bin/crictl"
node_packages "$KUBE_PREVIOUS_VERSION" "$previous_dir/bin" "$previous_dir/bin"
node_packages "$KUBE_VERSION" "$kube_dir/bin" "$kubelet_dir/bin"
