import { selects, type LabelSelector } from "../../../providers/drain/label-selector";

describe("selects (metav1.LabelSelector)", () => {
  const labels = { app: "web", tier: "front" };
  test.each<[string, LabelSelector | undefined, boolean]>([
    ["absent selector selects nothing", undefined, false],
    ["empty selector selects everything", {}, true],
    ["matchLabels equal", { matchLabels: { app: "web" } }, true],
    ["matchLabels differ", { matchLabels: { app: "api" } }, false],
    ["In", { matchExpressions: [{ key: "tier", operator: "In", values: ["front", "back"] }] }, true],
    ["NotIn", { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, false],
    ["NotIn on a missing key", { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    ["Exists", { matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    ["labels and expressions are ANDed", { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] }, false],
  ])("%s", (_description, selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});
