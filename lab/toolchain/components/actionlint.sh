# shellcheck shell=bash
# actionlint checks the GitHub workflow in .github/workflows inside `npm test` (integration tier).
# Sourced by lab/toolchain/build.sh; its cache key is the version below.
ACTIONLINT_VERSION=1.7.12   # github.com/rhysd/actionlint, through the wrapper lab/toolchain/actionlint/go.mod
ACTIONLINT_DIR="$KW_TOOLCHAIN/actionlint-$ACTIONLINT_VERSION"

build_actionlint() {
  local out="$1" log="$KW_CACHE/logs/actionlint-$ACTIONLINT_VERSION.log"
  : >"$log"
  mkdir -p "$out/bin"
  go_build_wrapper "$REPO_ROOT/lab/toolchain/actionlint" "$log" "$out/bin" "-s -w" "" github.com/rhysd/actionlint/cmd/actionlint || return 1
  expect_output "actionlint -version" "v$ACTIONLINT_VERSION" "$out/bin/actionlint" -version
}

extra_components+=("actionlint $ACTIONLINT_VERSION $ACTIONLINT_DIR build_actionlint")
