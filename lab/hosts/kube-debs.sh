#!/usr/bin/env bash
# Usage: kube-debs.sh OUT_DIR. Builds kubeadm, kubectl and kubelet .deb packages (version
# $KUBE_VERSION-1) with dpkg-deb from the toolchain's binaries, shaped like the pkgs.k8s.io packages:
# kubelet ships kubelet.service and /etc/default/kubelet; kubeadm ships the kubelet.service.d/10-kubeadm.conf
# drop-in (upstream puts it in kubeadm, not kubelet). A missing binary skips its package with a warning.
# A package is rebuilt only when its binary or this recipe changed.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
out="$1"; mkdir -p "$out"
version="$KUBE_VERSION-1"
# Where the toolchain puts its binaries: asked of lab/toolchain/common.sh (the stand-in's directory
# carries a digest of its source), with the plain layout as fallback.
kube_dir="$KW_CACHE/toolchain/kubernetes-$KUBE_VERSION"; standin_dir="$KW_CACHE/toolchain/kubelet-standin-$KUBE_VERSION"
if dirs=$(KW_CACHE="$KW_CACHE" bash -c '. "$1/lab/toolchain/common.sh" && echo "$KUBERNETES_DIR" && echo "$KUBELET_STANDIN_DIR"' _ "$REPO_ROOT" 2>/dev/null); then
  { read -r kube_dir; read -r standin_dir; } <<<"$dirs"
fi
bin_kubeadm="$kube_dir/bin/kubeadm"
bin_kubectl="$kube_dir/bin/kubectl"
bin_kubelet="$standin_dir/bin/kubelet"

# package NAME BINARY DEPENDS DESCRIPTION [EXTRA_FN]: one .deb; EXTRA_FN ROOT adds files/scripts.
package() {
  local name="$1" bin="$2" depends="$3" description="$4" extra="${5:-}" deb root stamp
  deb="$out/${name}_${version}_amd64.deb"
  if [[ ! -x "$bin" ]]; then
    rm -f "$deb" "$out/.${name}.src"
    echo "lab: WARNING: $bin is missing; package $name skipped (build it: bash lab/toolchain/build.sh)" >&2
    return 0
  fi
  # Rebuilt when the binary or this recipe changed (path, size, mtime of both; cheap, no hashing).
  stamp="$(stat -L -c '%n %s %Y' "$bin" "${BASH_SOURCE[0]}")"
  [[ -f "$deb" && "$(cat "$out/.${name}.src" 2>/dev/null)" == "$stamp" ]] && return 0
  root=$(mktemp -d)
  install -D -m 755 "$bin" "$root/usr/bin/$name"
  [[ -n "$extra" ]] && "$extra" "$root"
  mkdir -p "$root/DEBIAN"
  {
    echo "Package: $name"
    echo "Version: $version"
    echo "Architecture: amd64"
    echo "Maintainer: kubeadm-workers lab <lab@kubeadm-workers.invalid>"
    [[ -n "$depends" ]] && echo "Depends: $depends"
    [[ "$name" == kubelet ]] && echo "Recommends: iptables (>= 1.8.4)"
    echo "Section: admin"
    echo "Priority: optional"
    echo "Homepage: https://kubernetes.io"
    echo "Description: $description"
    echo " Built by the kubeadm-workers lab from the project toolchain; not an upstream build."
  } >"$root/DEBIAN/control"
  # Uncompressed: these are big Go binaries served on a local bridge; compressing costs a minute.
  dpkg-deb --root-owner-group -Znone --build "$root" "$deb.tmp" >/dev/null
  mv "$deb.tmp" "$deb"
  echo "$stamp" >"$out/.${name}.src"
  rm -rf "$root"
  log "built $(basename "$deb")"
}

kubelet_files() {
  local root="$1"
  install -D -m 600 /dev/stdin "$root/usr/lib/systemd/system/kubelet.service" <<'UNIT'
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
  mkdir -p "$root/var/lib/kubelet" "$root/etc/kubernetes/manifests" "$root/DEBIAN"
  touch "$root/var/lib/kubelet/.kubelet-keep" "$root/etc/kubernetes/manifests/.kubelet-keep"
  echo /etc/default/kubelet >"$root/DEBIAN/conffiles"
  # Enabled at install like upstream's systemd macros; kubeadm join starts it.
  install -m 755 /dev/stdin "$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = configure ] && command -v deb-systemd-helper >/dev/null; then
  deb-systemd-helper enable kubelet.service >/dev/null || true
fi
SCRIPT
}

kubeadm_files() {
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

# Upstream (>= 1.32) kubelet also depends on kubernetes-cni (>= 1.2.0); the lab builds no CNI package.
package kubelet "$bin_kubelet" "mount, util-linux" "Node agent for Kubernetes clusters" kubelet_files
package kubectl "$bin_kubectl" "" "Command-line utility for interacting with a Kubernetes cluster"
package kubeadm "$bin_kubeadm" "" "Command-line utility for administering a Kubernetes cluster" kubeadm_files
