import * as fs from "node:fs";
import * as path from "node:path";
import { resetScript } from "../../providers/host/join";
import { kubeconfigPath, kubectl, labClusterConfig, labDir, labHosts, labPrivateKey, labSsh, requireLab } from "../integration/support/lab";
import { formatFindings, scanText } from "../support/secrets-scan";
import { captureDir } from "./support/capture";
import { HostProcessSampler } from "./support/lab-faults";
import { createLabStack, entryFor } from "./support/lab-stack";
import { knownSecrets, scanTree, type ScanReport } from "./support/scan-sources";

// Runs after every other e2e test (test/sequencer.js). It drives one join and removal of its own
// with the host's process list sampled every 50 ms, then scans, for any private key, password,
// kubeconfig credential or bootstrap token in plaintext: every CLI output and every stack's state
// the e2e tier captured (test/e2e/support/capture.ts), the process lists sampled during its joins,
// and every text file written on the lab hosts (their overlay upper layers) with their consoles.
jest.setTimeout(600_000);

describe("no secret in plaintext after the e2e tier", () => {
  test("state files, CLI output, host files and process lists sampled during joins hold no private key, password, kubeconfig credential or bootstrap token", async () => {
    requireLab();
    const host = labHosts()[2];
    // a host left joined by an unfinished test would be adopted without a join: start it reset
    await labSsh(host.address, resetScript);
    await kubectl(["delete", "node", "--ignore-not-found", host.name]);
    const project = await createLabStack("secrets", { nodes: [entryFor(host)], containerd: { ...labClusterConfig().containerd, upgrade: true } });
    const sampler = await HostProcessSampler.start(host);
    let samples: string;
    try {
      await project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
      await project.pulumiOk(["stack", "export"]);
      await project.pulumiOk(["destroy", "--yes", "--skip-preview"], 400_000);
    } finally {
      samples = await sampler.stop();
      await project.pulumi(["stack", "rm", "--yes", "--force"]);
      await project.remove();
    }
    // the sampler saw the join happen
    expect(samples).toContain("kubeadm join --config /etc/kubernetes/kubeadm-workers-join.json");

    const known = knownSecrets();
    // the scan can fail: the secrets it looks for are loaded and found where they are
    expect(scanText("control", labPrivateKey(), known).map((f) => f.rule)).toContain("known secret lab SSH private key");
    expect(scanText("control", fs.readFileSync(kubeconfigPath, "utf8"), known).map((f) => f.rule)).toContain("kubeconfig client-key-data");
    const report: ScanReport = { findings: [], counts: {} };
    scanTree(report, "capture", captureDir, known);
    // The lab's passphrase is also the comment of the lab's SSH key and the hosts' cgroup name: on
    // hosts it proves nothing, so host files are scanned for the other secrets.
    const onHosts = known.filter((k) => k.name !== "PULUMI_CONFIG_PASSPHRASE");
    for (const h of labHosts()) {
      const upper = path.join(labDir, "hosts", h.name, "upper");
      // What Debian packages ship under /usr (documentation, examples and libraries with "password = …"
      // in them: Python's, once a test installed it) is theirs, not written by a join; files under /etc
      // that packages own (containerd's config.toml) are what the provider rewrites, and are scanned.
      const shipped = packageFilesUnderUsr(upper);
      scanTree(report, h.name, upper, onHosts, (file) => `/${path.relative(upper, file)}`, (hostPath) => !hostPath.startsWith("/usr/share/") && !shipped.has(hostPath));
      scanTree(report, `${h.name} console`, path.join(labDir, "hosts", h.name, "console.log"), onHosts);
    }
    const captured = fs.readdirSync(captureDir);
    console.log(`secrets scan: ${JSON.stringify(report.counts)}; captured: ${captured.filter((f) => f.startsWith("cli-")).length} CLI outputs, ${captured.filter((f) => f.startsWith("state-")).length} stack states, ${captured.filter((f) => f.startsWith("ps-")).length} process-list samples`);
    expect(formatFindings(report.findings)).toEqual([]);
    expect(captured.some((f) => f.startsWith("state-"))).toBe(true);
    expect(report.counts.capture).toBeGreaterThan(10);
    // Scanned: the capture is for one run of the tier.
    fs.rmSync(captureDir, { recursive: true, force: true });
  });
});

/** Every path under /usr that a package installed on the host (its dpkg file lists in the upper layer) owns. */
function packageFilesUnderUsr(upper: string): Set<string> {
  const info = path.join(upper, "var", "lib", "dpkg", "info");
  const lists = fs.existsSync(info) ? fs.readdirSync(info).filter((f) => f.endsWith(".list")) : [];
  return new Set(lists.flatMap((f) => fs.readFileSync(path.join(info, f), "utf8").split("\n")).filter((p) => p.startsWith("/usr/")));
}
