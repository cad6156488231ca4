# shellcheck shell=bash
# The lab registry and the lab's images, as toolchain components. Sourced by lab/toolchain/build.sh
# (which calls the build functions and runs every entry of extra_components) and by lab/registry/*.sh
# (which only need the paths). Defines; never builds on its own.

REGISTRY_VERSION=3.1.2          # github.com/distribution/distribution/v3 (lab/registry/go.mod)
# Both live in this repository, so their cache keys carry a digest of the source: editing it builds
# anew, going back to an old revision reuses the old build.
REGISTRY_DIR="$KW_TOOLCHAIN/registry-$REGISTRY_VERSION-$(
  cd "$REPO_ROOT/lab/registry" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)"
LAB_IMAGES_DIGEST=$(cd "$REPO_ROOT/lab/images" &&
  { cat go.mod; find . -name '*.go' ! -name '*_test.go' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-12)
LAB_IMAGES_DIR="$KW_TOOLCHAIN/lab-images-$LAB_IMAGES_DIGEST"

build_registry() {
  local out="$1" log="$KW_CACHE/logs/registry-$REGISTRY_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/registry" "$log" "$out/bin" \
    "-s -w -X github.com/distribution/distribution/v3/version.version=v$REGISTRY_VERSION" "" . || return 1
  expect_output "registry --version" "v$REGISTRY_VERSION" "$out/bin/registry" --version
}

# The images: static binaries (CGO_ENABLED=0, set by build.sh) in one-layer OCI image layouts, pushed
# to the lab registry at `lab up` (lab/registry/images.sh).
build_lab_images() {
  local out="$1" log="$KW_CACHE/logs/lab-images.log" image user
  : >"$log"
  mkdir -p "$out/bin" "$out/images"
  go_build_wrapper "$REPO_ROOT/lab/images" "$log" "$out/bin" "-s -w" "" ./pause ./kw-testapp ./kw-cni ./kw-image || return 1
  for image in pause kw-testapp kw-cni; do
    case "$image" in
      pause) user=65535:65535 ;;    # as registry.k8s.io/pause
      kw-testapp) user=65532 ;;
      kw-cni) user= ;;              # root: it writes the host's /etc/cni/net.d
    esac
    run_logged "$log" "building the $image image" \
      "$out/bin/kw-image" build -binary "$out/bin/$image" -name "$image" -user "$user" -out "$out/images/$image" || return 1
  done
  grep '^kw-image: built' "$log"
}

extra_components+=(
  "registry $REGISTRY_VERSION $REGISTRY_DIR build_registry"
  "lab-images $LAB_IMAGES_DIGEST $LAB_IMAGES_DIR build_lab_images"
)
