import { cloneNodes } from "../../../bench/scenarios/preview";
import { median } from "../../../bench/stats";
import { requestKind } from "../../../bench/support/ours-drain";
import { markdownTable, medianCount, mergeRows, summarize, type BenchRow } from "../../../bench/table";

describe("median", () => {
  test.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])("of %j is %d", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  test("of nothing is refused", () => {
    expect(() => median([])).toThrow("median of no values");
  });
});

describe("summarize", () => {
  test("takes the medians of each side and of the per-pair ratios", () => {
    const row = summarize("drain (s)", [
      { ours: 10, peer: 20 },
      { ours: 30, peer: 20 },
      { ours: 12, peer: 40 },
    ], 41);
    expect(row).toEqual({ scenario: "drain (s)", ours: 12, peer: 20, ratio: 0.5, runs: 3, requests: 41 });
  });

  test("a scenario without runs is an error naming it", () => {
    expect(() => summarize("growth (s)", [])).toThrow('scenario "growth (s)" has no runs');
  });

  test("medianCount is whole, and null without counts", () => {
    expect(medianCount([40, 41])).toBe(41);
    expect(medianCount([])).toBeNull();
  });
});

const row = (scenario: string, ours: number): BenchRow => ({ scenario, ours, peer: 10, ratio: ours / 10, runs: 3, requests: null });

describe("markdownTable", () => {
  test("one line per row, the ratio with two decimals, no count as a dash", () => {
    expect(markdownTable([{ ...row("a (s)", 5), requests: 38 }, { ...row("b (s)", 123.4), requests: "40 / 44" }, row("c (MB)", 0.456)])).toBe(
      [
        "| scenario | ours (median) | peer (median) | median ratio | runs | API requests per run |",
        "| --- | --- | --- | --- | --- | --- |",
        "| a (s) | 5 | 10 | 0.50 | 3 | 38 |",
        "| b (s) | 123 | 10 | 12.34 | 3 | 40 / 44 |",
        "| c (MB) | 0.46 | 10 | 0.05 | 3 | — |",
      ].join("\n"),
    );
  });
});

describe("mergeRows", () => {
  test("a fresh row replaces the earlier one of its scenario in place; others stay; new ones go last", () => {
    const merged = mergeRows([row("a", 1), row("b", 2)], [row("b", 3), row("c", 4)]);
    expect(merged.map((r) => [r.scenario, r.ours])).toEqual([["a", 1], ["b", 3], ["c", 4]]);
  });
});

describe("requestKind", () => {
  test("one key per kind of call, names and query left out, watches marked", () => {
    expect(requestKind({ method: "POST", path: "/api/v1/namespaces/ns1/pods/app-1/eviction" })).toBe("POST /api/v1/namespaces/*/pods/*/eviction");
    expect(requestKind({ method: "GET", path: "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1" })).toBe("GET /api/v1/pods");
    expect(requestKind({ method: "GET", path: "/apis/policy/v1/namespaces/a/poddisruptionbudgets?watch=true" })).toBe("GET /apis/policy/v1/namespaces/*/poddisruptionbudgets (watch)");
  });
});

describe("cloneNodes", () => {
  const state = {
    deployment: {
      resources: [
        { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" },
        {
          urn: "urn:pulumi:s::p::kubeadm-workers:index:WorkerNode$pulumi-nodejs:dynamic:Resource::node-tpl",
          type: "pulumi-nodejs:dynamic:Resource",
          inputs: { connection: { host: "10.213.0.11" }, nodeName: "bench-node-tpl", other: "10.213.0.110" },
        },
      ],
    },
  };

  test("replaces the template by copies differing in name, host and Node name only", () => {
    const cloned = cloneNodes(state, "10.213.0.11", 2).deployment.resources as unknown[];
    expect(cloned).toEqual([
      state.deployment.resources[0],
      {
        urn: "urn:pulumi:s::p::kubeadm-workers:index:WorkerNode$pulumi-nodejs:dynamic:Resource::node-0",
        type: "pulumi-nodejs:dynamic:Resource",
        inputs: { connection: { host: "10.213.0.100" }, nodeName: "bench-node-0", other: "10.213.0.110" },
      },
      {
        urn: "urn:pulumi:s::p::kubeadm-workers:index:WorkerNode$pulumi-nodejs:dynamic:Resource::node-1",
        type: "pulumi-nodejs:dynamic:Resource",
        inputs: { connection: { host: "10.213.0.101" }, nodeName: "bench-node-1", other: "10.213.0.110" },
      },
    ]);
  });

  test("each copy is owned by its own resource name, as the resource stamps it (project/stack/name)", () => {
    const owned = {
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:s::p::kubeadm-workers:index:WorkerNode$pulumi-nodejs:dynamic:Resource::node-tpl",
            type: "pulumi-nodejs:dynamic:Resource",
            inputs: { owner: "p/s/node-tpl", nodeName: "bench-node-tpl" },
            outputs: { owner: "p/s/node-tpl", nodeName: "bench-node-tpl" },
          },
        ],
      },
    };
    const [copy] = cloneNodes(owned, "10.213.0.11", 1).deployment.resources as unknown as { inputs: { owner: string }; outputs: { owner: string } }[];
    expect(copy?.inputs.owner).toBe("p/s/node-0");
    expect(copy?.outputs.owner).toBe("p/s/node-0");
  });

  test("a state without the template is refused", () => {
    expect(() => cloneNodes({ deployment: { resources: [] } }, "10.213.0.11", 1)).toThrow("no resource named node-tpl");
  });
});
