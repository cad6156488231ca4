import * as pulumi from "@pulumi/pulumi";
import { WorkerNode } from "../../../providers/worker-node/resource";

void pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs as Record<string, unknown> }), call: (a) => a.inputs as Record<string, unknown> }, "p", "s", true);

/** The stack traces V8 formats while `build` runs, as the number of frames in each. */
function traceFrames(build: () => void): number[] {
  const frames: number[] = [];
  const previous = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
  Error.prepareStackTrace = (error, callSites) => {
    frames.push(callSites.length);
    return String(error);
  };
  try {
    build();
  } finally {
    if (previous) Object.defineProperty(Error, "prepareStackTrace", previous);
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
  return frames;
}

/** Resolves once the mocked engine has registered it, so no SDK work outlives the test. */
const registered = (node: WorkerNode): Promise<string> => new Promise((resolve) => node.urn.apply(resolve));
const node = (name: string) => new WorkerNode(name, { connection: { host: "10.213.0.11", privateKey: pulumi.secret("k") }, cluster: {}, labels: {}, taints: [] });

describe("the SDK's per-promise stack traces while a WorkerNode is constructed", () => {
  const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
  });

  test("are skipped: only the resource's source position is traced, and the limit is restored", async () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const limit = Error.stackTraceLimit;
    let built: WorkerNode | undefined;
    const frames = traceFrames(() => (built = node("quiet")));
    await registered(built as WorkerNode);
    expect(frames.filter((n) => n > 0)).toHaveLength(1); // Resource.callsites, the source position
    expect(frames.length).toBeGreaterThan(20); // one per promise of the ~30 output properties
    expect(Error.stackTraceLimit).toBe(limit);
  });

  test("are kept when PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    let built: WorkerNode | undefined;
    const frames = traceFrames(() => (built = node("debugged")));
    await registered(built as WorkerNode);
    expect(frames.filter((n) => n > 0).length).toBeGreaterThan(20);
  });
});
