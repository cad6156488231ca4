import { openSession } from "../../providers/host/ssh-session";
import { upgradeNodeMarker } from "../../providers/host/upgrade-steps";
import { createWorkerNode } from "../../providers/worker-node/create";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import { effects } from "../../providers/worker-node/operations";
import type { WorkerNodeInputs } from "../../providers/worker-node/inputs";
import type { WorkerNodeOutputs } from "../../providers/worker-node/outputs";
import { upgradeNode } from "../../providers/worker-node/upgrade";
import { kubectl, kubectlJson, labHosts, requireLab } from "./support/lab";
import { labWorkerInputs } from "./support/lab-worker";

// kubeadm's worker procedure against the real control plane and a real lab host. The lab serves one
// release today, so the node "upgrades" to the version it runs, left cordoned by an upgrade that
// was cut off: the packages are in place, and everything else (slot, drain, `kubeadm upgrade node`,
// kubelet restart, Ready, uncordon, release) runs for real.
jest.setTimeout(300_000);

/** The lab's package and containerd 2 sources, mirrors and sandbox image, as it publishes them. */
const inputs = (): WorkerNodeInputs => labWorkerInputs(labHosts()[0]);

describe("the in-place upgrade on a lab host", () => {
  let outs: WorkerNodeOutputs | undefined;

  beforeAll(requireLab);

  afterAll(async () => {
    if (outs) await deleteWorkerNode(outs, effects);
  });

  test("a node left cordoned by a cut-off upgrade is drained with a slot, runs kubeadm upgrade node, restarts its kubelet and ends Ready and uncordoned", async () => {
    outs = (await createWorkerNode(inputs(), effects)).outs;
    const name = outs.nodeName;
    const uid = (await kubectlJson<{ metadata: { uid: string } }>(["get", "node", name])).metadata.uid;
    await kubectl(["cordon", name]);
    await kubectl(["annotate", "node", name, "kubeadm-workers.io/drain-phase=cordoned", "--overwrite"]);

    const lines: string[] = [];
    const shell = await openSession(inputs().connection);
    try {
      const node = await upgradeNode(shell, effects.connectCluster(inputs().cluster.kubeconfig), outs, inputs(), outs.kubernetesVersion, { ...effects, log: (l) => lines.push(l) });
      expect(node.unschedulable).toBe(false);
      expect((await shell.run(`cat ${upgradeNodeMarker}`)).stdout).toBe(outs.kubernetesVersion);
      expect((await shell.run("apt-mark showhold kubeadm kubelet kubectl | sort | tr '\\n' ' '")).stdout).toBe("kubeadm kubectl kubelet ");
    } finally {
      await shell.close();
    }

    expect(lines).toEqual(
      expect.arrayContaining([
        `${name}: kubeadm ${outs.kubernetesVersion}: already done`,
        `${name}: kubeadm upgrade node (${outs.kubernetesVersion}): done`,
        `${name}: kubelet, kubectl ${outs.kubernetesVersion}: already done`,
        `${name}: upgraded to v${outs.kubernetesVersion} and uncordoned`,
      ]),
    );
    const after = await kubectlJson<{ metadata: { uid: string; annotations?: Record<string, string> }; spec: { unschedulable?: boolean } }>(["get", "node", name]);
    expect(after.metadata.uid).toBe(uid);
    expect(after.spec.unschedulable ?? false).toBe(false);
    expect(after.metadata.annotations?.["kubeadm-workers.io/drain-phase"]).toBeUndefined();
    expect((await kubectl(["get", "lease", "-n", "kube-system", "-o", "name"])).stdout).not.toMatch(/kubeadm-workers-drain/);
  });
});
