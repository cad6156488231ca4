# shellcheck shell=bash
# crictl, the CRI client kubeadm's preflight looks for and an operator uses on a node: pkgs.k8s.io ships
# it as cri-tools, which kubeadm depends on; the lab's apt repository does the same (lab/hosts/kube-debs.sh).
# Sourced by lab/toolchain/build.sh; its cache key is the version below.
CRI_TOOLS_VERSION=1.37.0   # sigs.k8s.io/cri-tools, through the wrapper lab/toolchain/cri-tools/go.mod (1.36 is not served here)
CRI_TOOLS_DIR="$KW_TOOLCHAIN/cri-tools-$CRI_TOOLS_VERSION"

build_cri_tools() {
  local out="$1" log="$KW_CACHE/logs/cri-tools-$CRI_TOOLS_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/cri-tools" "$log" "$out/bin" \
    "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=v$CRI_TOOLS_VERSION" "" sigs.k8s.io/cri-tools/cmd/crictl || return 1
  expect_output "crictl --version" "v$CRI_TOOLS_VERSION" "$out/bin/crictl" --version
}

extra_components+=("cri-tools $CRI_TOOLS_VERSION $CRI_TOOLS_DIR build_cri_tools")
