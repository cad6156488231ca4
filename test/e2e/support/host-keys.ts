import { fingerprintOf, parseHostKey } from "../../../providers/host/host-key";
import { openSession } from "../../../providers/host/ssh-session";
import { labPrivateKey, labSsh, type LabHost } from "../../integration/support/lab";

const backup = "/root/kw-host-keys-backup";

// Each lab host's sshd is the `sshd -D` that tini (PID 1 of the host) runs: SIGHUP makes it re-exec
// itself in place, same PID, reading the host keys again (lab/hosts/guest/lab-init).
const reloadSshd = `pid=$(cat /run/sshd.pid 2>/dev/null || ps -eo pid=,ppid=,comm= | awk '$2 == 1 && $3 == "sshd" { print $1 }'); kill -HUP "$pid"`;

export function fingerprint(keyLine: string): string {
  return fingerprintOf(parseHostKey(keyLine).blob);
}

/** The Ed25519 key the host presents now (no pin: what a first connection records). */
async function presentedKey(host: LabHost): Promise<string> {
  const shell = await openSession({ host: host.address, port: host.port, user: "root", privateKey: labPrivateKey() });
  await shell.close();
  return shell.hostKey;
}

async function untilPresented(host: LabHost, wanted: (fingerprint: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const key = await presentedKey(host).catch(() => undefined);
    if (key && wanted(fingerprint(key))) return key;
    if (Date.now() > deadline) throw new Error(`host ${host.name} did not present ${what} within 20s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Gives the host new SSH host keys, as a reinstall (or an impostor) would; the old ones are kept aside. Resolves with the new Ed25519 key. */
export async function regenerateHostKeys(host: LabHost): Promise<string> {
  const old = fingerprint(host.hostKey);
  const result = await labSsh(
    host.address,
    `set -e; mkdir -p ${backup}; [ -e ${backup}/ssh_host_ed25519_key ] || cp -a /etc/ssh/ssh_host_* ${backup}/; rm -f /etc/ssh/ssh_host_*; ssh-keygen -A >/dev/null; ${reloadSshd}`,
  );
  if (result.code !== 0) throw new Error(`regenerating the host keys of ${host.name} failed: ${result.stderr}`);
  return untilPresented(host, (f) => f !== old, "a new host key");
}

/** Puts the host's own keys back (those in hosts.json); safe to call when they were never changed. */
export async function restoreHostKeys(host: LabHost): Promise<void> {
  const result = await labSsh(host.address, `set -e; if [ -d ${backup} ]; then cp -a ${backup}/ssh_host_* /etc/ssh/; rm -rf ${backup}; ${reloadSshd}; fi`);
  if (result.code !== 0) throw new Error(`restoring the host keys of ${host.name} failed: ${result.stderr}`);
  await untilPresented(host, (f) => f === fingerprint(host.hostKey), "its original host key");
}
