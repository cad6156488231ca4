import { scriptOf, summarize } from "../../../bench/support/profile-summary";

test.each([
  ["file:///p/node_modules/@pulumi/pulumi/runtime/rpc.js", "@pulumi/pulumi"],
  ["file:///p/node_modules/google-protobuf/google-protobuf.js", "google-protobuf"],
  ["file:///p/node_modules/kubeadm-workers/node_modules/@kubernetes/client-node/dist/gen/index.js", "@kubernetes/client-node"],
  ["file:///work/main/dist/providers/worker-node/validate.js", "providers/worker-node/validate.js"],
  ["node:internal/modules/cjs/loader", "node:internal"],
  ["", "(native / idle / gc)"],
])("%s is counted under %s", (url, script) => {
  expect(scriptOf(url)).toBe(script);
});

test("self time is summed per script and per function", () => {
  const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: id } });
  const text = summarize([{
    nodes: [frame(1, "", ""), frame(2, "check", "file:///w/dist/providers/worker-node/check.js"), frame(3, "decode", "file:///p/node_modules/google-protobuf/x.js")],
    samples: [2, 3, 3, 1],
    timeDeltas: [4000, 1000, 2000, 500],
    startTime: 0,
    endTime: 8000,
  }]);
  expect(text).toBe(
    [
      "8 ms profiled; self time by script:",
      "        4 ms  providers/worker-node/check.js",
      "        3 ms  google-protobuf",
      "        1 ms  (native / idle / gc)",
      "by function:",
      "        4 ms  check providers/worker-node/check.js:3",
      "        3 ms  decode google-protobuf:4",
      "        1 ms  (anonymous) (native / idle / gc):2",
    ].join("\n"),
  );
});
