import { refusalOf, tolerates } from "../../../providers/drain/node-match";
import type { ClusterNode, NodeSelectorTerm, PodSchedulingSpec, Taint, Toleration } from "../../../providers/drain/types";
import { node } from "./builders";

const gpuTaint: Taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };

describe("tolerates", () => {
  test.each<{ description: string; toleration: Toleration; taint: Taint; expected: boolean }>([
    {
      description: "Exists with no key tolerates any taint",
      toleration: { operator: "Exists" },
      taint: gpuTaint,
      expected: true,
    },
    {
      description: "Exists with no key and an effect tolerates that effect",
      toleration: { operator: "Exists", effect: "NoSchedule" },
      taint: gpuTaint,
      expected: true,
    },
    {
      description: "Exists with no key and another effect does not",
      toleration: { operator: "Exists", effect: "NoExecute" },
      taint: gpuTaint,
      expected: false,
    },
    {
      description: "Exists on the key ignores the value",
      toleration: { key: "dedicated", operator: "Exists" },
      taint: gpuTaint,
      expected: true,
    },
    {
      description: "Exists on another key does not",
      toleration: { key: "other", operator: "Exists" },
      taint: gpuTaint,
      expected: false,
    },
    {
      description: "Equal with the same value",
      toleration: { key: "dedicated", operator: "Equal", value: "gpu" },
      taint: gpuTaint,
      expected: true,
    },
    {
      description: "Equal with another value",
      toleration: { key: "dedicated", operator: "Equal", value: "db" },
      taint: gpuTaint,
      expected: false,
    },
    {
      description: "no operator means Equal",
      toleration: { key: "dedicated", value: "db" },
      taint: gpuTaint,
      expected: false,
    },
    {
      description: "an empty effect matches every effect",
      toleration: { key: "dedicated", value: "gpu", effect: "" },
      taint: gpuTaint,
      expected: true,
    },
    {
      description: "Equal without values on both sides",
      toleration: { key: "k" },
      taint: { key: "k", effect: "NoExecute" },
      expected: true,
    },
  ])("$description", ({ toleration, taint, expected }) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

describe("refusalOf", () => {
  const plain: PodSchedulingSpec = { phase: "Running", containers: [] };
  const withAffinity = (...terms: NodeSelectorTerm[]): PodSchedulingSpec => ({ ...plain, requiredNodeAffinity: terms });
  const labelled = node("n1", { labels: { zone: "a", gen: "5", disk: "ssd" } });

  test.each<{ description: string; pod: PodSchedulingSpec; node: ClusterNode; refusal: object | undefined }>([
    { description: "a plain pod fits a plain node", pod: plain, node: node("n1"), refusal: undefined },
    { description: "a NotReady node", pod: plain, node: node("n1", { ready: false }), refusal: { kind: "not-ready" } },
    {
      description: "a cordoned node",
      pod: plain,
      node: node("n1", { unschedulable: true }),
      refusal: { kind: "cordoned" },
    },
    {
      description: "a cordoned node takes a pod tolerating the unschedulable taint",
      pod: { ...plain, tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] },
      node: node("n1", { unschedulable: true }),
      refusal: undefined,
    },
    {
      description: "an untolerated NoSchedule taint",
      pod: plain,
      node: node("n1", { taints: [gpuTaint] }),
      refusal: { kind: "taint",
      taint: gpuTaint },
    },
    {
      description: "an untolerated NoExecute taint",
      pod: plain,
      node: node("n1", { taints: [{ key: "maintenance", effect: "NoExecute" }] }),
      refusal: { kind: "taint", taint: { key: "maintenance", effect: "NoExecute" } },
    },
    {
      description: "a PreferNoSchedule taint is only a preference",
      pod: plain,
      node: node("n1", { taints: [{ key: "soft", effect: "PreferNoSchedule" }] }),
      refusal: undefined,
    },
    {
      description: "a tolerated taint",
      pod: { ...plain, tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] },
      node: node("n1", { taints: [gpuTaint] }),
      refusal: undefined,
    },
    {
      description: "a matching nodeSelector",
      pod: { ...plain, nodeSelector: { disk: "ssd" } },
      node: labelled,
      refusal: undefined,
    },
    {
      description: "a nodeSelector with another value",
      pod: { ...plain, nodeSelector: { disk: "hdd" } },
      node: labelled,
      refusal: { kind: "node-selector", label: "disk=hdd" },
    },
    {
      description: "a nodeSelector on a missing label",
      pod: { ...plain, nodeSelector: { gpu: "true" } },
      node: labelled,
      refusal: { kind: "node-selector", label: "gpu=true" },
    },
    {
      description: "affinity In matches",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "affinity In does not match",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "affinity NotIn on a missing label matches",
      pod: withAffinity({ matchExpressions: [{ key: "gpu", operator: "NotIn", values: ["true"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "affinity NotIn on the label's value",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "affinity Exists",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "Exists" }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "affinity DoesNotExist on a present label",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "affinity Gt compares integers",
      pod: withAffinity({ matchExpressions: [{ key: "gen", operator: "Gt", values: ["4"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "affinity Lt compares integers, not text",
      pod: withAffinity({ matchExpressions: [{ key: "gen", operator: "Lt", values: ["10"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "affinity Gt on a non-integer label",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "Gt", values: ["1"] }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "expressions of a term are ANDed",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }, { key: "disk", operator: "In", values: ["hdd"] }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "terms are ORed",
      pod: withAffinity({ matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] }, { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "an empty term matches no node",
      pod: withAffinity({}),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
    {
      description: "matchFields on metadata.name",
      pod: withAffinity({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }),
      node: labelled,
      refusal: undefined,
    },
    {
      description: "matchFields on another name",
      pod: withAffinity({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n2"] }] }),
      node: labelled,
      refusal: { kind: "node-affinity" },
    },
  ])("$description", ({ pod, node: candidate, refusal }) => {
    expect(refusalOf(pod, candidate)).toEqual(refusal);
  });
});
