import { providerPolicyRules } from "../../providers/cluster/provider-permissions";
import { identityName } from "../../stacks/provider-identity";
import { bootstrapTokenSecrets, kubeconfigPath, kubectl, kubectlJson, labClusterConfig, labHosts, labSsh, waitFor } from "../integration/support/lab";
import { run } from "../support/process";
import { requireKubernetesPlugin } from "./support/kubernetes-plugin";
import { entryFor, setConfig, type NodeEntry } from "./support/lab-stack";
import { labStackForSuite } from "./support/suite-stack";
import { webReady } from "./support/web-app";

// The stack's leastPrivilege option with the real pulumi CLI and the Kubernetes resource plugin the
// toolchain builds: the identity is made with @pulumi/kubernetes, the WorkerNodes scale out and in
// with it (not with the lab's cluster-admin kubeconfig), and a rule taken out of its ClusterRole makes
// the next up fail naming the identity, the verb and the resource. The workload the scale-in drains
// is the stack's own demoWorkload (stacks/demo-workload.ts): a Deployment and its PDB made with
// @pulumi/kubernetes after the WorkerNodes, and destroyed before them.
jest.setTimeout(600_000);

const stackName = "leastpriv";
const ns = "e2e-least-privilege";
// stacks/demo-workload.ts: the Deployment and its PDB, both named web, in the namespace demo.
const demoNs = "demo";
const e2eLabel = { "kubeadm-workers-e2e": "least-privilege" };
const name = identityName(stackName);
const user = `system:serviceaccount:kube-system:${name}`;

