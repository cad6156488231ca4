import { kubectlJson, labHosts, labSsh, requireLab, type LabHost } from "../integration/support/lab";
import { createLabStack, entryFor, setConfig } from "./support/lab-stack";
import type { PulumiProject } from "./support/pulumi-project";
import { removeStack } from "./support/suite-stack";

// Gap C of issue 8 on the real CLI: a Node has one owner. A second stack that declares a lab host
// the first stack already joined is refused by its `pulumi up` naming the first owner, and neither
// the Node nor the host is touched (no host step, no re-annotation, no reset).
jest.setTimeout(900_000);

const e2eLabel = { "kubeadm-workers-e2e": "shared-host" };

interface NodeObject {
  metadata: { uid: string; resourceVersion: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Checksums of what a join, host step or reset would change on the host. */
async function hostChecksums(host: LabHost): Promise<string> {
  const result = await labSsh(host.address, "find /etc/kubernetes /var/lib/kubelet/config.yaml /etc/containerd /etc/apt/sources.list.d -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum");
  expect(result.code).toBe(0);
  return result.stdout;
}

describe("two stacks claiming one lab host", () => {
  let first: PulumiProject | undefined;
  let second: PulumiProject | undefined;
  let host: LabHost;

  beforeAll(async () => {
    requireLab();
    host = labHosts()[0];
    first = await createLabStack("shared-host-a", { nodes: [entryFor(host, { labels: e2eLabel })] });
    second = await createLabStack("shared-host-b");
    await first.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
  }, 900_000);

  afterAll(async () => {
    if (second) await removeStack(second, { destroy: true });
    if (first) await removeStack(first, { destroy: true });
  }, 900_000);

  test("the second stack's up is refused naming the first owner; the Node and the host are untouched", async () => {
    const before = await kubectlJson<NodeObject>(["get", "node", host.name]);
    const firstOwner = before.metadata.annotations["kubeadm-workers.io/owner"];
    expect(firstOwner).toMatch(new RegExp(`/${host.name}$`));
    const checksums = await hostChecksums(host);

    // GIVEN the second stack declares the same host (the same resource name: only the stack differs)
    await setConfig(second!, { nodes: [entryFor(host, { labels: { ...e2eLabel, stack: "b" } })] });
    const refused = await second!.pulumi(["up", "--yes", "--skip-preview"], 600_000);

    // THEN the up fails naming both owners, the node and the host, and how to resolve it
    expect(refused.code).not.toBe(0);
    const output = refused.stdout + refused.stderr;
    expect(output).toContain(`Node ${host.name} is already managed by ${firstOwner} (kubeadm-workers.io/owner; it joined through host ${host.address})`);
    expect(output).toMatch(new RegExp(`and this entry, [^ ]+/${host.name}, names it through host ${host.address.replace(/\./g, "\\.")}`));
    expect(output).toContain("pulumi state delete");
    expect(output).toMatch(/nothing was changed on it/);
    // AND the Node is exactly as the first stack left it: same object, labels, annotations and spec
    const after = await kubectlJson<NodeObject>(["get", "node", host.name]);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
    expect(after.spec).toEqual(before.spec);
    // AND the host was neither prepared nor reset
    expect(await hostChecksums(host)).toBe(checksums);
    // AND the second stack records nothing, so its destroy cannot drain the first stack's node
    const exported = JSON.parse((await second!.pulumiOk(["stack", "export"])).stdout) as { deployment: { resources?: { type: string }[] } };
    expect((exported.deployment.resources ?? []).filter((r) => r.type.endsWith(":WorkerNode"))).toEqual([]);
    // AND the first stack still sees no change
    await first!.pulumiOk(["preview", "--expect-no-changes"]);
  });

  test("declared under another nodeName, the host is not taken for stale join state: refused, not reset", async () => {
    const before = await kubectlJson<NodeObject>(["get", "node", host.name]);
    const firstOwner = before.metadata.annotations["kubeadm-workers.io/owner"];
    const checksums = await hostChecksums(host);

    // GIVEN the second stack names the Node differently: no Node has that name, the host has kubelet.conf
    await setConfig(second!, { nodes: [entryFor(host, { nodeName: "shared-host-b", labels: e2eLabel })] });
    const refused = await second!.pulumi(["up", "--yes", "--skip-preview"], 600_000);

    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(`Node ${host.name} is already managed by ${firstOwner}`);
    const after = await kubectlJson<NodeObject>(["get", "node", host.name]);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
    expect(after.spec).toEqual(before.spec);
    expect(await hostChecksums(host)).toBe(checksums);
    await first!.pulumiOk(["preview", "--expect-no-changes"]);
  });
});
