// The Kubernetes resource plugin the toolchain builds from Go modules and installs with
// `pulumi plugin install --file` (lab/toolchain/components/pulumi-kubernetes.sh). The Go module proxy
// serves pulumi-kubernetes' provider only at commit f47bc2d6 (2026-01-15), between the v4.24.1 and
// v4.25.0 tags, so the binary is labelled as what it is: a 4.25.0 pre-release naming that commit. The
// @pulumi/kubernetes SDK (4.25.0, the release cut from the same line a day later) would ask the engine
// for plugin 4.25.0, which this binary is not; every resource therefore goes through an explicit
// Provider that names this version.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export const kubernetesPluginVersion = "4.25.0-alpha.1768448096+f47bc2d6";

/**
 * The stack's own (admin) kubeconfig as a Kubernetes provider of the plugin above: one per program,
 * shared by everything the stack makes with @pulumi/kubernetes (the provider's identity, the demo's
 * workload). Its name is part of those resources' URNs: keep it.
 */
export function stackKubernetesProvider(kubeconfig: pulumi.Input<string>): k8s.Provider {
  return new k8s.Provider("stack-kubeconfig", { kubeconfig }, { version: kubernetesPluginVersion });
}
