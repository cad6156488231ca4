import type { ConnectionInputs } from "../worker-node/inputs";
import type { PresentedHostKeys } from "./pinned-connection";
import { SshError } from "./ssh-error";
import type { RemoteShell } from "./ssh-session";

export type OpenSession = (connection: ConnectionInputs, options: { secrets?: readonly string[] }) => Promise<RemoteShell>;

/**
 * Refuses, before anything is touched, a host (or bastion) that answers with another key than the
 * one pinned or recorded for it: update and delete call this first, so a re-keyed host (reinstalled,
 * or someone in the middle) stops the whole operation instead of half of it. A host that does not
 * answer at all is not refused here: delete must still drain and remove the Node of a host that is
 * gone, and says so when it skips the reset. One dial, no retries: a host that does not answer is
 * the caller's to handle, and a gone host should not cost the delete its dial retries twice.
 * Returns the keys met (undefined when the host did not answer): a hop met here for the first time
 * (a new bastion) must present the same key to the caller's next connection.
 */
export async function refuseChangedHostKey(connection: ConnectionInputs, openSession: OpenSession, operation: string): Promise<PresentedHostKeys | undefined> {
  let shell: RemoteShell;
  try {
    shell = await openSession({ ...connection, dialErrorLimit: 1 }, {});
  } catch (error) {
    if (error instanceof SshError && error.code === "HOST_KEY_MISMATCH") {
      throw new SshError(`${operation} refused, nothing was changed: ${error.message}`, "HOST_KEY_MISMATCH", { cause: error });
    }
    return undefined;
  }
  await shell.close();
  return { hostKey: shell.hostKey, ...(shell.bastionHostKey !== undefined ? { bastionHostKey: shell.bastionHostKey } : {}) };
}
