import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { containerdConfigV3, kubeadmImagesCommand, pauseImageFrom, type CgroupDriver } from "../../providers/host/containerd";
import { run } from "../support/process";

// The configuration we write, loaded by the real containerd 2 the lab ships (`containerd config
// dump` merges config.toml and its imports exactly as the daemon does at start, without starting it).

function containerdBinary(): string {
  const toolchain = path.join(process.env.KW_CACHE ?? path.join(os.homedir(), ".cache", "kubeadm-workers"), "toolchain");
  const dir = fs.existsSync(toolchain) ? fs.readdirSync(toolchain).find((d) => /^containerd-2\.\d+\.\d+$/.test(d)) : undefined;
  if (!dir) throw new Error(`no containerd 2 in ${toolchain}: build it with "bash lab/toolchain/build.sh containerd"`);
  return path.join(toolchain, dir, "bin", "containerd");
}

/** `containerd config dump` of our config.toml (its import pointed at a scratch conf.d) and an optional drop-in. */
async function effectiveConfig(cgroupDriver: CgroupDriver, dropIn?: string): Promise<{ code: number; dump: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-containerd-"));
  fs.mkdirSync(path.join(dir, "conf.d"));
  const config = containerdConfigV3({ sandboxImage: "registry.k8s.io/pause:3.10.1", cgroupDriver });
  fs.writeFileSync(path.join(dir, "config.toml"), config.replace("/etc/containerd/conf.d/*.toml", path.join(dir, "conf.d", "*.toml")));
  if (dropIn !== undefined) fs.writeFileSync(path.join(dir, "conf.d", "kubeadm-workers.toml"), dropIn);
  try {
    const result = await run(containerdBinary(), ["--config", path.join(dir, "config.toml"), "config", "dump"]);
    return { code: result.code, dump: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.each([
  { driver: "systemd" as const, systemd: "true" },
  { driver: "cgroupfs" as const, systemd: "false" },
])("containerd 2 reads our config: runc's SystemdCgroup follows the $driver driver, the pinned sandbox, certs.d", async ({ driver, systemd }) => {
  const { code, dump } = await effectiveConfig(driver);
  expect(code).toBe(0);
  expect(dump).toMatch(new RegExp(`SystemdCgroup = ${systemd}`));
  expect(dump).toContain("sandbox = 'registry.k8s.io/pause:3.10.1'");
  expect(dump).toContain("config_path = '/etc/containerd/certs.d'");
  expect(dump).toContain("restrict_oom_score_adj = false");
});

test("a drop-in overrides the keys it sets, false included, and keeps the others", async () => {
  const dropIn = [
    "version = 3",
    "[plugins.'io.containerd.cri.v1.runtime']",
    "  restrict_oom_score_adj = true",
    "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
    "  SystemdCgroup = false",
    "",
  ].join("\n");
  const { code, dump } = await effectiveConfig("systemd", dropIn);
  expect(code).toBe(0);
  expect(dump).toContain("restrict_oom_score_adj = true");
  expect(dump).toMatch(/SystemdCgroup = false/);
  // what the drop-in does not name stays ours
  expect(dump).toContain("sandbox = 'registry.k8s.io/pause:3.10.1'");
  expect(dump).toContain("config_path = '/etc/containerd/certs.d'");
});

test("a drop-in without a version line is read as well", async () => {
  const { code, dump } = await effectiveConfig("cgroupfs", "[plugins.'io.containerd.cri.v1.runtime']\n  restrict_oom_score_adj = true\n");
  expect(code).toBe(0);
  expect(dump).toContain("restrict_oom_score_adj = true");
});

test("containerd refuses a drop-in of a newer version than config.toml, as preview does", async () => {
  const { code, stderr } = await effectiveConfig("cgroupfs", "version = 4\n");
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/expected containerd config version equal to or less than `3`, got `4`/);
});

test("the sandbox image comes from the version's kubeadm, offline, with the cluster's image repository", async () => {
  // GIVEN the kubeadm the lab installs on its hosts (on PATH through lab/toolchain/env.sh)
  // WHEN we ask it as a host step does
  const official = await run("bash", ["-c", kubeadmImagesCommand("1.36.3")]);
  const mirrored = await run("bash", ["-c", kubeadmImagesCommand("1.36.3", "10.213.0.1:5000/k8s")]);
  // THEN it names the pause image of 1.36 (3.10.2, not the 3.10 a literal would have kept)
  expect(official.code).toBe(0);
  expect(pauseImageFrom(official.stdout)).toBe("registry.k8s.io/pause:3.10.2");
  expect(pauseImageFrom(mirrored.stdout)).toBe("10.213.0.1:5000/k8s/pause:3.10.2");
});
