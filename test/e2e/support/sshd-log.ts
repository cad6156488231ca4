import * as fs from "node:fs";
import * as path from "node:path";
import { labDir, type LabHost } from "../../integration/support/lab";

/**
 * Lines a lab host's sshd wrote about a peer ("Accepted publickey for root from 10.213.0.1 port
 * 41234", "Connection closed by 10.213.0.1 port 41234 [preauth]", …). Each host runs `sshd -D -e`,
 * whose log goes to the host's console log on this machine (lab/hosts/host-start.sh).
 */
export function sshdPeerLines(host: LabHost): string[] {
  const log = fs.readFileSync(path.join(labDir, "hosts", host.name, "console.log"), "utf8");
  return log.split("\n").filter((line) => /\b\d{1,3}(\.\d{1,3}){3} port \d+\b/.test(line));
}
