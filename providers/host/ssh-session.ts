// The one module that talks SSH (node-ssh over ssh2). Everything else sees RemoteShell.
import { NodeSSH, type Config } from "node-ssh";
import type { ConnectionInputs, SshEndpointInputs } from "../worker-node/inputs";
import { hostKeyAlgorithms, hostKeyMismatchMessage, matchHostKey, type Hop } from "./host-key";
import { redact } from "./redact";
import { asRoot } from "./shell-quote";
import { SshError } from "./ssh-error";
import { Semaphore } from "./semaphore";

export { SshError };

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Sent on the command's stdin: the way secrets reach a host, never its command line. */
  readonly stdin?: string;
  readonly timeoutSeconds?: number;
}

/** A logged-in SSH session to one host. */
export interface RemoteShell {
  /** `host:port` as dialled, for messages. */
  readonly address: string;
  /** The host key the server presented, as an OpenSSH public key line: what the next connection must match. */
  readonly hostKey: string;
  /** The key the bastion presented, when the connection went through one: what the next one must match. */
  readonly bastionHostKey?: string;
  /** Runs a command (as root: through `sudo -n` when the user is not root). Resolves whatever the exit code. */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /** Runs a bash script sent over stdin, so nothing of it shows in `ps` on the host. */
  runScript(script: string, options?: Omit<RunOptions, "stdin">): Promise<CommandResult>;
  close(): Promise<void>;
}


/** Defaults, in @pulumi/command's units. Fewer dials than its 10: an unreachable host fails in under a minute. */
export const defaultPerDialTimeoutSeconds = 15;
export const defaultDialErrorLimit = 3;
const keepaliveIntervalMs = 10_000;
const keepaliveCountMax = 3;

/** All WorkerNode resources run in one Node process: this bounds their SSH sessions together. */
const sessionSlots = new Semaphore(Number(process.env.KUBEADM_WORKERS_MAX_SSH_SESSIONS ?? 16));

function keyLine(key: Buffer): string {
  const typeLength = key.readUInt32BE(0);
  return `${key.subarray(4, 4 + typeLength).toString("latin1")} ${key.toString("base64")}`;
}

function addressOf(endpoint: SshEndpointInputs): string {
  return `${endpoint.host}:${endpoint.port ?? 22}`;
}

interface DialOutcome {
  presentedKey?: string;
  mismatch?: { expected: string; actual: string };
}

