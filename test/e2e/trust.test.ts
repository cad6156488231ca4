import { caPem } from "../unit/fixtures/ca";
import { caCertHash } from "../../providers/cluster/ca-hash";
import { bootstrapTokenSecrets, kubectl, kubectlJson, labHosts, labSsh, requireLab } from "../integration/support/lab";
import { fingerprint, regenerateHostKeys, restoreHostKeys } from "./support/host-keys";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, setConfig } from "./support/lab-stack";
import { sshdPeerLines } from "./support/sshd-log";

// Trust, with the real CLI on the lab: a host that presents another key than the one pinned or
// recorded is refused by create, update and delete, naming both fingerprints, and nothing is
// changed; a cluster-info whose CA the kubeconfig does not trust is refused before any host is dialled.

jest.setTimeout(900_000);

beforeAll(requireLab);

interface NodeView {
  metadata: { labels: Record<string, string> };
  spec: { unschedulable?: boolean };
}

describe("a host whose key changed after it was recorded or pinned", () => {
  const host = () => labHosts()[labHosts().length - 1];
  let stack: PulumiProject;
  let fresh: PulumiProject | undefined;

  beforeAll(async () => {
    stack = await createLabStack("trust");
  }, 120_000);

  afterAll(async () => {
    // the host's own keys back first, so the destroy can reach it and reset it
    await restoreHostKeys(host());
    await stack.pulumi(["destroy", "--yes", "--skip-preview"], 300_000);
    await stack.pulumi(["stack", "rm", "--yes", "--force"]);
    await stack.remove();
    if (fresh) {
      await fresh.pulumi(["stack", "rm", "--yes", "--force"]);
      await fresh.remove();
    }
  }, 600_000);

  test("is refused on create, update and delete, naming expected and actual fingerprints; nothing changes", async () => {
    // GIVEN a node joined with its key recorded on first use (no hostKey in the entry)
    const entry = { name: host().name, host: host().address };
    await setConfig(stack, { nodes: [entry] });
    await stack.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
    const nodeName = host().name;
    expect((await kubectlJson<NodeView>(["get", "node", nodeName])).spec.unschedulable).toBeFalsy();

    // WHEN the host gets new keys (reinstalled, or someone in the middle)
    const newKey = await regenerateHostKeys(host());
    const mismatch = `expected ${fingerprint(host().hostKey)}, got ${fingerprint(newKey)}`;

    // THEN an update (only a label: no host step needed) is refused and the label is not applied
    await setConfig(stack, { nodes: [{ ...entry, labels: { tier: "web" } }] });
    const update = await stack.pulumi(["up", "--yes", "--skip-preview"], 300_000);
    expect(update.code).not.toBe(0);
    expect(update.stdout + update.stderr).toContain(`update of worker ${nodeName} refused, nothing was changed`);
    expect(update.stdout + update.stderr).toContain(mismatch);
    expect((await kubectlJson<NodeView>(["get", "node", nodeName])).metadata.labels.tier).toBeUndefined();

    // AND removing the entry is refused: not cordoned, not drained, the Node and the join stay
    await setConfig(stack, { nodes: [] });
    const remove = await stack.pulumi(["up", "--yes", "--skip-preview"], 300_000);
    expect(remove.code).not.toBe(0);
    expect(remove.stdout + remove.stderr).toContain(`delete of worker ${nodeName} refused, nothing was changed`);
    expect(remove.stdout + remove.stderr).toContain(mismatch);
    expect((await kubectlJson<NodeView>(["get", "node", nodeName])).spec.unschedulable).toBeFalsy();
    expect((await labSsh(host().address, "test -e /etc/kubernetes/kubelet.conf && echo joined")).stdout.trim()).toBe("joined");

    // AND a new stack pinning the key the host had (hosts.json) is refused at the handshake
    fresh = await createLabStack("trust-pinned");
    await setConfig(fresh, { nodes: [{ name: "pinned", host: host().address, hostKey: host().hostKey }] });
    const create = await fresh.pulumi(["up", "--yes", "--skip-preview"], 300_000);
    expect(create.code).not.toBe(0);
    expect(create.stdout + create.stderr).toContain(`host key of ${host().address}:22 does not match the pinned key: ${mismatch}`);
    expect((await fresh.pulumiOk(["stack", "export"])).stdout).not.toContain("WorkerNode::pinned");
    expect(await bootstrapTokenSecrets()).toBe("");
  });
});

describe("a cluster-info whose CA the kubeconfig does not trust", () => {
  const host = () => labHosts()[0];
  let stack: PulumiProject;
  let original: string | undefined;

  beforeAll(async () => {
    stack = await createLabStack("trust-ca");
  }, 120_000);

  afterAll(async () => {
    if (original !== undefined) await kubectl(["-n", "kube-public", "patch", "configmap", "cluster-info", "--type", "merge", "-p", JSON.stringify({ data: { kubeconfig: original } })]);
    await stack.pulumi(["destroy", "--yes", "--skip-preview"], 300_000);
    await stack.pulumi(["stack", "rm", "--yes", "--force"]);
    await stack.remove();
  }, 600_000);

  test("is refused before kubeadm join runs: no host is dialled, no token minted, no Node", async () => {
    // GIVEN cluster-info rewritten to publish another CA (as a hijacked or mixed-up endpoint would)
    const info = await kubectlJson<{ data: { kubeconfig: string } }>(["-n", "kube-public", "get", "configmap", "cluster-info"]);
    original = info.data.kubeconfig;
    const forged = original.replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${Buffer.from(caPem).toString("base64")}`);
    expect(forged).not.toBe(original);
    await kubectl(["-n", "kube-public", "patch", "configmap", "cluster-info", "--type", "merge", "-p", JSON.stringify({ data: { kubeconfig: forged } })]);
    const before = sshdPeerLines(host()).length;

    // WHEN a host is added
    await setConfig(stack, { nodes: [{ name: "ca-check", host: host().address, hostKey: host().hostKey }] });
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"], 300_000);

    // THEN the create is refused naming both CA hashes, before the host was even dialled
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toContain(`publishes CA ${caCertHash(caPem)}`);
    expect(up.stdout + up.stderr).toMatch(/but the kubeconfig trusts sha256:[0-9a-f]{64}: refusing to pin a CA the kubeconfig does not trust/);
    expect(sshdPeerLines(host()).length).toBe(before);
    expect((await labSsh(host().address, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo clean")).stdout.trim()).toBe("clean");
    expect(await bootstrapTokenSecrets()).toBe("");
    expect((await kubectl(["get", "node", "ca-check", "--ignore-not-found"])).stdout.trim()).toBe("");
  });
});
