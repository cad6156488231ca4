import { abandonedScaleInPatch, cordonPatch, hasDrainState, leavingMarkPatch, roomCandidates, scaleInSteps } from "../../../providers/drain/scale-in";
import { node } from "./builders";

const phase = (value: string) => ({ "kubeadm-workers.io/drain-phase": value });
const labelled = { labels: { "kubeadm-workers.io/draining": "true" } };
const unlabelled = { labels: { "kubeadm-workers.io/draining": null } };

describe("scale-in order", () => {
  test("the node is cordoned only after the slot is taken, and the slot released last", () => {
    expect(scaleInSteps.indexOf("take-slot")).toBeLessThan(scaleInSteps.indexOf("cordon"));
    expect(scaleInSteps.indexOf("mark-leaving")).toBeLessThan(scaleInSteps.indexOf("take-slot"));
    expect(scaleInSteps.at(-1)).toBe("release-slot");
  });
});

describe("roomCandidates: what counts as room for the evicted pods", () => {
  test.each([
    { description: "the drained node itself never", nodes: [node("a"), node("b")], draining: "a", room: ["b"] },
    { description: "a node waiting for its own drain slot (schedulable, leaving) is no room", nodes: [node("a"), node("b", { annotations: phase("waiting-for-slot") }), node("c")], draining: "a", room: ["c"] },
    {
      description: "a node waiting for its slot to be upgraded in place (schedulable, coming back) is room",
      nodes: [node("a"), node("b", { annotations: { ...phase("waiting-for-slot"), "kubeadm-workers.io/drain-purpose": "upgrade" } }), node("c")],
      draining: "a",
      room: ["b", "c"],
    },
    {
      description: "a node waiting for its slot to be replaced (drained, removed, joined again in this up) is room",
      nodes: [node("a"), node("b", { annotations: { ...phase("waiting-for-slot"), "kubeadm-workers.io/drain-purpose": "replace" } }), node("c")],
      draining: "a",
      room: ["b", "c"],
    },
    {
      description: "a node waiting for its slot with a purpose this version does not know is no room (it may be leaving)",
      nodes: [node("a"), node("b", { annotations: { ...phase("waiting-for-slot"), "kubeadm-workers.io/drain-purpose": "retire" } })],
      draining: "a",
      room: [],
    },
    {
      description: "a node waiting for its slot to be removed is no room, whatever else it carries",
      nodes: [node("a"), node("b", { annotations: { ...phase("waiting-for-slot"), "kubeadm-workers.io/drain-purpose": "remove" } })],
      draining: "a",
      room: [],
    },
    { description: "a node another drain cordoned is no room", nodes: [node("a"), node("b", { unschedulable: true, annotations: phase("evicting") }), node("c")], draining: "a", room: ["c"] },
    { description: "a node cordoned by someone else stays a candidate (the capacity check skips it as cordoned)", nodes: [node("a"), node("b", { unschedulable: true })], draining: "a", room: ["b"] },
    { description: "unrelated annotations do not matter", nodes: [node("a"), node("b", { annotations: { "example.com/x": "1" } })], draining: "a", room: ["b"] },
  ])("$description", ({ nodes, draining, room }) => {
    expect(roomCandidates(nodes, draining).map((n) => n.name)).toEqual(room);
  });
});

