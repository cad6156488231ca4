// Public exports of the package `kubeadm-workers`.
export { WorkerNode, replacingProperties } from "./worker-node/resource";
export type { WorkerNodeArgs, ConnectionArgs, ClusterArgs } from "./worker-node/args";
export type { ContainerdInputs, DrainInputs, KubeadmInputs, PackagesInputs, Taint, TaintEffect } from "./worker-node/inputs";
export type { DrainOptions } from "./drain/options";
export { fingerprintOf, parseHostKey, matchHostKey } from "./host/host-key";
export type { HostKey, HostKeyMatch } from "./host/host-key";
export { providerPolicyRules } from "./cluster/provider-permissions";
export type { PolicyRule } from "./cluster/provider-permissions";
