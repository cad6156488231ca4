/**
 * Inputs whose change means another machine or another cluster: the node is replaced. A
 * kubernetesVersion change is not one of them: it upgrades the node in place (kubeadm's worker
 * procedure, one drain slot at a time). In a module of its own so the provider's diff reads it
 * without loading @pulumi/pulumi.
 */
export const replacingProperties = ["connection.host", "nodeName", "cluster.apiServerEndpoint"] as const;
