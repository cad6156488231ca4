# shellcheck shell=bash
# The Kubernetes resource plugin of @pulumi/kubernetes (the stack's leastPrivilege identity), built from
# Go modules and installed into the project's PULUMI_HOME with `pulumi plugin install --file`, so no
# step downloads a plugin. Sourced by lab/toolchain/build.sh; its cache key is the version below.
# The Go module proxy serves github.com/pulumi/pulumi-kubernetes/provider/v4 only at commit f47bc2d6
# (2026-01-15, between the v4.24.1 and v4.25.0 tags; lab/toolchain/pulumi-kubernetes/go.mod), so the
# binary carries a pre-release label naming that commit; stacks/kubernetes-plugin.ts asks for the same.
PULUMI_KUBERNETES_VERSION=4.25.0-alpha.1768448096+f47bc2d6
PULUMI_KUBERNETES_DIR="$KW_TOOLCHAIN/pulumi-kubernetes-$PULUMI_KUBERNETES_VERSION"

build_pulumi_kubernetes() {
  local out="$1" log="$KW_CACHE/logs/pulumi-kubernetes-$PULUMI_KUBERNETES_VERSION.log" module="$REPO_ROOT/lab/toolchain/pulumi-kubernetes"
  local pkg=github.com/pulumi/pulumi-kubernetes/provider/v4 src work
  : >"$log"
  mkdir -p "$out/bin"
  ( cd "$module" && run_logged "$log" "fetching the modules of $module/go.mod from the Go module proxy ($(go env GOPROXY))" go mod download ) || return 1
  # The command embeds schema-embed.json, which upstream's `go generate` writes from schema.json with
  # the version stamped in; the module ships only schema.json. So the command's package is built from
  # a copy beside the wrapper's go.mod/go.sum, after running its own generate.go there.
  src="$(cd "$module" && go list -m -f '{{.Dir}}' "$pkg")/cmd/pulumi-resource-kubernetes"
  work="$out/src"
  mkdir -p "$work"
  cp "$module/go.mod" "$module/go.sum" "$src/main.go" "$src/generate.go" "$src/schema.json" "$src/terraform-mapping.json" "$work/"
  chmod u+w "$work"/*
  ( cd "$work" && VERSION="$PULUMI_KUBERNETES_VERSION" run_logged "$log" "generating the embedded schema (generate.go)" go run generate.go ) || return 1
  ( cd "$work" && run_logged "$log" "building pulumi-resource-kubernetes" \
      go build -trimpath -ldflags "-s -w -X $pkg/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" -o "$out/bin/pulumi-resource-kubernetes" . ) || return 1
  rm -rf "$work"
  # The plugin has no --version: the CLI starts it as a plugin and asks for its schema, which carries
  # the version generate.go stamped (a throwaway PULUMI_HOME: nothing installed, nothing downloaded).
  [[ -x "$PULUMI_DIR/bin/pulumi" ]] || { echo "toolchain: pulumi-kubernetes needs the pulumi CLI to check the plugin: bash lab/toolchain/build.sh pulumi" >&2; return 1; }
  local home; home=$(mktemp -d)
  expect_output "pulumi package get-schema pulumi-resource-kubernetes" "\"version\": \"$PULUMI_KUBERNETES_VERSION\"" \
    env PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true "$PULUMI_DIR/bin/pulumi" package get-schema "$out/bin/pulumi-resource-kubernetes"
  local checked=$?
  rm -rf "$home"
  return $checked
}

# Every run (built or cached): the plugin installed into this checkout's PULUMI_HOME, where the
# toolchain's pulumi (lab/toolchain/env.sh) looks for plugins; a copy already there is kept.
install_pulumi_kubernetes() {
  local dir="$1" home="$REPO_ROOT/.pulumi/home" binary="$1/bin/pulumi-resource-kubernetes"
  local installed="$home/plugins/resource-kubernetes-v$PULUMI_KUBERNETES_VERSION/pulumi-resource-kubernetes"
  cmp -s "$binary" "$installed" && return 0
  [[ -x "$PULUMI_DIR/bin/pulumi" ]] || { echo "toolchain: pulumi-kubernetes needs the pulumi CLI to install the plugin: bash lab/toolchain/build.sh pulumi" >&2; return 1; }
  mkdir -p "$home"
  PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true run_logged "$KW_CACHE/logs/pulumi-kubernetes-$PULUMI_KUBERNETES_VERSION.log" \
    "pulumi plugin install resource kubernetes $PULUMI_KUBERNETES_VERSION --file $binary" \
    "$PULUMI_DIR/bin/pulumi" plugin install resource kubernetes "$PULUMI_KUBERNETES_VERSION" --file "$binary" || return 1
  cmp -s "$binary" "$installed" || { echo "toolchain: pulumi plugin install left no copy of $binary at $installed" >&2; return 1; }
}

on_demand_components+=("pulumi-kubernetes $PULUMI_KUBERNETES_VERSION $PULUMI_KUBERNETES_DIR build_pulumi_kubernetes install_pulumi_kubernetes")
