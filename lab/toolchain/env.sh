#!/usr/bin/env bash
# Prints `export` lines for a shell that uses the project's toolchain:  eval "$(npm run --silent env)"
# Prints nothing else on stdout, so the output can always be eval'd; problems go to stderr.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

toolchain_dirs=("$NODE_DIR/bin" "$PULUMI_DIR/bin" "$KUBERNETES_DIR/bin")
toolchain_path=$(IFS=:; echo "${toolchain_dirs[*]}")
for dir in "${toolchain_dirs[@]}"; do
  [[ -d "$dir" ]] || echo "env: $dir is missing; build it with: bash lab/toolchain/build.sh" >&2
done

# `npm run` prepends node_modules/.bin and node-gyp-bin entries to PATH for its scripts; they are
# not the caller's, so they are dropped, as are our own entries and duplicates: evaluating the
# output twice gives the same PATH.
inherited_path=$(printf '%s' "$PATH" | tr ':' '\n' \
  | grep -vxF "${toolchain_dirs[@]/#/-e}" \
  | grep -vE '/node_modules/\.bin$|/node-gyp-bin$' \
  | awk 'NF && !seen[$0]++' | paste -sd:)

state_dir="$REPO_ROOT/.pulumi"
mkdir -p "$state_dir/home" "$state_dir/backend"

quote() { printf '%q' "$1"; }
echo "export PATH=$(quote "$toolchain_path:$inherited_path")"
echo "export PULUMI_HOME=$(quote "$state_dir/home")"
echo "export PULUMI_BACKEND_URL=$(quote "file://$state_dir/backend")"
# Lab stacks only: their state lives in the file backend above and holds nothing but lab secrets.
# Production stacks use a real secrets provider and never this passphrase.
echo "export PULUMI_CONFIG_PASSPHRASE=kubeadm-workers-lab"
echo "export PULUMI_SKIP_UPDATE_CHECK=true"
echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
echo "export KW_CACHE=$(quote "$KW_CACHE")"
