import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  containerdAptSource,
  containerdConfigStep,
  containerdConfigV2,
  containerdConfigV3,
  containerdDropInPath,
  containerdPackageStep,
  debianVersionMajorMinor,
  hostOsFrom,
  kubeadmImagesCommand,
  needsContainerd2,
  pauseImageFrom,
  registryHostsToml,
} from "../../../providers/host/containerd";
import { aptSourceSetup } from "../../../providers/host/shell-files";

const bookworm = { family: "debian" as const, codename: "bookworm" };

/** A PATH directory whose dpkg-query answers from KW_PKGS ("name=version ..."), and whose dpkg does nothing. */
function fakeDpkg(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-dpkg-"));
  fs.writeFileSync(
    path.join(dir, "dpkg-query"),
    [
      "#!/bin/bash",
      'for a in "$@"; do case "$a" in -W) ;; -f=*) fmt=${a#-f=} ;; *) pkg=$a ;; esac; done',
      'for e in $KW_PKGS; do if [ "${e%%=*}" = "$pkg" ]; then',
      '  case "$fmt" in *Status*) printf "install ok installed" ;; *Version*) printf "%s" "${e#*=}" ;; esac; exit 0',
      "fi; done",
      'echo "dpkg-query: no packages found matching $pkg" >&2; exit 1',
    ].join("\n"),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, "dpkg"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  return dir;
}

function runWith(bin: string, installed: string, script: string): { code: number; stderr: string } {
  const result = spawnSync("bash", ["-s"], { input: script, env: { PATH: `${bin}:${process.env.PATH}`, KW_PKGS: installed } });
  return { code: result.status ?? -1, stderr: result.stderr.toString() };
}

describe("which Kubernetes needs containerd 2", () => {
  test.each([
    ["1.36.3", true],
    ["v1.36.0", true],
    ["1.37.1", true],
    ["1.35.9", false],
    ["1.31.0", false],
  ])("%s: %s", (version, expected) => {
    expect(needsContainerd2(version)).toBe(expected);
  });
});

describe("debianVersionMajorMinor", () => {
  test.each([
    ["1.6.20~ds1-1+b1", { major: 1, minor: 6 }],
    ["1.7.24~ds1-6", { major: 1, minor: 7 }],
    ["2.1.4-1", { major: 2, minor: 1 }],
    ["1:2.0.0-1", { major: 2, minor: 0 }],
    ["", undefined],
    ["unknown", undefined],
  ])("%j", (version, expected) => {
    expect(debianVersionMajorMinor(version)).toEqual(expected);
  });
});

describe("the host's distribution for Docker's repository", () => {
  test.each([
    [{ os_id: "debian", os_codename: "bookworm" }, { family: "debian", codename: "bookworm" }],
    [{ os_id: "ubuntu", os_like: "debian", os_codename: "noble", os_ubuntu_codename: "noble" }, { family: "ubuntu", codename: "noble" }],
    [{ os_id: "linuxmint", os_like: "ubuntu debian", os_codename: "wilma", os_ubuntu_codename: "noble" }, { family: "ubuntu", codename: "noble" }],
    [{ os_id: "raspbian", os_like: "debian", os_codename: "bookworm" }, { family: "debian", codename: "bookworm" }],
  ])("%j", (facts, expected) => {
    expect(hostOsFrom(facts)).toEqual(expected);
  });
});

describe("where containerd 2 comes from", () => {
  test("Docker's repository of the host's distribution by default, its key over HTTPS", () => {
    expect(containerdAptSource({}, bookworm)).toEqual({
      url: "https://download.docker.com/linux/debian/",
      distribution: "bookworm stable",
      keyUrl: "https://download.docker.com/linux/debian/gpg",
      name: "kubeadm-workers-containerd",
    });
    expect(containerdAptSource({}, { family: "ubuntu", codename: "noble" }).url).toBe("https://download.docker.com/linux/ubuntu/");
  });

  test("a mirror with its key and distribution", () => {
    const source = containerdAptSource({ aptRepository: "http://10.213.0.1:8080/containerd", aptDistribution: "/", aptKey: "KEY" }, bookworm);
    expect(source).toEqual({ url: "http://10.213.0.1:8080/containerd/", distribution: "/", key: "KEY", name: "kubeadm-workers-containerd" });
  });

  test("a mirror without its key is refused, never fetched from the mirror", () => {
    expect(() => containerdAptSource({ aptRepository: "http://10.213.0.1:8080/containerd" }, bookworm)).toThrow(/containerd\.aptKey is required with containerd\.aptRepository/);
  });

  test("a host without a codename needs an explicit repository", () => {
    expect(() => containerdAptSource({}, { family: "debian", codename: "" })).toThrow(/VERSION_CODENAME.*containerd\.aptRepository/);
  });
});

describe("the container runtime step (Kubernetes 1.36)", () => {
  const bin = fakeDpkg();
  const step = containerdPackageStep({ kubernetesVersion: "1.36.3", containerd: {}, os: bookworm });

  test.each([
    { installed: "", done: false },
    { installed: "containerd=1.6.20~ds1-1+b1", done: false },
    { installed: "containerd.io=1.7.28-1", done: false },
    { installed: "containerd.io=2.1.4-1", done: true },
    { installed: "containerd=2.1.1~ds1-1", done: true },
  ])("check with $installed installed: done=$done", ({ installed, done }) => {
    expect(runWith(bin, installed, step.check).code === 0).toBe(done);
  });

  test("check accepts the configured package", () => {
    const own = containerdPackageStep({ kubernetesVersion: "1.36.3", containerd: { package: "containerd-lab" }, os: bookworm });
    expect(runWith(bin, "containerd-lab=2.0.0-1", own.check).code).toBe(0);
  });

  test("apply refuses containerd 1.x without containerd.upgrade, naming both versions and the option, before touching anything", () => {
    const result = runWith(bin, "containerd=1.6.20~ds1-1+b1", step.apply);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "containerd 1.6.20~ds1-1+b1 (package containerd) is installed, but Kubernetes 1.36 needs containerd 2.0 or newer: set containerd.upgrade: true to replace it with containerd.io in place",
    );
  });

  test("with containerd.upgrade the old package is removed in the transaction that installs containerd.io", () => {
    const upgrade = containerdPackageStep({ kubernetesVersion: "1.36.3", containerd: { upgrade: true }, os: bookworm });
    expect(upgrade.apply).toContain(`[ "\${installed%% *}" = 'containerd.io' ] || remove="\${installed%% *}-"`);
    expect(upgrade.apply).toContain("install -y -q 'containerd.io' $remove");
    expect(upgrade.apply).not.toContain("containerd.upgrade: true to replace");
  });

  test("installs from Docker's repository and proves the version afterwards", () => {
    expect(step.apply).toContain("deb [signed-by=/etc/apt/keyrings/kubeadm-workers-containerd.asc] https://download.docker.com/linux/debian/ bookworm stable");
    expect(step.apply).toContain("curl -fsSL 'https://download.docker.com/linux/debian/gpg' -o /etc/apt/keyrings/kubeadm-workers-containerd.asc");
    expect(step.apply).toMatch(/is older than 2\.0, which Kubernetes 1\.36 needs/);
  });

  test.each([step.check, step.apply])("is valid bash", (script) => {
    expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
  });
});

