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

/**
 * The connection an update makes: a key given now is a deliberate re-pin; otherwise each hop must
 * present the key recorded for it (a bastion's only while it is the same bastion: another one
 * is met for the first time).
 */
export function withRecordedHostKeys(connection: ConnectionInputs, recorded: ConnectionInputs): ConnectionInputs {
  const { proxy } = connection;
  const recordedBastionKey = proxy && sameEndpoint(proxy, recorded.proxy) ? recorded.proxy?.hostKey : undefined;
  return {
    ...connection,
    hostKey: connection.hostKey ?? recorded.hostKey,
    ...(proxy ? { proxy: { ...proxy, hostKey: proxy.hostKey ?? recordedBastionKey } } : {}),
  };
}
