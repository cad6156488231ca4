// When a host may be taken over as it runs (adopt), and when a host that is already a Node of this
// cluster must be refused (no adopt). Pure: adopt.ts and create.ts gather the facts.
import type { NodeView } from "../cluster/kube-api";
import { hostAnnotation, ownerAnnotation } from "../review/departing";
import { controlPlaneLabels, controlPlaneProblems, kubeletTrustedCaHash, type HostFacts } from "../host/preflight";
import { taintText, type Taint } from "./inputs";
import { annotations } from "./outputs";
import { normalizeVersion } from "./version";

export interface AdoptionCase {
  /** The Node name: nodeName as given, else the host's hostname. */
  readonly nodeName: string;
  /** The entry's SSH host, as written in it. */
  readonly host: string;
  /** What the host says about itself (preflightScript, read-only). */
  readonly facts: HostFacts;
  /** The Node of that name, if any. */
  readonly node: NodeView | undefined;
  /** The cluster's CA as cluster-info publishes it (and the kubeconfig trusts). */
  readonly caCertHash: string;
  /** `<project>/<stack>/<resource>` of the adopting resource. */
  readonly owner?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly kubernetesVersion?: string;
}

const recordAsItRuns =
  "adopt records a node exactly as it runs: declare what the Node carries now for the adopting up, and change it in a later one";

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect && (a.value ?? "") === (b.value ?? "");
}

/** What the entry declares that the Node does not carry: labels, taints, the Kubernetes version. */
function declarationProblems(c: AdoptionCase, node: NodeView): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(c.labels)) {
    const actual = node.labels[key];
    if (actual !== value) {
      problems.push(`label ${key}: the entry declares ${JSON.stringify(value)}, Node ${c.nodeName} has ${actual === undefined ? "no such label" : JSON.stringify(actual)}; ${recordAsItRuns}`);
    }
  }
  for (const taint of c.taints) {
    if (!node.taints.some((t) => sameTaint(t, taint))) {
      const present = node.taints.map(taintText).join(", ") || "none";
      problems.push(`taint ${taintText(taint)}: the entry declares it, Node ${c.nodeName} does not carry it (its taints: ${present}); ${recordAsItRuns}`);
    }
  }
  if (c.kubernetesVersion && normalizeVersion(c.kubernetesVersion) !== normalizeVersion(node.kubeletVersion)) {
    problems.push(
      `kubernetesVersion: the entry declares ${normalizeVersion(c.kubernetesVersion)}, Node ${c.nodeName} runs kubelet ${node.kubeletVersion || "(not reported)"}; ` +
        `adopt it at the version it runs (unset kubernetesVersion, or set ${normalizeVersion(node.kubeletVersion)}), then change the version in a later up: that is an in-place upgrade`,
    );
  }
  return problems;
}

/** Whether the Node is this host, in this cluster, Ready, and no one else's. */
function identityProblems(c: AdoptionCase, node: NodeView): string[] {
  const { facts, nodeName } = c;
  const problems: string[] = [];
  const hostCa = kubeletTrustedCaHash(facts);
  if (!hostCa) {
    problems.push("the CA that /etc/kubernetes/kubelet.conf trusts cannot be read (neither certificate-authority-data nor a readable certificate-authority file): the host cannot be proven to belong to this cluster");
  } else if (hostCa !== c.caCertHash) {
    problems.push(`the host's kubelet trusts CA ${hostCa}, but this cluster's cluster-info publishes ${c.caCertHash}: the host belongs to another cluster`);
  }
  if (!facts.machine_id) {
    problems.push("the host has no /etc/machine-id: it cannot be matched to its Node");
  } else if (node.machineId !== facts.machine_id) {
    problems.push(
      `Node ${nodeName} reports machine-id ${node.machineId || "(none)"} (status.nodeInfo.machineID), but this host's /etc/machine-id is ${facts.machine_id}: ` +
        "the Node is another machine; check the entry's host and nodeName",
    );
  }
  const annotated = node.annotations[annotations.machineId];
  if (annotated !== undefined && annotated !== facts.machine_id) {
    problems.push(`Node ${nodeName} carries ${annotations.machineId}=${annotated}, which is not this host's machine-id ${facts.machine_id || "(none)"}`);
  }
  const claimed = claimedByAnotherProblem({ nodeName, host: c.host, node, ...(c.owner ? { owner: c.owner } : {}) });
  if (claimed) problems.push(claimed);
  const label = controlPlaneLabels.find((l) => l in node.labels);
  if (label) problems.push(`Node ${nodeName} is a control-plane node (label ${label}): kubeadm-workers manages worker nodes only`);
  problems.push(...controlPlaneProblems(facts));
  if (!node.ready) problems.push(`Node ${nodeName} is not Ready (${node.readyDetail}): adopt takes over a working node; bring it back to Ready first`);
  return problems;
}

