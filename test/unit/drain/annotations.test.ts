import { drainAnnotations, joinBlockers, maxBlockersBytes } from "../../../providers/drain/annotations";

describe("drainAnnotations", () => {
  test("records the phase and the blockers", () => {
    expect(drainAnnotations("blocked", ["web/cache-0 (emptyDir)", "default/debug (no controller)"])).toEqual({
      "kubeadm-workers.io/drain-phase": "blocked",
      "kubeadm-workers.io/drain-blockers": "web/cache-0 (emptyDir); default/debug (no controller)",
    });
  });

  test("removes a stale blocker list when nothing blocks", () => {
    expect(drainAnnotations("evicting", [])).toEqual({
      "kubeadm-workers.io/drain-phase": "evicting",
      "kubeadm-workers.io/drain-blockers": null,
    });
  });

  test("stays within the size limit however many pods block", () => {
    // GIVEN 1000 blockers, far more than fit
    const blockers = Array.from({ length: 1000 }, (_, i) => `web/api-${i} (PDB web/api-pdb allows 0 disruptions)`);
    const value = drainAnnotations("timed-out", blockers)["kubeadm-workers.io/drain-blockers"]!;
    // THEN it is cut at a whole blocker and says how many were left out
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(maxBlockersBytes);
    const kept = Number(/; \.\.\. and (\d+) more$/.exec(value)?.[1]);
    expect(value.split("; ").length - 1 + kept).toBe(1000);
    expect(value.startsWith("web/api-0 (PDB web/api-pdb allows 0 disruptions); web/api-1 ")).toBe(true);
  });
});

describe("joinBlockers", () => {
  test.each([
    { description: "everything when it fits", blockers: ["aa", "bb"], limit: 6, text: "aa; bb" },
    {
      description: "the whole blockers that fit and a count",
      blockers: ["aaaa", "bbbb", "cccc", "dddd", "eeee"],
      limit: 26,
      text: "aaaa; bbbb; ... and 3 more",
    },
    {
      description: "one whole blocker and a count",
      blockers: ["aaaa", "bbbb", "cccc", "dddd", "eeee"],
      limit: 21,
      text: "aaaa; ... and 4 more",
    },
    {
      description: "a cut first blocker when even that is too long",
      blockers: ["abcdefghijklmnopqrstuvwxyz", "x"],
      limit: 20,
      text: "abcde ... and 1 more",
    },
    {
      description: "the start of the count when the limit is absurdly small",
      blockers: ["abc", "def"],
      limit: 5,
      text: "... a",
    },
    { description: "a cut single blocker", blockers: ["abcdefghij"], limit: 8, text: "abcd ..." },
    { description: "no split inside a multi-byte character", blockers: ["ééééé"], limit: 8, text: "éé ..." },
  ])("keeps $description", ({ blockers, limit, text }) => {
    const joined = joinBlockers(blockers, limit);
    expect(joined).toBe(text);
    expect(Buffer.byteLength(joined)).toBeLessThanOrEqual(limit);
  });
});
