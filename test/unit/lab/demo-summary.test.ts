import { demoRows, demoTable } from "../../../lab/demo-summary";

// What the demo's two `pulumi up`s print (non-interactive), trimmed to the lines that matter.
const scaleOut = [
  " +  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-1 creating (0s) ",
  " +  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-1 created (12s) ",
  " +  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-2 created (9s) ",
  " +  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-3 created (10s) ",
].join("\n");
const scaleIn = [
  "    pulumi:pulumi:Stack kubeadm-workers-lab running lab-host-3: evicted 1/3 pods (waiting on PodDisruptionBudget demo/web)",
  "    pulumi:pulumi:Stack kubeadm-workers-lab running lab-host-3: evicted 3/3 pods",
  " -  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-3 deleted (41s) ",
].join("\n");

describe("the demo's summary", () => {
  test("a node joined then removed is reported removed, with its drain's pods and the delete's seconds; the others joined", () => {
    expect(demoRows(["lab-host-1", "lab-host-2", "lab-host-3"], `${scaleOut}\n${scaleIn}`)).toEqual([
      { node: "lab-host-1", action: "joined", podsMoved: 0, seconds: 12 },
      { node: "lab-host-2", action: "joined", podsMoved: 0, seconds: 9 },
      { node: "lab-host-3", action: "drained and removed", podsMoved: 3, seconds: 41 },
    ]);
  });

  test("a node no up touched is unchanged; a name is matched whole, not as a prefix of another", () => {
    const other = " +  pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode lab-host-10 created (7s) \n    lab-host-10: evicted 2/2 pods";
    expect(demoRows(["lab-host-1", "lab-host-10"], other)).toEqual([
      { node: "lab-host-1", action: "unchanged", podsMoved: 0 },
      { node: "lab-host-10", action: "joined", podsMoved: 2, seconds: 7 },
    ]);
  });

  test("prints a markdown table", () => {
    expect(demoTable([{ node: "a", action: "unchanged", podsMoved: 0 }])).toBe("| node | action | pods moved | seconds |\n| --- | --- | --- | --- |\n| a | unchanged | 0 | — |");
  });
});
