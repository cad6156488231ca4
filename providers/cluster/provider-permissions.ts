// The RBAC rules the WorkerNode provider's identity needs: one rule per resource it calls, with exactly
// the verbs it uses, and nothing else. The calls live in the modules kube-api.ts composes; a unit test
// (test/unit/cluster/provider-permissions.test.ts) derives the same rules from those modules' client
// calls, so a new call without its rule, or a rule no call needs, fails the tests. The scale-in report
// of `pulumi preview` (review-reads.ts) runs in the stack program with the stack's own kubeconfig, not
// with this identity, so its reads are not here.

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

export const providerPolicyRules: readonly PolicyRule[] = [
  // ownership, labels, taints, cordon, removal; every Node as room for evicted pods
  { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch", "delete"] },
  // the pods of a drained node, Pending replacements; a plain delete only with drain.disableEviction
  { apiGroups: [""], resources: ["pods"], verbs: ["list", "delete"] },
  { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
  // namespaces being deleted (their pods cannot be evicted)
  { apiGroups: [""], resources: ["namespaces"], verbs: ["list"] },
  // kube-public/cluster-info, kube-system/kubeadm-config and kubelet-config
  { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
  // the per-node bootstrap token, created before the join and deleted after it
  { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete"] },
  // whether an evicted pod's controller is Ready again, whether a pod's DaemonSet still exists
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get"] },
  { apiGroups: ["apps"], resources: ["statefulsets"], verbs: ["get"] },
  { apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["get"] },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] },
  // a drained node is removed only once no volume is attached to it
  { apiGroups: ["storage.k8s.io"], resources: ["volumeattachments"], verbs: ["list"] },
  // the drain budget's slots (drain.maxConcurrentDrains)
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update", "delete"] },
  // asking up front whether the budget's Lease verbs are granted
  { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews"], verbs: ["create"] },
  // the server version a join and an upgrade are checked against
  { nonResourceURLs: ["/version"], verbs: ["get"] },
];
