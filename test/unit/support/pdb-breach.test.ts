import { pdbBreaches, pdbStateOf, podStateOf, type PdbState, type PodState } from "../../support/pdb-breach";

const pdb = (over: Partial<PdbState> = {}): PdbState => ({ name: "web-pdb", selector: { matchLabels: { app: "web" } }, desiredHealthy: 2, currentHealthy: 2, observedGeneration: 1, ...over });
const pod = (name: string, over: Partial<PodState> = {}): PodState => ({ name, labels: { app: "web" }, ready: true, terminating: false, ...over });

describe("pdbBreaches", () => {
  test.each<[string, PdbState[], PodState[], RegExp[], string[]?]>([
    ["enough Ready pods and a healthy status", [pdb()], [pod("a"), pod("b"), pod("c")], []],
    ["exactly the desired count", [pdb()], [pod("a"), pod("b")], []],
    ["one Ready pod too few", [pdb()], [pod("a"), pod("b", { ready: false })], [/web-pdb: 1 Ready pods \(a\) < 2 desired \(status: 2 healthy\); not counted: b not Ready yet$/]],
    ["a terminating pod no longer counts, even while Ready", [pdb()], [pod("a"), pod("b", { terminating: true })], [/1 Ready pods \(a\) < 2 desired \(status: 2 healthy\); not counted: b terminating$/]],
    ["pods another selector picks do not count", [pdb()], [pod("a"), pod("b", { labels: { app: "api" } })], [/1 Ready pods/]],
    ["a status lower than the pods show (the controller's cache after an API server restart) is not a breach: it only holds evictions back", [pdb({ currentHealthy: 1 })], [pod("a"), pod("b")], []],
    ["no pod at all", [pdb({ currentHealthy: 0 })], [], [/0 Ready pods \(none\) < 2 desired \(status: 0 healthy\)$/]],
    ["a PDB the controller has not looked at yet is not judged", [pdb({ observedGeneration: undefined, currentHealthy: 0 })], [], []],
    ["an empty selector selects every pod", [pdb({ selector: {} })], [pod("a", { labels: {} }), pod("b", { labels: { x: "y" } })], []],
    ["a pod that was Ready and failed its probe, not deleted, is involuntary: no breach either way", [pdb({ currentHealthy: 1 })], [pod("a"), pod("b", { ready: false })], [], ["b"]],
    [
      "a shortfall that remains with the probe failures counted is a breach",
      [pdb({ desiredHealthy: 3, currentHealthy: 1 })],
      [pod("a"), pod("b", { ready: false }), pod("c", { terminating: true })],
      [/1 Ready pods \(a\) < 3 desired \(status: 1 healthy\); not counted: b not Ready \(its probe\), c terminating$/],
      ["b", "c"],
    ],
    [
      "a replacement never yet Ready excuses nothing: evicting before it is Ready breaks the budget",
      [pdb({ currentHealthy: 1 })],
      [pod("a"), pod("b2", { ready: false }), pod("b", { terminating: true })],
      [/1 Ready pods \(a\) < 2 desired \(status: 1 healthy\); not counted: b terminating, b2 not Ready yet$/],
      ["a", "b"],
    ],
  ])("%s", (_what, pdbs, pods, expected, everReady = []) => {
    const breaches = pdbBreaches(pdbs, pods, new Set(everReady));
    expect(breaches).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(breaches[i]).toMatch(re));
  });

  test("reads the fields from API objects", () => {
    expect(podStateOf({ metadata: { name: "p", labels: { app: "web" }, deletionTimestamp: "2026-01-01T00:00:00Z" }, status: { conditions: [{ type: "Ready", status: "True" }] } })).toEqual({
      name: "p",
      labels: { app: "web" },
      ready: true,
      terminating: true,
    });
    expect(podStateOf({ metadata: { name: "q" } })).toEqual({ name: "q", labels: {}, ready: false, terminating: false });
    expect(pdbStateOf({ metadata: { name: "b" }, spec: { selector: { matchLabels: { app: "web" } } }, status: { desiredHealthy: 3, currentHealthy: 4, observedGeneration: 2 } })).toEqual({
      name: "b",
      selector: { matchLabels: { app: "web" } },
      desiredHealthy: 3,
      currentHealthy: 4,
      observedGeneration: 2,
    });
  });
});
