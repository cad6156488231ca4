import { spawn } from "node:child_process";
import { PdbObserver } from "../integration/support/pdb-observer";
import { apply, kubeconfigPath, kubectl, kubectlJson, labHosts, labSsh, requireLab, waitFor } from "../integration/support/lab";
import { namespace, pdb } from "../integration/support/workloads";
import type { PulumiProject } from "./support/pulumi-project";
import { webAppDeployment } from "./support/web-app";
import { createLabStack, entryFor, setConfig, type NodeEntry } from "./support/lab-stack";

// Real pods on real nodes, with the real CLI: two lab hosts join through `pulumi up` and run the lab's
// test app (an HTTP server that is Ready after a start-up delay and, on SIGTERM, logs it and keeps
// serving for a while before it exits); removing one entry drains real containers.
jest.setTimeout(900_000);

const ns = "e2e-real-workload";
const e2eLabel = { "kubeadm-workers-e2e": "real-workload" };
const shutdownDelaySeconds = 5;

interface NodeObject {
  metadata: { annotations?: Record<string, string> };
  status: { nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string } };
}
interface LeaseObject {
  spec: { holderIdentity?: string; renewTime?: string };
}
interface PodObject {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { podIP?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

const readyPods = async () =>
  (await kubectlJson<{ items: PodObject[] }>(["get", "pods", "-n", ns, "-l", "app=web"])).items.filter(
    (p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  );

/** Follows a container's log until the container ends; `done` resolves with all it printed. */
function followLog(pod: string): { done: Promise<string>; stop: () => void } {
  const child = spawn("kubectl", ["--kubeconfig", kubeconfigPath, "logs", "-f", "-n", ns, pod], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const done = new Promise<string>((resolve) => child.on("close", () => resolve(text)));
  return { done, stop: () => child.kill("SIGTERM") };
}

describe("real pods on real kubelets: scale-out runs them, scale-in moves them", () => {
  let project: PulumiProject;
  let entries: NodeEntry[];

  beforeAll(async () => {
    requireLab();
    if (labHosts().length < 2) throw new Error('the real-workload e2e needs 2 lab hosts: run "npm run lab -- up --hosts 3"');
    entries = labHosts().slice(0, 2).map((h) => entryFor(h, { labels: e2eLabel }));
    project = await createLabStack("realworkload", { nodes: entries });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
    await apply(namespace(ns));
  }, 700_000);

  afterAll(async () => {
    await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 700_000);

  test("each Node runs containerd 2 under its own kubelet: no kwok annotation, its Lease renewed by its kubelet", async () => {
    for (const entry of entries) {
      const node = await kubectlJson<NodeObject>(["get", "node", entry.name]);
      expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/2\./);
      expect(Object.keys(node.metadata.annotations ?? {}).filter((k) => k.startsWith("kwok.x-k8s.io"))).toEqual([]);
      const lease = () => kubectlJson<LeaseObject>(["get", "lease", "-n", "kube-node-lease", entry.name]);
      // (a re-joined Node's Lease comes a moment after the Node: the garbage collector removed the
      // one of the Node deleted before, and the kubelet creates its own once it has registered)
      const first = await waitFor(`the Lease of ${entry.name}`, () => lease().catch(() => undefined), 60_000);
      expect(first.spec.holderIdentity).toBe(entry.name);
      await waitFor(`the Lease of ${entry.name} renewed after ${first.spec.renewTime}`, async () => ((await lease()).spec.renewTime !== first.spec.renewTime ? true : undefined), 60_000);
    }
  });

  test("the test app runs on the joined nodes: pod IPs, readiness passed, kubectl logs through the kubelet, the container in crictl ps on the host", async () => {
    await apply(webAppDeployment(ns, e2eLabel, 4, shutdownDelaySeconds), pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }));
    const pods = await waitFor("4 test app pods Ready", async () => {
      const ready = await readyPods();
      return ready.length === 4 ? ready : undefined;
    }, 180_000).catch(async (error: Error) => {
      // What the pods and their events say, for whoever reads the failure.
      const described = await kubectl(["describe", "pods", "-n", ns, "-l", "app=web"]).catch(() => undefined);
      throw new Error(`${error.message}\n--- kubectl describe pods\n${described?.stdout.split("\n").slice(-60).join("\n") ?? ""}`);
    });

    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(entries.map((e) => e.name)));
    for (const pod of pods) expect(pod.status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const logs = await kubectl(["logs", "-n", ns, pods[0].metadata.name]);
    expect(logs.stdout).toMatch(/kw-testapp: started on .*; ready in 3s/);
    expect(logs.stdout).toMatch(/kw-testapp: ready/);
    const onSecond = pods.find((p) => p.spec.nodeName === entries[1].name);
    const crictl = await labSsh(entries[1].host, `crictl --runtime-endpoint unix:///run/containerd/containerd.sock ps --label io.kubernetes.pod.namespace=${ns}`);
    expect(crictl.code).toBe(0);
    expect(crictl.stdout).toContain(onSecond?.metadata.name);
    expect(crictl.stdout).toMatch(/\bRunning\b/);
  });

  test("scale-in evicts the real containers: SIGTERM logged and its grace waited out, replacements Ready on the node left before the Node goes, no PDB broken", async () => {
    const leaving = entries[1];
    const evicted = (await readyPods()).filter((p) => p.spec.nodeName === leaving.name).map((p) => p.metadata.name);
    expect(evicted.length).toBeGreaterThan(0);
    const logs = evicted.map((pod) => ({ pod, ...followLog(pod) }));
    const observer = new PdbObserver(ns);
    // When the Node disappears, as this test sees it (it can only be later than the deletion).
    let nodeGoneAt: number | undefined;
    let watching = true;
    const nodeWatch = (async () => {
      while (watching && nodeGoneAt === undefined) {
        const got = await kubectl(["get", "node", leaving.name, "--ignore-not-found", "-o", "name"]).catch(() => undefined);
        if (got?.code === 0 && got.stdout.trim() === "") nodeGoneAt = Date.now();
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      await setConfig(project, { nodes: [entries[0]] });
      const up = await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      expect(up.stdout).toMatch(/- 1 deleted/);
      await waitFor(`Node ${leaving.name} seen gone`, () => Promise.resolve(nodeGoneAt), 30_000);
    } finally {
      watching = false;
      await nodeWatch;
      await observer.stop();
      for (const log of logs) log.stop();
    }

    // Every evicted container got SIGTERM, said so, and was left to run out its shutdown delay.
    for (const { pod, done } of logs) {
      const text = await done;
      expect({ pod, sigterm: /kw-testapp: received terminated, exiting in 5s/.test(text) }).toEqual({ pod, sigterm: true });
      expect({ pod, exited: new RegExp(`kw-testapp: exited after ${shutdownDelaySeconds}s`).test(text) }).toEqual({ pod, exited: true });
    }
    // The replacements run on the node left, and were Ready before the Node was removed.
    const after = await readyPods();
    expect(after).toHaveLength(4);
    for (const pod of after) {
      expect(pod.spec.nodeName).toBe(entries[0].name);
      const readySince = Date.parse(pod.status.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime ?? "");
      expect({ pod: pod.metadata.name, readyBeforeNodeGone: readySince <= (nodeGoneAt ?? 0) }).toEqual({ pod: pod.metadata.name, readyBeforeNodeGone: true });
    }
    expect(observer.violations).toEqual([]);
    expect((await labSsh(leaving.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim()).toBe("reset");
    entries = [entries[0]];
  });
});