describe("cordonPatch", () => {
  test.each([
    {
      description: "a fresh drain of a schedulable node: cordon, phase, stale drain state dropped",
      node: { unschedulable: false, annotations: phase("waiting-for-slot") },
      patch: { unschedulable: true, ...labelled, annotations: { "kubeadm-workers.io/drain-phase": "cordoned", "kubeadm-workers.io/drain-blockers": null, "kubeadm-workers.io/drain-owners": null, "kubeadm-workers.io/cordoned-before-drain": null } },
    },
    {
      description: "a node someone else cordoned: noted, so giving it back keeps their cordon",
      node: { unschedulable: true, annotations: {} },
      patch: { unschedulable: true, ...labelled, annotations: { "kubeadm-workers.io/drain-phase": "cordoned", "kubeadm-workers.io/drain-blockers": null, "kubeadm-workers.io/drain-owners": null, "kubeadm-workers.io/cordoned-before-drain": "true" } },
    },
    {
      description: "a resumed drain (timed out before) keeps its recorded owners and notes",
      node: { unschedulable: true, annotations: { ...phase("timed-out"), "kubeadm-workers.io/drain-owners": "[]" } },
      patch: { unschedulable: true, ...labelled, annotations: { "kubeadm-workers.io/drain-phase": "cordoned" } },
    },
  ])("$description", ({ node: given, patch }) => {
    expect(cordonPatch(given)).toEqual(patch);
  });
});

describe("abandonedScaleInPatch: the entry came back", () => {
  const cleared = { "kubeadm-workers.io/drain-phase": null, "kubeadm-workers.io/drain-blockers": null, "kubeadm-workers.io/drain-owners": null, "kubeadm-workers.io/cordoned-before-drain": null, "kubeadm-workers.io/drain-purpose": null };
  test.each<{ description: string; node: { unschedulable: boolean; labels?: Record<string, string>; annotations: Record<string, string> }; patch: object | undefined }>([
    { description: "no drain of ours: nothing", node: { unschedulable: false, annotations: {} }, patch: undefined },
    { description: "our label left alone by a finished upgrade: the label removed, nothing else", node: { unschedulable: false, labels: { "kubeadm-workers.io/draining": "true" }, annotations: {} }, patch: unlabelled },
    { description: "cordoned by someone else, only our label left: the label removed, their cordon kept", node: { unschedulable: true, labels: { "kubeadm-workers.io/draining": "true" }, annotations: {} }, patch: unlabelled },
    { description: "cordoned by someone else, no drain of ours: left alone", node: { unschedulable: true, annotations: {} }, patch: undefined },
    { description: "drain timed out with our cordon: uncordoned, state removed", node: { unschedulable: true, annotations: phase("timed-out") }, patch: { unschedulable: false, ...unlabelled, annotations: cleared } },
    { description: "slot wait timed out (never cordoned): state removed", node: { unschedulable: false, annotations: phase("waiting-for-slot") }, patch: { ...unlabelled, annotations: cleared } },
    {
      description: "an upgrade that uncordoned but left the owners list: the list is removed",
      node: { unschedulable: false, annotations: { "kubeadm-workers.io/drain-owners": "[]" } },
      patch: { ...unlabelled, annotations: cleared },
    },
    {
      description: "their cordon from before our drain stays",
      node: { unschedulable: true, annotations: { ...phase("blocked"), "kubeadm-workers.io/cordoned-before-drain": "true" } },
      patch: { ...unlabelled, annotations: cleared },
    },
  ])("$description", ({ node: given, patch }) => {
    expect(abandonedScaleInPatch(given)).toEqual(patch);
  });
});

describe("the leaving mark and the label a preview finds it by", () => {
  test("marking a node leaving writes the phase, the purpose and our label, never a cordon", () => {
    expect(leavingMarkPatch("remove")).toEqual({ ...labelled, annotations: { "kubeadm-workers.io/drain-phase": "waiting-for-slot", "kubeadm-workers.io/drain-blockers": null, "kubeadm-workers.io/drain-purpose": "remove" } });
    expect(leavingMarkPatch("upgrade").unschedulable).toBeUndefined();
  });

  test.each<{ description: string; annotations: Record<string, string>; state: boolean }>([
    { description: "a drain phase", annotations: phase("timed-out"), state: true },
    { description: "an owners list alone", annotations: { "kubeadm-workers.io/drain-owners": "[]" }, state: true },
    { description: "another tool's annotations", annotations: { "example.com/x": "1" }, state: false },
    { description: "nothing", annotations: {}, state: false },
  ])("drain state of ours from $description: $state", ({ annotations, state }) => {
    expect(hasDrainState({ annotations })).toBe(state);
  });
});
