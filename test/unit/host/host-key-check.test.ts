import { refuseChangedHostKey } from "../../../providers/host/host-key-check";
import { SshError } from "../../../providers/host/ssh-error";
import type { RemoteShell } from "../../../providers/host/ssh-session";

const connection = { host: "10.0.0.21", hostKey: "SHA256:pinned" };

function opening(outcome: "ok" | SshError, closed: string[]) {
  return () =>
    outcome === "ok"
      ? Promise.resolve({ address: "10.0.0.21:22", hostKey: "k", bastionHostKey: "b", close: () => Promise.resolve(void closed.push("closed")) } as unknown as RemoteShell)
      : Promise.reject(outcome);
}

describe("refuseChangedHostKey", () => {
  test("refuses a host that presents another key, naming the operation and both fingerprints", async () => {
    const mismatch = new SshError("host key of 10.0.0.21:22 does not match the pinned key: expected SHA256:old, got SHA256:new.", "HOST_KEY_MISMATCH");
    const error = await refuseChangedHostKey(connection, opening(mismatch, []), "delete of worker web-1").catch((e: unknown) => e);
    expect((error as SshError).code).toBe("HOST_KEY_MISMATCH");
    expect((error as Error).message).toBe(`delete of worker web-1 refused, nothing was changed: ${mismatch.message}`);
  });

  test("lets an unreachable host through: delete still removes the Node of a host that is gone", async () => {
    await expect(refuseChangedHostKey(connection, opening(new SshError("could not connect", "CONNECT_FAILED"), []), "delete")).resolves.toBeUndefined();
  });

  test("closes the session of a host whose key matches, after one dial", async () => {
    const closed: string[] = [];
    const dialled: unknown[] = [];
    const open = opening("ok", closed);
    await refuseChangedHostKey(connection, (c) => (dialled.push(c), open()), "update");
    expect(closed).toEqual(["closed"]);
    expect(dialled).toEqual([{ ...connection, dialErrorLimit: 1 }]);
  });

  test("returns the keys the host and its bastion presented, so an update pins the connection it makes next to them", async () => {
    await expect(refuseChangedHostKey(connection, opening("ok", []), "update")).resolves.toEqual({ hostKey: "k", bastionHostKey: "b" });
  });
});
