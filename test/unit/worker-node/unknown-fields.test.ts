import { resolveDrainOptions } from "../../../providers/drain/options";
import { validateWorkerNodeInputs } from "../../../providers/worker-node/validate";

// A WorkerNode built directly in a user's own program (JavaScript, or TypeScript past a cast) can
// carry a property the provider does not know: its check refuses it at preview, naming it and the
// known name it is closest to, instead of dropping it without a word.
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const base = { connection: { host: "10.213.0.11", privateKey }, cluster: {} };

const reasonFor = (inputs: Record<string, unknown>, property: string): string | undefined =>
  validateWorkerNodeInputs({ ...base, ...inputs }).find((f) => f.property === property)?.reason;

describe("the provider's check refuses an unknown input property, suggesting the closest known name", () => {
  test.each([
    ["lables", { lables: { tier: "web" } }, "labels"],
    ["NodeName", { NodeName: "web-1" }, "nodeName"],
    ["taint", { taint: [] }, "taints"],
    ["kubernetesversion", { kubernetesversion: "1.36.3" }, "kubernetesVersion"],
    ["connection.hots", { connection: { ...base.connection, hots: "x" } }, "host"],
    ["connection.proxy.privatekey", { connection: { ...base.connection, proxy: { host: "b", privateKey, privatekey: "x" } } }, "privateKey"],
    ["packages.aptRepo", { packages: { aptRepo: "http://m/" } }, "aptRepository"],
    ["containerd.sandboxImg", { containerd: { sandboxImg: "pause:3.10" } }, "sandboxImage"],
    ["kubeadm.ignorePreflightError", { kubeadm: { ignorePreflightError: ["Swap"] } }, "ignorePreflightErrors"],
    ["taints[0].efect", { taints: [{ key: "k", effect: "NoSchedule", efect: "NoSchedule" }] }, "effect"],
  ])("%s", (property, inputs, closest) => {
    expect(reasonFor(inputs, property)).toMatch(new RegExp(`^is not a WorkerNode input; did you mean "${closest}"\\? \\(known here: `));
  });

  test("a name close to none is refused with the known names only", () => {
    expect(reasonFor({ colour: "blue" }, "colour")).toMatch(/^is not a WorkerNode input \(known here: connection, cluster, nodeName, /);
  });

  test("an unknown drain option suggests the closest one", () => {
    expect(resolveDrainOptions({ timeout: 60, deleteEmptydirData: true, color: 1 })).toEqual({
      ok: false,
      failures: [
        expect.stringMatching(/^drain\.color is not a drain option \(known: /),
        expect.stringMatching(/^drain\.deleteEmptydirData is not a drain option; did you mean "deleteEmptyDirData"\? \(known: /),
        expect.stringMatching(/^drain\.timeout is not a drain option; did you mean "timeoutSeconds"\? \(known: /),
      ],
    });
  });
});
