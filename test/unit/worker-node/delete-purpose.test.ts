import { DeletePurposes, replacingChanges } from "../../../providers/worker-node/delete-purpose";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";

/** A node joined with nodeName unset (it resolved to the hostname) through 10.213.0.1:6443. */
const recorded = {
  nodeName: "lab-host-1",
  apiServerEndpoint: "10.213.0.1:6443",
  connection: { host: "10.213.0.11", privateKey: "k" },
  cluster: { kubeconfig: "clusters: []", apiServerEndpoint: "10.213.0.1:6443" },
  joinInputs: { joinTimeout: "3m" },
} as unknown as WorkerNodeOutputs;

const inputs = {
  connection: { host: "10.213.0.11", privateKey: "k" },
  cluster: { kubeconfig: "clusters: []", apiServerEndpoint: "10.213.0.1:6443" },
  joinTimeout: "3m",
} as unknown as WorkerNodeInputs;

const changed = (change: (i: Record<string, any>) => void): WorkerNodeInputs => {
  const copy = structuredClone(inputs) as unknown as Record<string, any>;
  change(copy);
  return copy as unknown as WorkerNodeInputs;
};

describe("replacingChanges: the inputs replaceOnChanges names that the new inputs change", () => {
  test.each([
    ["nothing changed", inputs, []],
    ["a label (an update)", changed((i) => (i.labels = { tier: "db" })), []],
    ["kubernetesVersion (an in-place upgrade)", changed((i) => (i.kubernetesVersion = "1.36.4")), []],
    ["the SSH port (same host)", changed((i) => (i.connection.port = 2222)), []],
    ["another host", changed((i) => (i.connection.host = "10.213.0.12")), ["connection.host"]],
    ["a node name where it was unset", changed((i) => (i.nodeName = "web-1")), ["nodeName"]],
    ["a new API endpoint", changed((i) => (i.cluster.apiServerEndpoint = "kubernetes:6443")), ["cluster.apiServerEndpoint"]],
    ["the endpoint unset where it was set", changed((i) => delete i.cluster.apiServerEndpoint), ["cluster.apiServerEndpoint"]],
    ["all three", changed((i) => ((i.connection.host = "h"), (i.nodeName = "n"), (i.cluster.apiServerEndpoint = "e:6443"))), ["connection.host", "nodeName", "cluster.apiServerEndpoint"]],
  ])("%s", (_what, news, expected) => {
    expect(replacingChanges(recorded, news)).toEqual(expected);
  });

  test("the endpoint set to the one recorded at join, where the input was unset, is no change", () => {
    const unset = { ...recorded, cluster: { kubeconfig: "clusters: []" } } as unknown as WorkerNodeOutputs;
    expect(replacingChanges(unset, inputs)).toEqual([]);
  });
});

describe("DeletePurposes: what a delete is for, from the diff the engine ran before it in this process", () => {
  test("a delete whose diff changed a replacing input is a replacement; any other delete a removal", () => {
    const purposes = new DeletePurposes();
    purposes.noteDiff("web-1", recorded, changed((i) => (i.cluster.apiServerEndpoint = "kubernetes:6443")));
    purposes.noteDiff("web-2", recorded, changed((i) => (i.labels = { tier: "db" })));
    expect(purposes.purposeOf("web-1")).toBe("replace");
    expect(purposes.purposeOf("web-2")).toBe("remove");
    expect(purposes.purposeOf("web-3")).toBe("remove"); // its entry removed: no diff at all
  });

  test("a later diff of the same resource that no longer replaces it wins", () => {
    const purposes = new DeletePurposes();
    purposes.noteDiff("web-1", recorded, changed((i) => (i.nodeName = "renamed")));
    purposes.noteDiff("web-1", recorded, inputs);
    expect(purposes.purposeOf("web-1")).toBe("remove");
  });
});