interface RuleJson {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

async function clusterRoleRules(): Promise<RuleJson[]> {
  return (await kubectlJson<{ rules: RuleJson[] }>(["get", "clusterrole", name])).rules;
}

/** `kubectl auth can-i` as the identity: "yes" or "no" (it exits 1 on "no"). */
async function canI(verb: string, resource: string, namespace?: string): Promise<string> {
  const args = ["--kubeconfig", kubeconfigPath, "auth", "can-i", verb, resource, `--as=${user}`, ...(namespace ? ["-n", namespace] : [])];
  return (await run("kubectl", args)).stdout.trim();
}

async function readyCondition(node: string): Promise<string | undefined> {
  const view = await kubectlJson<{ status: { conditions: { type: string; status: string }[] } }>(["get", "node", node]);
  return view.status.conditions.find((c) => c.type === "Ready")?.status;
}

describe("the provider's least-privilege identity (leastPrivilege: true)", () => {
  // Declared first: it waits for test/run.sh's background build of the plugin, before the stack exists.
  beforeAll(requireKubernetesPlugin, 41 * 60_000);
  const stack = labStackForSuite(stackName, { hosts: 2, config: () => ({ leastPrivilege: true }) });
  let entries: NodeEntry[];
  let removedRule: RuleJson | undefined;

  test("a preview before the identity exists plans it and the WorkerNodes, with the plugin the toolchain installed", async () => {
    const [h1] = labHosts();
    await setConfig(stack.project, { nodes: [entryFor(h1, { labels: e2eLabel })] });
    const plan = JSON.parse((await stack.project.pulumiOk(["preview", "--json"])).stdout) as { steps: { op: string; urn: string }[] };
    // "type::name op" for every step (the URN's part after the stack and project)
    const steps = plan.steps.map((step) => `${step.urn.split("::").slice(2).join("::")} ${step.op}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        `pulumi:providers:kubernetes::stack-kubeconfig create`,
        `kubernetes:core/v1:ServiceAccount::provider-identity create`,
        `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::provider-identity create`,
        `kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::provider-identity create`,
        `kubernetes:core/v1:Secret::provider-identity-token create`,
        `pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode::${h1.name} create`,
      ]),
    );
    expect((await kubectl(["get", "clusterrole", name, "--ignore-not-found"])).stdout.trim()).toBe("");
  });

  test("the identity: its ClusterRole holds exactly the provider's rules, and it is not cluster-admin", async () => {
    await setConfig(stack.project, { nodes: [] });
    const up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
    // the stack, the Kubernetes provider, ServiceAccount, ClusterRole, ClusterRoleBinding and token Secret
    expect(up.stdout).toMatch(/\+ 6 created/);

    const expected = providerPolicyRules.map((rule) => ({ ...rule }));
    expect(await clusterRoleRules()).toEqual(expected);
    const outputs = JSON.parse((await stack.project.pulumiOk(["stack", "output", "--json"])).stdout) as { providerIdentity: { user: string } };
    expect(outputs.providerIdentity.user).toBe(user);

    expect(await canI("patch", "nodes")).toBe("yes");
    expect(await canI("create", "secrets", "kube-system")).toBe("yes");
    for (const [verb, resource, namespace] of [
      ["get", "secrets", "kube-system"],
      ["create", "clusterrolebindings"],
      ["create", "nodes"],
      ["update", "nodes"],
      ["delete", "namespaces"],
      ["create", "pods", ns],
    ] as const) {
      expect([verb, resource, await canI(verb, resource, namespace)]).toEqual([verb, resource, "no"]);
    }
  });

  test("with the configmaps rule taken out of its ClusterRole, a scale-out fails naming the identity, the verb and the resource", async () => {
    const rules = await clusterRoleRules();
    const index = rules.findIndex((rule) => rule.resources?.includes("configmaps"));
    expect(index).toBeGreaterThanOrEqual(0);
    removedRule = rules[index];
    await kubectl(["patch", "clusterrole", name, "--type=json", "-p", JSON.stringify([{ op: "remove", path: `/rules/${index}` }])]);
    const [h1] = labHosts();
    await setConfig(stack.project, { nodes: [entryFor(h1, { labels: e2eLabel })] });

    const failed = await stack.project.pulumi(["up", "--yes", "--skip-preview"], 300_000);

    // The engine may print the provider's error with its quotes escaped.
    const output = (failed.stdout + failed.stderr).replace(/\\"/g, '"');
    expect(failed.code).not.toBe(0);
    expect(output).toMatch(new RegExp(`User "${user}" cannot get resource "configmaps" in API group "" in the namespace "kube-(public|system)"`));
    expect(output).toMatch(new RegExp(`The kubeconfig's identity \\(${user}\\) may not get configmaps \\(API group "", namespace kube-(public|system)\\): grant it`));
    expect(output).not.toContain("cluster-admin");
    expect((await kubectl(["get", "node", h1.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect(await bootstrapTokenSecrets()).toBe("");
  });

  test("scale-out with the identity, its rule given back: both hosts join, then the demo workload runs on them", async () => {
    const index = providerPolicyRules.findIndex((rule) => rule.resources?.includes("configmaps"));
    await kubectl(["patch", "clusterrole", name, "--type=json", "-p", JSON.stringify([{ op: "add", path: `/rules/${index}`, value: removedRule }])]);
    expect(await clusterRoleRules()).toEqual(providerPolicyRules.map((rule) => ({ ...rule })));
    const [h1, h2] = labHosts();
    entries = [entryFor(h1, { labels: e2eLabel }), entryFor(h2, { labels: e2eLabel })];
    await setConfig(stack.project, { nodes: entries, demoWorkload: { image: labClusterConfig().images.testApp, replicas: 2 } });

    const up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    // the two WorkerNodes, and the workload's Namespace, Deployment and PodDisruptionBudget
    expect(up.stdout).toMatch(/\+ 5 created/);
    for (const entry of entries) expect(await readyCondition(entry.name)).toBe("True");
    expect(await bootstrapTokenSecrets()).toBe("");
    const budget = await kubectlJson<{ spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } } }>(["get", "pdb", "web", "-n", demoNs]);
    expect(budget.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { app: "web" } } });
    // @pulumi/kubernetes waited for the rollout: its pods run, on the nodes this stack joined.
    await webReady(demoNs, 2);
    const pods = await kubectlJson<{ items: { spec: { nodeName?: string }; status: { phase?: string } }[] }>(["get", "pods", "-n", demoNs, "-l", "app=web"]);
    expect(pods.items.map((p) => p.status.phase)).toEqual(["Running", "Running"]);
    for (const pod of pods.items) expect(entries.map((e) => e.name)).toContain(pod.spec.nodeName);
  });

  test("scale-in with the identity: the departing node is drained through the Eviction API past the demo workload's PDB and removed", async () => {
    const [kept, removed] = entries;
    // The demo spreads its replicas one per node: the departing node has a pod to evict past the PDB
    // (without one this test would pass without the identity ever evicting anything).
    const before = await kubectlJson<{ items: { spec: { nodeName?: string } }[] }>(["get", "pods", "-n", demoNs, "-l", "app=web"]);
    expect(before.items.map((p) => p.spec.nodeName)).toContain(removed.name);
    await setConfig(stack.project, { nodes: [kept] });

    const up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    expect(up.stdout).toMatch(/- 1 deleted/);
    expect((await kubectl(["get", "node", removed.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect((await labSsh(removed.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim()).toBe("reset");
    await webReady(demoNs, 2);
    const after = await kubectlJson<{ items: { spec: { nodeName?: string } }[] }>(["get", "pods", "-n", demoNs, "-l", "app=web"]);
    expect(after.items.map((p) => p.spec.nodeName)).toEqual([kept.name, kept.name]);
    entries = [kept];
  });

  test("pulumi destroy deletes the demo workload (Deployment, PDB, Namespace) before it starts on any WorkerNode", async () => {
    const destroyed = await stack.project.pulumiOk(["destroy", "--yes", "--skip-preview", "--json"], 600_000);

    // The engine's events in order: a step's start (resourcePreEvent) and its end (resOutputsEvent).
    const events = destroyed.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as EngineEvent);
    const step = (event: EngineEvent, kind: "resourcePreEvent" | "resOutputsEvent") => event[kind]?.metadata;
    const workloadDone = events.filter((e) => step(e, "resOutputsEvent")?.op === "delete" && /::kubernetes:(apps\/v1:Deployment|policy\/v1:PodDisruptionBudget|core\/v1:Namespace)::/.test(step(e, "resOutputsEvent")?.urn ?? ""));
    const workerStarts = events.filter((e) => step(e, "resourcePreEvent")?.op === "delete" && (step(e, "resourcePreEvent")?.urn ?? "").includes(":WorkerNode::"));
    expect(workloadDone.map((e) => step(e, "resOutputsEvent")?.urn.split("::").pop())).toEqual(expect.arrayContaining(["web", "demo"]));
    expect(workloadDone).toHaveLength(3);
    expect(workerStarts).toHaveLength(1);
    const lastWorkloadDeletion = Math.max(...workloadDone.map((e) => e.sequence));
    for (const start of workerStarts) expect(start.sequence).toBeGreaterThan(lastWorkloadDeletion);

    await waitFor(`namespace ${demoNs} gone`, async () => ((await kubectl(["get", "namespace", demoNs, "--ignore-not-found"])).stdout.trim() === "" ? true : undefined));
    expect((await kubectl(["get", "node", entries[0].name, "--ignore-not-found"])).stdout.trim()).toBe("");
    entries = [];
  });
});

interface EngineEvent {
  readonly sequence: number;
  readonly resourcePreEvent?: { readonly metadata: { readonly op: string; readonly urn: string } };
  readonly resOutputsEvent?: { readonly metadata: { readonly op: string; readonly urn: string } };
}
