// adopt: create for a host that already is a Ready Node of this cluster. Everything here reads:
// cluster-info and the Node through the API, the host's facts over SSH (preflightScript changes
// nothing). Nothing is installed, configured, joined, labelled, tainted or cordoned; the one write is
// the owner and host annotations on the Node, which make it this resource's (another stack's create
// or adopt is refused on it, and the scale-in report finds it when the entry goes or its host changes).
import { fingerprintOf, parseHostKey } from "../host/host-key";
import { parseFacts, preflightScript } from "../host/preflight";
import { outputTail } from "../host/run-steps";
import { nodeLog } from "../node-log";
import { adoptionProblems } from "./adopt-rules";
import { adoptionWrites } from "./adoption-writes";
import { joinedNodeOutputs, resolveApiServerEndpoint, resolveCaCertHash, WorkerNodeError, type WorkerNodeEffects } from "./create";
import type { WorkerNodeInputs } from "./inputs";
import { ownershipAnnotations, type WorkerNodeOutputs } from "./outputs";
import { normalizeVersion } from "./version";

export async function adoptWorkerNode(inputs: WorkerNodeInputs, effects: WorkerNodeEffects): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  const cluster = effects.connectCluster(inputs.cluster.kubeconfig);
  const [apiServerEndpoint, caHash] = await Promise.all([resolveApiServerEndpoint(cluster, inputs.cluster.apiServerEndpoint), resolveCaCertHash(cluster)]);
  let log = nodeLog(effects, inputs.nodeName ?? inputs.connection.host);
  const shell = await effects.openSession(inputs.connection, {});
  try {
    const hostKeyFingerprint = fingerprintOf(parseHostKey(shell.hostKey).blob);
    log(`connected to ${shell.address}, host key ${hostKeyFingerprint}${inputs.connection.hostKey ? " (pinned)" : " (recorded on first use)"}`);
    const gathered = await shell.runScript(preflightScript, { timeoutSeconds: 60 });
    if (gathered.code !== 0) throw new WorkerNodeError(`host ${shell.address}: reading its facts for adoption failed:${outputTail(gathered)}`);
    const facts = parseFacts(gathered.stdout);
    const nodeName = inputs.nodeName ?? facts.hostname ?? "";
    log = nodeLog(effects, nodeName);
    const node = await cluster.getNode(nodeName);
    const problems = adoptionProblems({
      nodeName,
      host: inputs.connection.host,
      facts,
      node,
      caCertHash: caHash,
      ...(inputs.owner ? { owner: inputs.owner } : {}),
      labels: inputs.labels ?? {},
      taints: inputs.taints ?? [],
      ...(inputs.kubernetesVersion ? { kubernetesVersion: inputs.kubernetesVersion } : {}),
    });
    if (problems.length > 0 || !node) {
      throw new WorkerNodeError(`adoption of host ${shell.address} (node ${nodeName}) refused; nothing was changed on the host or the Node:\n  - ${problems.join("\n  - ")}`);
    }
    const ownership = ownershipAnnotations(inputs);
    const claim = Object.keys(ownership).length > 0 && Object.entries(ownership).some(([key, value]) => node.annotations[key] !== value);
    const owned = claim ? await cluster.patchNode(nodeName, { annotations: ownership }) : node;
    const changed = claim ? `${adoptionWrites(ownership)}; nothing on the host changed` : "nothing was changed";
    log(`adopted as it runs: Node ${nodeName} Ready, kubelet ${node.kubeletVersion}, ${node.containerRuntimeVersion}, machine-id ${node.machineId}, CA ${caHash.slice(0, 19)}…; ${changed}`);
    const recorded = joinedNodeOutputs(inputs, { nodeName, shell, apiServerEndpoint, caCertHash: caHash, kubernetesVersion: normalizeVersion(node.kubeletVersion), machineId: node.machineId, node: owned });
    return { id: nodeName, outs: { ...recorded, adopted: true } };
  } finally {
    await shell.close();
  }
}