describe("containerd configuration", () => {
  test.each([
    { driver: "systemd" as const, systemd: "true" },
    { driver: "cgroupfs" as const, systemd: "false" },
  ])("containerd 2 (version 3) with the $driver driver", ({ driver, systemd }) => {
    expect(containerdConfigV3({ sandboxImage: "registry.k8s.io/pause:3.10.1", cgroupDriver: driver })).toBe(
      [
        "# Written by kubeadm-workers; changes here are overwritten on the next pulumi up.",
        "# Add settings through containerd.configDropIn (/etc/containerd/conf.d/kubeadm-workers.toml), imported below.",
        "version = 3",
        'imports = ["/etc/containerd/conf.d/*.toml"]',
        "",
        "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
        '  sandbox = "registry.k8s.io/pause:3.10.1"',
        "[plugins.'io.containerd.cri.v1.images'.registry]",
        '  config_path = "/etc/containerd/certs.d"',
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
        '  runtime_type = "io.containerd.runc.v2"',
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
        `  SystemdCgroup = ${systemd}`,
        "",
      ].join("\n"),
    );
  });

  test("containerd 1.x (version 2) for Kubernetes before 1.36", () => {
    const config = containerdConfigV2({ sandboxImage: "mirror.lab/pause:3.10", cgroupDriver: "cgroupfs" });
    expect(config).toContain("version = 2");
    expect(config).toContain('sandbox_image = "mirror.lab/pause:3.10"');
    expect(config).toContain("SystemdCgroup = false");
    expect(config).toContain('imports = ["/etc/containerd/conf.d/*.toml"]');
  });

  const dropIn = "version = 3\n[plugins.'io.containerd.cri.v1.runtime']\n  restrict_oom_score_adj = true\n";
  const base = { kubernetesVersion: "1.36.3", sandboxImage: "registry.k8s.io/pause:3.10.1", cgroupDriver: "cgroupfs" as const };

  test("the step writes config.toml, the drop-in and the mirrors, and checks each", () => {
    const step = containerdConfigStep({ ...base, containerd: { configDropIn: dropIn, registryMirrors: { "registry.k8s.io": ["http://10.213.0.1:5000"] } } });
    expect(step.name).toBe("containerd configuration (cgroupfs cgroups, sandbox registry.k8s.io/pause:3.10.1, drop-in)");
    for (const script of [step.check, step.apply]) {
      expect(script).toContain(containerdDropInPath);
      expect(script).toContain("/etc/containerd/certs.d/registry.k8s.io/hosts.toml");
      expect(script).toContain("restrict_oom_score_adj = true");
      expect(script).toContain("SystemdCgroup = false");
    }
  });

  test("without a drop-in, a drop-in written before is removed", () => {
    const step = containerdConfigStep({ ...base, containerd: {} });
    expect(step.check).toContain(`! test -e ${containerdDropInPath}`);
    expect(step.apply).toContain(`rm -f ${containerdDropInPath}`);
  });

  test("containerd is restarted when its configuration differs from the one it was last started with, and must answer after", () => {
    const step = containerdConfigStep({ ...base, containerd: {} });
    expect(step.check).toContain("/var/lib/kubeadm-workers/containerd-config.sha256");
    expect(step.apply).toMatch(/after=\$\(cat \/etc\/containerd\/config\.toml \/etc\/containerd\/conf\.d\/\*\.toml.*\n.*"\$after" != "\$\(cat \/var\/lib\/kubeadm-workers\/containerd-config\.sha256.*then systemctl restart containerd; fi/);
    expect(step.apply).toContain("ctr version >/dev/null || {");
    expect(step.apply.indexOf("systemctl restart containerd")).toBeLessThan(step.apply.indexOf("> /var/lib/kubeadm-workers/containerd-config.sha256"));
  });

  // Seen on the lab: containerd.upgrade installed containerd.io, whose postinst started containerd with
  // the package's config.toml (CRI disabled); our files then matched the stamp of an earlier run, so
  // containerd was not restarted and kubeadm join met "unknown service runtime.v1.RuntimeService".
  test("a file this step rewrites restarts containerd even when the stamp of an earlier run matches", () => {
    const step = containerdConfigStep({ ...base, containerd: {} });
    const lines = step.apply.split("\n");
    const before = lines.findIndex((l) => l.startsWith("before=$("));
    const firstWrite = lines.findIndex((l) => l.includes("/etc/containerd/config.toml") && !l.startsWith("before="));
    const restart = lines.find((l) => l.includes("systemctl restart containerd")) ?? "";
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThan(firstWrite);
    expect(restart).toContain('[ "$before" != "$after" ] ||');
  });

  test.each([
    containerdConfigStep({ ...base, containerd: { configDropIn: dropIn } }),
    containerdConfigStep({ ...base, kubernetesVersion: "1.35.0", containerd: {} }),
  ])("is valid bash", (step) => {
    expect(() => execFileSync("bash", ["-n"], { input: step.check })).not.toThrow();
    expect(() => execFileSync("bash", ["-n"], { input: step.apply })).not.toThrow();
  });

  test("hosts.toml lists mirrors before the upstream fallback", () => {
    expect(registryHostsToml("docker.io", ["https://a:5000", "https://b"])).toBe(
      'server = "https://registry-1.docker.io"\n\n[host."https://a:5000"]\n  capabilities = ["pull", "resolve"]\n\n[host."https://b"]\n  capabilities = ["pull", "resolve"]\n',
    );
    expect(registryHostsToml("quay.io", [])).toBe('server = "https://quay.io"\n');
  });
});

describe("the sandbox image from kubeadm", () => {
  test("asks the version's kubeadm, with the cluster's image repository", () => {
    expect(kubeadmImagesCommand("1.36.3")).toBe("kubeadm config images list --kubernetes-version 'v1.36.3'");
    expect(kubeadmImagesCommand("v1.36.3", "10.213.0.1:5000/k8s")).toBe("kubeadm config images list --kubernetes-version 'v1.36.3' --image-repository '10.213.0.1:5000/k8s'");
  });

  test.each([
    // kubeadm v1.36.3's own output, offline
    [
      "registry.k8s.io/kube-apiserver:v1.36.3\nregistry.k8s.io/kube-controller-manager:v1.36.3\nregistry.k8s.io/kube-scheduler:v1.36.3\nregistry.k8s.io/kube-proxy:v1.36.3\n" +
        "registry.k8s.io/coredns/coredns:v1.14.2\nregistry.k8s.io/pause:3.10.2\nregistry.k8s.io/etcd:3.6.8-0\n",
      "registry.k8s.io/pause:3.10.2",
    ],
    ["W1130 warning line\n10.213.0.1:5000/k8s/pause:3.10\n", "10.213.0.1:5000/k8s/pause:3.10"],
    ["registry.k8s.io/kube-proxy:v1.36.3\n", undefined],
  ])("pause image in %j", (output, expected) => {
    expect(pauseImageFrom(output)).toBe(expected);
  });
});

test("a host that already lists Docker's repository (its guide writes the URL without the trailing slash) keeps its own source", () => {
  const apply = containerdPackageStep({ kubernetesVersion: "1.36.3", containerd: {}, os: bookworm }).apply;
  expect(apply).toContain("existing=$(grep -rlsF -- 'https://download.docker.com/linux/debian' /etc/apt/sources.list /etc/apt/sources.list.d/");
});

// The check refuses such text at preview; this is the second line of defence, for a value that slips
// past it (as containerd.aptRepository's `$(…)` once did): it reaches the host's shell as data.
describe("user text in the containerd steps' messages stays data", () => {
  const repository = "http://10.213.0.1:8080/$(echo INJECTED)`echo TOO`/";
  const wanted = "containerd.io$(echo PKG)";
  const lineWith = (script: string, marker: string): string => script.split("\n").find((line) => line.includes(marker)) ?? "";

  test("the too-old message names the repository and package as written", () => {
    const step = containerdPackageStep({ kubernetesVersion: "1.36.3", containerd: { aptRepository: repository, aptKey: "K", package: wanted }, os: bookworm });
    const result = spawnSync("bash", ["-c", lineWith(step.apply, "is older than 2.0")]);
    expect(result.stderr.toString()).toMatch(/^containerd\.io\$\(echo PKG\) {2}from http:\/\/10\.213\.0\.1:8080\/\$\(echo INJECTED\)`echo TOO`\/ is older than 2\.0/);
  });

  test("the message about an existing apt source names the repository as written", () => {
    const setup = aptSourceSetup({ url: repository, distribution: "/", key: "K", name: "kw-test-no-such-source" });
    const result = spawnSync("bash", ["-c", `existing=/etc/apt/sources.list.d/docker.list\n${lineWith(setup, "using the existing apt source")}`]);
    expect(result.stdout.toString()).toBe(`using the existing apt source /etc/apt/sources.list.d/docker.list for ${repository}\n`);
  });
});
