import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fingerprintOf, parseHostKey } from "../../providers/host/host-key";
import { openSession, SshError } from "../../providers/host/ssh-session";
import { pinConnection } from "../../providers/host/pinned-connection";
import { labHosts, labPrivateKey, labSsh, requireLab } from "./support/lab";

jest.setTimeout(120_000);

beforeAll(requireLab);

/** An address on the lab bridge where no host lives: nothing answers there. */
const nobodyThere = "10.213.0.250";

function connectionTo(index: number, overrides: Record<string, unknown> = {}) {
  const host = labHosts()[index];
  if (!host) throw new Error(`the lab has no host #${index + 1}: run "npm run lab -- up --hosts 3"`);
  return { host: host.address, port: host.port, user: host.user, privateKey: labPrivateKey(), hostKey: host.hostKey, ...overrides };
}

describe("SSH sessions to lab hosts (real sshd)", () => {
  test("logs in with the pinned host key and runs commands as root on that host", async () => {
    const host = labHosts()[0];
    const shell = await openSession(connectionTo(0));
    try {
      expect(shell.hostKey.split(" ").slice(0, 2).join(" ")).toBe(host.hostKey.split(" ").slice(0, 2).join(" "));
      const result = await shell.run("hostname && id -u");
      expect(result).toEqual({ code: 0, stdout: `${host.name}\n0\n`, stderr: "" });
      const failing = await shell.runScript("echo to-stderr >&2; exit 3");
      expect(failing).toEqual({ code: 3, stdout: "", stderr: "to-stderr\n" });
    } finally {
      await shell.close();
    }
  });

  test("a command in a script that reads its standard input reads nothing of the script (a maintainer script or a daemon started by one did, and the rest of the step ran cut)", async () => {
    const shell = await openSession(connectionTo(0));
    try {
      const result = await shell.runScript(["set -e", "swallowed=$(cat | wc -c)", 'echo "read $swallowed bytes"', 'f() { echo "still here"; }', "f"].join("\n"));
      expect(result).toEqual({ code: 0, stdout: "read 0 bytes\nstill here\n", stderr: "" });
    } finally {
      await shell.close();
    }
  });

  test("records the host key on first use when none is pinned", async () => {
    const shell = await openSession(connectionTo(1, { hostKey: undefined }));
    try {
      expect(fingerprintOf(parseHostKey(shell.hostKey).blob)).toBe(fingerprintOf(parseHostKey(labHosts()[1].hostKey).blob));
    } finally {
      await shell.close();
    }
  });

  test("refuses a host whose key is not the pinned one, printing both fingerprints", async () => {
    // GIVEN host 1's address pinned to host 2's key (as after a reinstall, or a man in the middle)
    const error = await openSession(connectionTo(0, { hostKey: labHosts()[1].hostKey })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).code).toBe("HOST_KEY_MISMATCH");
    const expected = fingerprintOf(parseHostKey(labHosts()[1].hostKey).blob);
    const actual = fingerprintOf(parseHostKey(labHosts()[0].hostKey).blob);
    expect((error as Error).message).toContain(`expected ${expected}, got ${actual}`);
  });

  test("refuses a key the host does not accept, without retrying", async () => {
    // GIVEN a valid OpenSSH key that no lab host authorizes
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-key-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "key")]);
    const privateKey = fs.readFileSync(path.join(dir, "key"), "utf8");
    fs.rmSync(dir, { recursive: true });
    const error = await openSession(connectionTo(0, { privateKey })).catch((e: unknown) => e);
    expect((error as SshError).code).toBe("AUTH_FAILED");
    expect((error as Error).message).toMatch(/SSH login to root@10\.213\.0\.\d+:22 was refused/);
  });

  test("names a private key it cannot parse, without dialling again", async () => {
    const error = await openSession(connectionTo(0, { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n" })).catch((e: unknown) => e);
    expect((error as SshError).code).toBe("INVALID_KEY");
    expect((error as Error).message).toMatch(/the private key for 10\.213\.0\.\d+:22 cannot be used/);
  });

  test("an unreachable address fails within the connect timeout", async () => {
    const started = Date.now();
    const error = await openSession(connectionTo(0, { host: nobodyThere, perDialTimeout: 2, dialErrorLimit: 2 })).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect((error as SshError).code).toBe("CONNECT_FAILED");
    expect((error as Error).message).toMatch(/could not connect to 10\.213\.0\.250:22 after 2 attempt\(s\) of 2s/);
    // two dials of 2 s each, plus slack for the machine
    expect(elapsed).toBeLessThan(15_000);
  });

  test("reaches a host through a bastion, each hop checked against its own pinned key", async () => {
    const bastion = connectionTo(0);
    const shell = await openSession({ ...connectionTo(1), proxy: bastion });
    try {
      expect((await shell.run("hostname")).stdout.trim()).toBe(labHosts()[1].name);
    } finally {
      await shell.close();
    }
    const error = await openSession({ ...connectionTo(1), proxy: { ...bastion, hostKey: labHosts()[2].hostKey } }).catch((e: unknown) => e);
    expect((error as SshError).code).toBe("HOST_KEY_MISMATCH");
  });

  test.each([
    { type: "ecdsa", keyType: "ecdsa-sha2-nistp256" },
    { type: "rsa", keyType: "ssh-rsa" },
  ])("a pinned $type key is met: the handshake offers only that key type, not the host's preferred Ed25519", async ({ type, keyType }) => {
    // GIVEN the host's own key of that type (every lab host has Ed25519, ECDSA and RSA keys)
    const pinned = (await labSsh(labHosts()[0].address, `cut -d' ' -f1,2 /etc/ssh/ssh_host_${type}_key.pub`)).stdout.trim();
    expect(pinned.split(" ")[0]).toBe(keyType);
    const shell = await openSession(connectionTo(0, { hostKey: pinned }));
    try {
      expect(shell.hostKey).toBe(pinned);
    } finally {
      await shell.close();
    }
  });

  test("records the bastion's key on first use, and the next connection through that address must present it", async () => {
    const shell = await openSession({ ...connectionTo(1), proxy: connectionTo(0, { hostKey: undefined }) });
    const pinned = pinConnection({ ...connectionTo(1), proxy: connectionTo(0, { hostKey: undefined }) }, shell);
    await shell.close();
    expect(fingerprintOf(parseHostKey(shell.bastionHostKey ?? "").blob)).toBe(fingerprintOf(parseHostKey(labHosts()[0].hostKey).blob));
    expect(pinned.proxy?.hostKey).toBe(shell.bastionHostKey);
    // the recorded key, now met at another bastion (as after a re-key or a man in the middle), is refused by name
    const error = await openSession({ ...pinned, proxy: { ...pinned.proxy!, host: labHosts()[2].address } }).catch((e: unknown) => e);
    expect((error as SshError).code).toBe("HOST_KEY_MISMATCH");
    expect((error as Error).message).toContain(`host key of ${labHosts()[2].address}:22 does not match the pinned key: expected ${fingerprintOf(parseHostKey(labHosts()[0].hostKey).blob)}`);
  });

  test("what goes over stdin never shows in the host's process list", async () => {
    const secret = "abcdef.0123456789abcdef";
    const shell = await openSession(connectionTo(0));
    const watcher = await openSession(connectionTo(0));
    try {
      // The command holds its stdin open for a while; meanwhile another session reads every command line.
      const running = shell.run("cat > /tmp/kw-stdin-test && sleep 2 && cat /tmp/kw-stdin-test && rm -f /tmp/kw-stdin-test", { stdin: secret });
      await new Promise((r) => setTimeout(r, 700));
      const ps = await watcher.run("ps -eo args");
      const result = await running;
      expect(ps.stdout).toContain("sleep 2");
      expect(ps.stdout).not.toContain(secret);
      // and a secret the session knows is redacted from what it returns
      expect(result.stdout).toBe(secret);
      const redacting = await openSession(connectionTo(0), { secrets: [secret] });
      try {
        expect((await redacting.run(`echo ${secret.slice(0, 7)}0123456789abcdef`)).stdout).toBe("[redacted]\n");
      } finally {
        await redacting.close();
      }
    } finally {
      await shell.close();
      await watcher.close();
    }
  });
});
