// The scale-in report printed by `pulumi preview` (and so in the pull request's comment): read-only
// API calls from the program, no SSH, and it never fails the preview — a cluster that cannot be
// reached makes the report say so.
import { readClusterNodes, readClusterSnapshot } from "../providers/cluster/review-reads";
import { resolveDrainOptions } from "../providers/drain/options";
import { findDepartures, leavesForGood, type ConfiguredEntry } from "../providers/review/departing";
import { formatScaleInReport, planScaleInReport } from "../providers/review/scale-in-report";

export interface ScaleInReviewInput {
  readonly kubeconfig: string | undefined;
  readonly entries: readonly ConfiguredEntry[];
  readonly project: string;
  readonly stack: string;
  readonly kubernetesVersion?: string;
  readonly apiServerEndpoint?: string;
  readonly drain?: unknown;
  readonly now: Date;
  readonly timeoutMs?: number;
}

export async function scaleInReview(input: ScaleInReviewInput): Promise<string> {
  const timeoutMs = input.timeoutMs ?? 15_000;
  let snapshot;
  let departures;
  try {
    // A preview that removes nothing (the common one) reads the Nodes only, never every pod.
    const { nodes } = await readClusterNodes(input.kubeconfig, timeoutMs);
    departures = findDepartures(nodes, input.entries, input);
    if (departures.length === 0) return "";
    snapshot = await readClusterSnapshot(input.kubeconfig, timeoutMs, nodes);
  } catch (error) {
    return `Scale-in report: the cluster could not be read (${(error as Error).message}); nodes this change removes are not described. The preview itself is unaffected.`;
  }
  const drain = resolveDrainOptions(input.drain ?? {});
  if (!drain.ok) return `Scale-in report: not made, the drain config is invalid: ${drain.failures.join("; ")}`;
  // Nodes upgraded in place or replaced come back: only those removed leave the room.
  const leaving = new Set(departures.filter((d) => leavesForGood(d.action)).map((d) => d.node));
  const report = planScaleInReport(
    {
      departing: departures.map((d) => ({ resource: d.resource, node: d.node, action: d.action, why: d.why, pods: snapshot.podsByNode.get(d.node) ?? [] })),
      pdbs: snapshot.pdbs,
      existingDaemonSets: snapshot.existingDaemonSets,
      terminatingNamespaces: snapshot.terminatingNamespaces,
      remainingNodes: snapshot.nodes.filter((node) => !leaving.has(node.name)),
      now: input.now,
    },
    drain.options,
  );
  // Judged with the config's drain options, which an upgrade drains with; a delete (a removal, or a
  // replacement's delete) gets the resource's old outputs from Pulumi, so it drains with the options
  // recorded at the last up: a change that edits `drain` and removes a node is drained the old way.
  return `${formatScaleInReport(report)}\n(from ${snapshot.server}; drain options from the stack config; a node removed or replaced is drained with those recorded at the last up)`;
}
