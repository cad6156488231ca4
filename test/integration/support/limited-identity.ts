import { apply, kubectl, kubectlJson } from "./lab";

/**
 * A kubeconfig for a ServiceAccount that may do everything a drain does EXCEPT create pods/eviction,
 * so an eviction is refused with a real 403 from the lab's RBAC authorizer.
 */
export async function kubeconfigWithoutEviction(namespace: string, name: string): Promise<string> {
  await apply(
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules: [
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch", "patch", "update", "delete"] },
        { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
        { apiGroups: ["apps"], resources: ["daemonsets", "replicasets", "statefulsets"], verbs: ["get", "list"] },
        { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "create", "update", "delete"] },
        { apiGroups: ["storage.k8s.io"], resources: ["volumeattachments"], verbs: ["get", "list"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  );
  const token = (await kubectl(["create", "token", name, "-n", namespace, "--duration=10m"])).stdout.trim();
  const admin = await kubectlJson<{ clusters: { cluster: { server: string; "certificate-authority-data": string } }[] }>(["config", "view", "--raw", "--minify"]);
  const cluster = admin.clusters[0].cluster;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "lab", cluster: { server: cluster.server, "certificate-authority-data": cluster["certificate-authority-data"] } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: "lab", user: name } }],
    "current-context": name,
  });
}

export async function deleteLimitedIdentity(name: string): Promise<void> {
  await kubectl(["delete", "clusterrolebinding,clusterrole", name, "--ignore-not-found"]).catch(() => undefined);
}
