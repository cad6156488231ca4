import * as fs from "node:fs";
import * as path from "node:path";
import { resetScript } from "../../providers/host/join";
import { kubeconfigPath, kubectl, labClusterConfig, labDir, labHosts, labPrivateKey, labSsh, requireLab } from "../integration/support/lab";
import { formatFindings, scanText, type Finding } from "../support/secrets-scan";
import { captureDir } from "./support/capture";
import { hostSamples, runningHostSampler } from "./support/host-sampler";
import { createLabStack, entryFor } from "./support/lab-stack";
import { hostTmpfsDirs, knownSecrets, scanHostTmpfs, scanTree, type ScanReport } from "./support/scan-sources";

// Runs after every other e2e test but the leftover-process check (test/sequencer.js). It drives one
// join and removal of its own, then scans, for any private key, password, kubeconfig credential or
// bootstrap token in plaintext: every CLI output and every stack's state the e2e tier captured
// (test/e2e/support/capture.ts); the command line of every process seen on a lab host during the
// tier, sampled every 50 ms by the tier's host process sampler from before its first test
// (test/e2e/support/host-sampler.ts, started by the tier's global setup); every text file written on
// the lab hosts (their overlay upper layers), their tmpfs mounts (/tmp, /run, /dev/shm, read through
// each host's root while it runs) and their consoles.
jest.setTimeout(600_000);

const joinCommand = "kubeadm join --config /etc/kubernetes/kubeadm-workers-join.json";
const canaryName = "kw-scan-canary";
// A bootstrap-token-shaped string made on the host (so no command line ever holds it) in each tmpfs.
const plantCanaries = `for d in ${hostTmpfsDirs.join(" ")}; do printf 'planted by the secrets scan: %s.%s\\n' "$(tr -dc a-z0-9 </dev/urandom | head -c 6)" "$(tr -dc a-z0-9 </dev/urandom | head -c 16)" >"$d/${canaryName}" || exit 1; done`;
const removeCanaries = `rm -f ${hostTmpfsDirs.map((d) => `${d}/${canaryName}`).join(" ")}`;

describe("no secret in plaintext after the e2e tier", () => {
  test("state files, CLI output, host files (tmpfs included) and process lists sampled during joins hold no private key, password, kubeconfig credential or bootstrap token", async () => {
    requireLab();
    if (!runningHostSampler()) {
      throw new Error("the e2e tier's host process sampler is not running: jest's globalSetup of the e2e project starts it (jest.config.js, test/e2e/support/global-setup.ts); run the tier with that config");
    }
    const host = labHosts()[2];
    const joinsSampled = () => hostSamples().split("\n").filter((l) => l.includes(` ${host.name} `) && l.includes(`: ${joinCommand}`)).length;
    const joinsBefore = joinsSampled();
    // a host left joined by an unfinished test would be adopted without a join: start it reset
    await labSsh(host.address, resetScript);
    await kubectl(["delete", "node", "--ignore-not-found", host.name]);
    const project = await createLabStack("secrets", { nodes: [entryFor(host)], containerd: { ...labClusterConfig().containerd, upgrade: true } });
    try {
      await project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
      await project.pulumiOk(["stack", "export"]);
      await project.pulumiOk(["destroy", "--yes", "--skip-preview"], 400_000);
    } finally {
      await project.pulumi(["stack", "rm", "--yes", "--force"]);
      await project.remove();
    }
    // the tier's sampler saw this join happen (a new process: a line of its own)
    expect(joinsSampled()).toBeGreaterThan(joinsBefore);

    const known = knownSecrets();
    // the scan can fail: the secrets it looks for are loaded and found where they are
    expect(scanText("control", labPrivateKey(), known).map((f) => f.rule)).toContain("known secret lab SSH private key");
    expect(scanText("control", fs.readFileSync(kubeconfigPath, "utf8"), known).map((f) => f.rule)).toContain("kubeconfig client-key-data");
    const report: ScanReport = { findings: [], counts: {} };
    scanTree(report, "capture", captureDir, known);
    // The lab's passphrase is also the comment of the lab's SSH key and the hosts' cgroup name: on
    // hosts it proves nothing, so host files are scanned for the other secrets.
    const onHosts = known.filter((k) => k.name !== "PULUMI_CONFIG_PASSPHRASE");
    const hosts = labHosts();
    for (const h of hosts) {
      const upper = path.join(labDir, "hosts", h.name, "upper");
      // What Debian packages ship under /usr (documentation, examples and libraries with "password = …"
      // in them: Python's, once a test installed it) is theirs, not written by a join; files under /etc
      // that packages own (containerd's config.toml) are what the provider rewrites, and are scanned.
      const shipped = packageFilesUnderUsr(upper);
      scanTree(report, h.name, upper, onHosts, (file) => `/${path.relative(upper, file)}`, (hostPath) => !hostPath.startsWith("/usr/share/") && !shipped.has(hostPath));
      scanTree(report, `${h.name} console`, path.join(labDir, "hosts", h.name, "console.log"), onHosts);
    }
    // The tmpfs mounts, with a canary in each: the scan must find every one of them where it was put.
    const planted = (f: Finding) => new RegExp(`^lab-host-\\d+ tmpfs:(${hostTmpfsDirs.join("|")})/${canaryName}$`).test(f.source);
    try {
      for (const h of hosts) {
        const result = await labSsh(h.address, plantCanaries);
        if (result.code !== 0) throw new Error(`planting the scan's canaries on ${h.name} failed (exit ${result.code}): ${result.stderr}`);
      }
      for (const h of hosts) scanHostTmpfs(report, h.name, onHosts);
    } finally {
      for (const h of hosts) await labSsh(h.address, removeCanaries);
    }
    expect(
      report.findings
        .filter(planted)
        .map((f) => `${f.source} ${f.rule}`)
        .sort(),
    ).toEqual(hosts.flatMap((h) => hostTmpfsDirs.map((d) => `${h.name} tmpfs:${d}/${canaryName} bootstrap token`)).sort());

    const captured = fs.readdirSync(captureDir);
    const sampledLines = hostSamples().split("\n").filter(Boolean).length;
    console.log(`secrets scan: ${JSON.stringify(report.counts)}; captured: ${captured.filter((f) => f.startsWith("cli-")).length} CLI outputs, ${captured.filter((f) => f.startsWith("state-")).length} stack states, ${sampledLines} host command lines sampled`);
    expect(formatFindings(report.findings.filter((f) => !planted(f)))).toEqual([]);
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