function connectConfig(endpoint: SshEndpointInputs, outcome: DialOutcome, sock?: Config["sock"]): Config {
  const perDial = (endpoint.perDialTimeout ?? defaultPerDialTimeoutSeconds) * 1000;
  const serverHostKey = hostKeyAlgorithms(endpoint.hostKey);
  return {
    host: endpoint.host,
    port: endpoint.port ?? 22,
    username: endpoint.user ?? "root",
    ...(endpoint.privateKey ? { privateKey: endpoint.privateKey } : {}),
    ...(endpoint.privateKeyPassword ? { passphrase: endpoint.privateKeyPassword } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    ...(endpoint.agentSocketPath ? { agent: endpoint.agentSocketPath } : {}),
    ...(sock ? { sock } : {}),
    ...(serverHostKey ? { algorithms: { serverHostKey: serverHostKey as NonNullable<NonNullable<Config["algorithms"]>["serverHostKey"]> } } : {}),
    readyTimeout: perDial,
    keepaliveInterval: keepaliveIntervalMs,
    keepaliveCountMax,
    // ssh2 accepts every host key when no verifier is set: this one pins or records it.
    hostVerifier: (key: Buffer): boolean => {
      outcome.presentedKey = keyLine(key);
      if (!endpoint.hostKey) return true;
      const match = matchHostKey(endpoint.hostKey, { type: keyLine(key).split(" ")[0] ?? "", blob: key });
      if (!match.ok) outcome.mismatch = { expected: match.expected, actual: match.actual };
      return match.ok;
    },
  };
}

async function dial(hop: Hop, endpoint: SshEndpointInputs, via: string, sock?: Config["sock"]): Promise<{ ssh: NodeSSH; hostKey: string }> {
  const limit = endpoint.dialErrorLimit ?? defaultDialErrorLimit;
  let lastError: unknown;
  for (let attempt = 1; attempt <= limit; attempt++) {
    const outcome: DialOutcome = {};
    const ssh = new NodeSSH();
    try {
      await ssh.connect(connectConfig(endpoint, outcome, sock));
      return { ssh, hostKey: outcome.presentedKey ?? "" };
    } catch (error) {
      ssh.dispose();
      if (outcome.mismatch) {
        throw new SshError(hostKeyMismatchMessage(hop, { host: endpoint.host, address: addressOf(endpoint), via }, outcome.mismatch), "HOST_KEY_MISMATCH");
      }
      const message = (error as Error).message ?? String(error);
      if (/Cannot parse privateKey|Encrypted private (OpenSSH )?key detected|passphrase/i.test(message)) {
        throw new SshError(
          `the private key for ${addressOf(endpoint)}${via} cannot be used: ${message}. Pass an OpenSSH or PEM private key's text, and privateKeyPassword when it is encrypted.`,
          "INVALID_KEY",
          { cause: error },
        );
      }
      if (/authentication methods failed|All configured authentication methods failed/i.test(message)) {
        throw new SshError(
          `SSH login to ${endpoint.user ?? "root"}@${addressOf(endpoint)}${via} was refused: the key or password is not accepted for that user; check connection.user and its credentials`,
          "AUTH_FAILED",
          { cause: error },
        );
      }
      lastError = error;
      // A connection through a bastion rides on one forwarded stream: it cannot be redialled.
      if (sock) break;
    }
  }
  throw new SshError(
    `could not connect to ${addressOf(endpoint)}${via} after ${sock ? 1 : limit} attempt(s) of ${endpoint.perDialTimeout ?? defaultPerDialTimeoutSeconds}s: ${(lastError as Error)?.message ?? String(lastError)}. ` +
      "Check the address, that sshd listens there, and connection.perDialTimeout/dialErrorLimit.",
    "CONNECT_FAILED",
    { cause: lastError },
  );
}

class Session implements RemoteShell {
  private readonly user: string;

  constructor(
    readonly address: string,
    readonly hostKey: string,
    readonly bastionHostKey: string | undefined,
    private readonly ssh: NodeSSH,
    private readonly bastion: NodeSSH | undefined,
    user: string,
    private readonly secrets: readonly string[],
    private readonly release: () => void,
  ) {
    this.user = user;
  }

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const wrapped = asRoot(command, this.user);
    let timer: NodeJS.Timeout | undefined;
    let channel: { close(): void } | undefined;
    const timeoutSeconds = options.timeoutSeconds ?? 600;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        channel?.close();
        reject(new SshError(`command on ${this.address} did not finish within ${timeoutSeconds}s: ${redact(command, this.secrets)}`, "COMMAND_TIMEOUT"));
      }, timeoutSeconds * 1000);
    });
    try {
      const result = await Promise.race([
        this.ssh.execCommand(wrapped, {
          ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
          noTrim: true,
          onChannel: (c) => (channel = c),
        }),
        timeout,
      ]);
      if (result.code === null) {
        throw new SshError(
          `connection to ${this.address} was lost while running: ${redact(command, this.secrets)}${result.signal ? ` (signal ${result.signal})` : ""}`,
          "CONNECTION_LOST",
        );
      }
      return {
        code: result.code,
        stdout: redact(result.stdout, this.secrets),
        stderr: redact(result.stderr, this.secrets),
      };
    } catch (error) {
      if (error instanceof SshError) throw error;
      throw new SshError(`connection to ${this.address} failed while running: ${redact(command, this.secrets)}: ${(error as Error).message}`, "CONNECTION_LOST", { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  runScript(script: string, options: Omit<RunOptions, "stdin"> = {}): Promise<CommandResult> {
    // bash reads a script on stdin line by line as it runs it, so a command that reads its stdin
    // (a maintainer script, a daemon one starts) would swallow the rest of the script. bash parses a
    // whole { } group before running any of it; the group's stdin is /dev/null.
    return this.run("bash -s", { ...options, stdin: `{\n${script}\n} </dev/null\n` });
  }

  close(): Promise<void> {
    this.ssh.dispose();
    this.bastion?.dispose();
    this.release();
    return Promise.resolve();
  }
}

export interface OpenOptions {
  /** Values to blank out of every output and error this session produces (tokens, passwords). */
  readonly secrets?: readonly string[];
}

/**
 * Logs in to a host, through its bastion when `proxy` is set. Each hop's host key is checked
 * against its pinned `hostKey`, or recorded (trust on first use) when none is pinned: the session
 * carries both (`hostKey`, `bastionHostKey`) for pinConnection to store.
 */
export async function openSession(connection: ConnectionInputs, options: OpenOptions = {}): Promise<RemoteShell> {
  const release = await sessionSlots.acquire();
  let bastion: NodeSSH | undefined;
  try {
    const secrets = [connection.password, connection.privateKeyPassword, connection.proxy?.password, ...(options.secrets ?? [])].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    );
    let sock: Config["sock"] | undefined;
    let via = "";
    let bastionHostKey: string | undefined;
    if (connection.proxy) {
      ({ ssh: bastion, hostKey: bastionHostKey } = await dial("bastion", connection.proxy, ""));
      via = ` (through bastion ${addressOf(connection.proxy)})`;
      try {
        sock = await bastion.forwardOut("127.0.0.1", 0, connection.host, connection.port ?? 22);
      } catch (error) {
        throw new SshError(`bastion ${addressOf(connection.proxy)} could not open a connection to ${addressOf(connection)}: ${(error as Error).message}`, "CONNECT_FAILED", { cause: error });
      }
    }
    const { ssh, hostKey } = await dial("host", connection, via, sock);
    return new Session(addressOf(connection), hostKey, bastionHostKey, ssh, bastion, connection.user ?? "root", secrets, release);
  } catch (error) {
    bastion?.dispose();
    release();
    throw error;
  }
}