/**
 * Every reason not to adopt; empty: the host is a Ready Node of this cluster (its kubelet trusts
 * the cluster's CA), the Node reports this host's machine-id, no other stack manages it, and it
 * already carries what the entry declares — so recording it changes nothing.
 */
export function adoptionProblems(c: AdoptionCase): string[] {
  if (c.facts.kubelet_conf !== "yes") {
    const noNode = c.node ? "" : ` (and there is no Node named ${c.nodeName} in the cluster)`;
    return [`the host has no /etc/kubernetes/kubelet.conf: it is not a joined kubeadm node, so there is nothing to adopt${noNode}; remove adopt to join it`];
  }
  if (!c.node) {
    return [
      `there is no Node named ${c.nodeName} in the cluster: adopt takes over a node that already runs; ` +
        `set nodeName to the Node's name (unset, it is the host's hostname "${c.facts.hostname ?? ""}"), or remove adopt to join the host`,
    ];
  }
  return [...identityProblems(c, c.node), ...declarationProblems(c, c.node)];
}

/**
 * Without adopt, a host that already is this host's Node but was never joined by us (no machine-id
 * annotation of ours) is someone else's node: joining over it would rewrite its containerd and
 * packages. Undefined when the host is not joined, or was joined by us.
 */
export function joinedByOthersProblem(nodeName: string, node: NodeView | undefined, facts: HostFacts): string | undefined {
  if (!node || facts.kubelet_conf !== "yes") return undefined;
  if (node.annotations[annotations.machineId] !== undefined) return undefined;
  return (
    `the host already is Node ${nodeName} of this cluster, joined by another tool or by hand (no ${annotations.machineId} annotation of kubeadm-workers): ` +
    'set adopt: true in its entry to take it over as it runs, or run "kubeadm reset -f" on the host to join it afresh'
  );
}

/**
 * A Node has one owner: when its owner annotation names another resource (another stack, or another
 * entry of this one spelling the same host differently), taking it over would let either owner's
 * removal drain and delete a node the other still declares. Undefined when the Node is unclaimed or
 * this resource's own. Create and adopt refuse on it before anything is changed.
 */
export function claimedByAnotherProblem(c: { nodeName: string; host: string; node: NodeView | undefined; owner?: string }): string | undefined {
  const claimedBy = c.node?.annotations[ownerAnnotation];
  if (claimedBy === undefined || claimedBy === c.owner) return undefined;
  const joinedThrough = c.node?.annotations[hostAnnotation];
  return (
    `Node ${c.nodeName} is already managed by ${claimedBy} (${ownerAnnotation}${joinedThrough ? `; it joined through host ${joinedThrough}` : ""}), ` +
    `and this entry, ${c.owner ?? "(a WorkerNode without an owner)"}, names it through host ${c.host}: two resources would own one Node, and removing either ` +
    "would drain and delete it while the other still declares it. Keep one: remove one of the two entries; or, if " +
    `${claimedBy} is to give the node up, run \`pulumi state delete <its WorkerNode URN>\` in the stack of ${claimedBy} and then ` +
    `\`kubectl annotate node ${c.nodeName} ${ownerAnnotation}- ${hostAnnotation}-\``
  );
}

/**
 * The host still holds this cluster's join state and no Node has the entry's name, but its kubelet
 * is registered under another name: that Node is someone's running worker (another stack's entry
 * with another nodeName, or joined by hand), not stale state to reset. Undefined when no Node
 * reports this host's machine-id.
 */
export function registeredUnderAnotherNameProblem(c: { nodeName: string; host: string; registered: NodeView | undefined; facts: HostFacts; owner?: string }): string | undefined {
  const { registered } = c;
  // The same name: its kubelet registered it again since it was read (kubelets do after a delete).
  if (!registered || registered.name === c.nodeName) return undefined;
  return (
    claimedByAnotherProblem({ nodeName: registered.name, host: c.host, node: registered, ...(c.owner ? { owner: c.owner } : {}) }) ??
    `the host already is Node ${registered.name} of this cluster (its machine-id ${c.facts.machine_id ?? ""}), not ${c.nodeName} as this entry names it: ` +
      `set nodeName: ${registered.name} (with adopt: true if another tool or a person joined it), or run "kubectl drain ${registered.name}", ` +
      `"kubectl delete node ${registered.name}" and "kubeadm reset -f" on the host to join it afresh as ${c.nodeName}`
  );
}
