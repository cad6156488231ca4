import type { ConnectionInputs, SshEndpointInputs } from "../worker-node/inputs";

/** The host keys one login met: the target's and, through a bastion, the bastion's. */
export interface PresentedHostKeys {
  readonly hostKey: string;
  readonly bastionHostKey?: string;
}

/** The connection every later run makes: each hop pinned to the key it presented (or was pinned to). */
export function pinConnection(connection: ConnectionInputs, keys: PresentedHostKeys): ConnectionInputs {
  const { proxy } = connection;
  return {
    ...connection,
    hostKey: keys.hostKey,
    ...(proxy ? { proxy: { ...proxy, hostKey: keys.bastionHostKey ?? proxy.hostKey } } : {}),
  };
}

function sameEndpoint(a: SshEndpointInputs, b: SshEndpointInputs | undefined): boolean {
  return !!b && a.host === b.host && (a.port ?? 22) === (b.port ?? 22);
}

/** The key recorded for the connection's bastion: only while it is the same bastion (host and port). */
export function recordedBastionKeyFor(connection: ConnectionInputs, recorded: ConnectionInputs): string | undefined {
  return connection.proxy && sameEndpoint(connection.proxy, recorded.proxy) ? recorded.proxy?.hostKey : undefined;
}

/**
 * The connection an update makes: a key given now is a deliberate re-pin; otherwise each hop must
 * present the key recorded for it (a bastion's only while it is the same bastion: another one
 * is met for the first time).
 */
export function withRecordedHostKeys(connection: ConnectionInputs, recorded: ConnectionInputs): ConnectionInputs {
  const { proxy } = connection;
  const recordedBastionKey = recordedBastionKeyFor(connection, recorded);
  return {
    ...connection,
    hostKey: connection.hostKey ?? recorded.hostKey,
    ...(proxy ? { proxy: { ...proxy, hostKey: proxy.hostKey ?? recordedBastionKey } } : {}),
  };
}

/**
 * Holds a bastion that has no key pinned or recorded to the key an earlier dial of the same
 * operation met (the pre-update check's): trusted on first use once, not once per dial.
 */
export function withBastionKeyMet(connection: ConnectionInputs, bastionHostKey: string | undefined): ConnectionInputs {
  const { proxy } = connection;
  if (!proxy || proxy.hostKey !== undefined || bastionHostKey === undefined) return connection;
  return { ...connection, proxy: { ...proxy, hostKey: bastionHostKey } };
}
