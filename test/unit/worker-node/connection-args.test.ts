import type { types as commandTypes } from "@pulumi/command";
import type { ConnectionArgs } from "../../../providers/worker-node/args";

// Compile-time proof (tsc runs before the tests): a connection written for @pulumi/command's
// remote.Command, proxy included, is a WorkerNode connection unchanged, and the other way round.
const forCommand: commandTypes.input.remote.ConnectionArgs = {
  host: "10.0.0.21",
  user: "root",
  privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
  hostKey: "SHA256:abc",
  perDialTimeout: 10,
  dialErrorLimit: 3,
  proxy: { host: "10.0.0.1", user: "jump", agentSocketPath: "/run/agent.sock", hostKey: "SHA256:def" },
};
const forWorkerNode: ConnectionArgs = forCommand;
const back: commandTypes.input.remote.ConnectionArgs = forWorkerNode;

test("a @pulumi/command connection is a WorkerNode connection", () => {
  expect(back).toBe(forCommand);
});
