// The Kubernetes provider of the stack's @pulumi/kubernetes resources, on the plugin version the stack
// asks for (stacks/kubernetes-plugin-version.ts): the installed SDK's release by default, the lab's own
// build (lab/toolchain/components/pulumi-kubernetes.sh) in the lab's stacks.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { installedKubernetesSdkVersion, kubernetesPluginVersion } from "./kubernetes-plugin-version";

/**
 * The stack's own (admin) kubeconfig as a Kubernetes provider: one per program, shared by everything
 * the stack makes with @pulumi/kubernetes (the provider's identity, the demo's workload). Its name is
 * part of those resources' URNs: keep it.
 */
export function stackKubernetesProvider(kubeconfig: pulumi.Input<string>, configuredPluginVersion: string | undefined): k8s.Provider {
  return new k8s.Provider("stack-kubeconfig", { kubeconfig }, { version: kubernetesPluginVersion(configuredPluginVersion, installedKubernetesSdkVersion()) });
}
