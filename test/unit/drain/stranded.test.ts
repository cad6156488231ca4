import { strandedCordons } from "../../../providers/drain/stranded";

type Node = { name: string; unschedulable: boolean; annotations: Record<string, string> };
const ours = (name: string, phase: string, extra: Record<string, string> = {}): Node => ({
  name,
  unschedulable: true,
  annotations: { "kubeadm-workers.io/drain-phase": phase, "kubeadm-workers.io/drain-purpose": "remove", ...extra },
});

// A drain of ours that failed (refused, timed out, cut off) leaves its node cordoned and gives its
// slot back; the node still counts against drain.maxConcurrentDrains, or the next drain waiting in
// the same up cordons another node, and a run of failures cordons the whole cluster (issue 8).
describe("strandedCordons: nodes a drain of ours left cordoned without a slot", () => {
  test.each<{ description: string; nodes: Node[]; holder: string; live: string[]; stranded: string[] }>([
    { description: "a drain that timed out, its slot released", nodes: [ours("a", "timed-out")], holder: "b", live: [], stranded: ["a"] },
    { description: "a drain refused before any eviction (blocked)", nodes: [ours("a", "blocked")], holder: "b", live: [], stranded: ["a"] },
    { description: "a drain cut off while evicting (its up killed, its Lease expired)", nodes: [ours("a", "evicting")], holder: "b", live: [], stranded: ["a"] },
    { description: "an upgrade that failed after its drain", nodes: [ours("a", "waiting-for-replacements", { "kubeadm-workers.io/drain-purpose": "upgrade" })], holder: "b", live: [], stranded: ["a"] },
    { description: "the node asking for the slot itself (its drain resumes)", nodes: [ours("a", "timed-out")], holder: "a", live: [], stranded: [] },
    { description: "a node draining now, holding a live slot (counted by its Lease)", nodes: [ours("a", "evicting")], holder: "b", live: ["a"], stranded: [] },
    { description: "a node marked leaving but never cordoned (waiting for its slot)", nodes: [{ ...ours("a", "waiting-for-slot"), unschedulable: false }], holder: "b", live: [], stranded: [] },
    { description: "a node uncordoned by hand since (kubectl uncordon frees the slot)", nodes: [{ ...ours("a", "timed-out"), unschedulable: false }], holder: "b", live: [], stranded: [] },
    { description: "a node someone else cordoned before our drain (theirs, not our budget's)", nodes: [ours("a", "timed-out", { "kubeadm-workers.io/cordoned-before-drain": "true" })], holder: "b", live: [], stranded: [] },
    { description: "a node cordoned by someone else, no drain of ours", nodes: [{ name: "a", unschedulable: true, annotations: {} }], holder: "b", live: [], stranded: [] },
    { description: "several, in name order", nodes: [ours("c", "blocked"), ours("a", "timed-out"), ours("b", "evicting")], holder: "x", live: ["b"], stranded: ["a", "c"] },
  ])("$description", ({ nodes, holder, live, stranded }) => {
    expect(strandedCordons(nodes, holder, live).map((n) => n.name)).toEqual(stranded);
  });

  test("each names its phase, for the message that says what holds the budget", () => {
    expect(strandedCordons([ours("a", "timed-out")], "b", [])).toEqual([{ name: "a", phase: "timed-out" }]);
  });
});
