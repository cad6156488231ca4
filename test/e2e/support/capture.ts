import * as fs from "node:fs";
import * as path from "node:path";
import { labDir } from "../../support/lab-dir";

/**
 * Where the e2e tier keeps what the secrets scan reads after it (test/e2e/secrets-scan.test.ts): every
 * CLI output, the state of every stack before its backend is removed, and the lab hosts' command lines
 * (./host-sampler.ts).
 * Under the lab directory (gitignored); the scan empties it.
 */
export const captureDir = path.join(labDir, "e2e-capture");

let sequence = 0;

/** A new file's path in the capture (the directory made if needed), named by `prefix`, this process and a sequence. */
export function captureFile(prefix: string, extension: string): string {
  fs.mkdirSync(captureDir, { recursive: true });
  return path.join(captureDir, `${prefix}-${process.pid}-${Date.now()}-${++sequence}.${extension}`);
}

/**
 * Records one command's output. A command given `--show-secrets` is recorded without its output: the
 * user asked for the plaintext there (other-cluster.test.ts edits state that way), and the scan is for
 * secrets that reach an output nobody asked to see them in.
 */
export function captureOutput(command: string, result: { stdout: string; stderr: string }): void {
  const asked = /(^|\s)--show-secrets(\s|=|$)/.test(command);
  const stdout = asked ? "(not kept: --show-secrets asks for plaintext)" : result.stdout;
  fs.writeFileSync(captureFile("cli", "log"), `$ ${command}\n--- stdout\n${stdout}\n--- stderr\n${result.stderr}\n`);
}

/** Copies every file of a file backend (stacks, history, backups: all state there is). */
export function captureBackend(backendDir: string, stack: string): void {
  const target = captureFile(`state-${stack.replace(/[^\w.-]/g, "_")}`, "d");
  if (fs.existsSync(backendDir)) fs.cpSync(backendDir, target, { recursive: true });
}
