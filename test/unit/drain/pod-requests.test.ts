import { podRequests } from "../../../providers/drain/pod-requests";
import type { Container, PodSchedulingSpec } from "../../../providers/drain/types";

const container = (name: string, cpu: string, memory: string, restartPolicy?: string): Container => ({
  name,
  requests: { cpu, memory },
  ...(restartPolicy ? { restartPolicy } : {}),
});

const spec = (changes: Partial<PodSchedulingSpec>): PodSchedulingSpec => ({ phase: "Running", containers: [], ...changes });

describe("podRequests", () => {
  test.each<{ description: string; pod: PodSchedulingSpec; cpu: bigint | undefined; memory: bigint | undefined }>([
    { description: "no requests at all", pod: spec({ containers: [{ name: "app" }] }), cpu: undefined, memory: undefined },
    {
      description: "app containers add up",
      pod: spec({ containers: [container("a", "100m", "64Mi"), container("b", "250m", "64Mi")] }),
      cpu: 350n,
      memory: 128n << 20n,
    },
    {
      description: "a bigger init container wins",
      pod: spec({ containers: [container("app", "100m", "64Mi")], initContainers: [container("init", "1", "1Gi")] }),
      cpu: 1000n,
      memory: 1n << 30n,
    },
    {
      description: "the maximum is taken per resource",
      pod: spec({ containers: [container("app", "2", "64Mi")], initContainers: [container("init", "100m", "1Gi")] }),
      cpu: 2000n,
      memory: 1n << 30n,
    },
    {
      description: "init containers run one after another, so only the largest counts",
      pod: spec({ containers: [container("app", "100m", "1Mi")], initContainers: [container("i1", "300m", "1Mi"), container("i2", "400m", "1Mi")] }),
      cpu: 400n,
      memory: 1n << 20n,
    },
    {
      description: "a sidecar runs next to the app containers",
      pod: spec({ containers: [container("app", "200m", "1Mi")], initContainers: [container("proxy", "100m", "1Mi", "Always")] }),
      cpu: 300n,
      memory: 2n << 20n,
    },
    {
      description: "an init container after a sidecar runs next to it",
      pod: spec({
        containers: [container("app", "200m", "1Mi")],
        initContainers: [container("proxy", "100m", "1Mi", "Always"), container("migrate", "250m", "1Mi")],
      }),
      cpu: 350n,
      memory: 2n << 20n,
    },
    {
      description: "an init container before a sidecar runs alone",
      pod: spec({
        containers: [container("app", "200m", "1Mi")],
        initContainers: [container("migrate", "500m", "1Mi"), container("proxy", "100m", "1Mi", "Always")],
      }),
      cpu: 500n,
      memory: 2n << 20n,
    },
    {
      description: "the pod overhead is added on top",
      pod: spec({ containers: [container("app", "200m", "1Mi")], overhead: { cpu: "250m", memory: "120Mi" } }),
      cpu: 450n,
      memory: 121n << 20n,
    },
  ])("$description", ({ pod, cpu, memory }) => {
    const requests = podRequests(pod);
    expect(requests.get("cpu")).toBe(cpu);
    expect(requests.get("memory")).toBe(memory);
  });

  test("keeps extended resources in whole units", () => {
    const requests = podRequests(spec({ containers: [{ name: "gpu", requests: { "nvidia.com/gpu": "2" } }] }));
    expect([...requests]).toEqual([["nvidia.com/gpu", 2n]]);
  });
});
