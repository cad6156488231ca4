import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { aptKeyring, aptKeyringOrigin, aptSourceFile, aptSourceLine, aptSourceStep } from "../../../providers/host/apt-source";
import { droppedMirrorsStep } from "../../../providers/host/converge-steps";
import { prepareSteps, shellQuote } from "../../../providers/host/prepare-steps";
import { restartKubeletScript, upgradeNodeMarker, upgradeSteps } from "../../../providers/host/upgrade-steps";

const lab = { aptRepository: "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/", aptDistribution: "/", aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nk\n" };
const steps = upgradeSteps({ kubernetesVersion: "1.36.3", packages: lab, ignorePreflightErrors: ["SystemVerification"] });
const byName = (name: string) => {
  const step = steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step ${name}`);
  return step;
};

/** Runs a check script with stand-ins for dpkg-query and apt-mark answering as a host would. */
function checkPasses(script: string, installed: Record<string, string>, heldPackages: string[]): boolean {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kw-upgrade-"));
  try {
    const versions = Object.entries(installed).map(([p, v]) => `${p}) printf '%s' '${v}';;`).join(" ");
    fs.writeFileSync(path.join(bin, "dpkg-query"), `#!/bin/sh\neval pkg=\\\${$#}\ncase "$pkg" in ${versions} *) exit 1;; esac\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "apt-mark"), `#!/bin/sh\nshift\nfor p in "$@"; do case " ${heldPackages.join(" ")} " in *" $p "*) echo "$p";; esac; done\n`, { mode: 0o755 });
    return spawnSync("bash", ["-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` } }).status === 0;
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

describe("upgradeSteps: kubeadm's worker upgrade on a drained node", () => {
  test("runs in kubeadm's order: the source of the version, kubeadm, kubeadm upgrade node, kubelet and kubectl", () => {
    expect(steps.map((s) => s.name)).toEqual([
      "apt source http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/",
      "kubeadm 1.36.3",
      "kubeadm upgrade node (1.36.3)",
      "kubelet, kubectl 1.36.3",
    ]);
  });

  test.each(steps.flatMap((s) => [{ name: `${s.name} check`, script: s.check }, { name: `${s.name} apply`, script: s.apply }]).concat([{ name: "restart", script: restartKubeletScript }]))(
    "$name is valid bash",
    ({ script }) => {
      expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
    },
  );

  test("kubeadm alone is unheld, installed at the exact version and held again", () => {
    const apply = byName("kubeadm 1.36.3").apply;
    const lines = apply.split("\n");
    const unhold = lines.indexOf("apt-mark unhold kubeadm");
    const install = lines.findIndex((l) => / install -y -q kubeadm=1\.36\.3-\*$/.test(l));
    const hold = lines.indexOf("apt-mark hold kubeadm");
    expect([unhold, install, hold].every((i) => i >= 0)).toBe(true);
    expect(unhold).toBeLessThan(install);
    expect(install).toBeLessThan(hold);
    expect(apply).not.toMatch(/kubelet=|kubectl=|--allow-downgrades|--allow-change-held-packages/);
  });

  test("kubelet and kubectl follow, pinned and held the same way", () => {
    const apply = byName("kubelet, kubectl 1.36.3").apply;
    expect(apply).toContain("apt-mark unhold kubelet kubectl");
    expect(apply).toMatch(/ install -y -q kubelet=1\.36\.3-\* kubectl=1\.36\.3-\*\n/);
    expect(apply).toContain("apt-mark hold kubelet kubectl");
  });

  test("kubeadm upgrade node skips the preflight checks the join skipped, and records that it ran", () => {
    const step = byName("kubeadm upgrade node (1.36.3)");
    expect(step.apply).toContain("kubeadm upgrade node --v=1 --ignore-preflight-errors=SystemVerification");
    expect(step.apply).toContain(`> ${upgradeNodeMarker}`);
    expect(step.check).toContain(`cat ${upgradeNodeMarker}`);
    expect(upgradeSteps({ kubernetesVersion: "1.36.3", packages: {} })[2].apply).not.toContain("--ignore-preflight-errors");
  });

  test.each<{ installed: Record<string, string>; held: string[]; done: boolean }>([
    { installed: { kubeadm: "1.36.3-1.1" }, held: ["kubeadm"], done: true },
    { installed: { kubeadm: "1.36.2-1.1" }, held: ["kubeadm"], done: false },
    { installed: { kubeadm: "1.36.3-1.1" }, held: [], done: false },
    { installed: { kubeadm: "1.36.30-1.1" }, held: ["kubeadm"], done: false },
    { installed: {}, held: [], done: false },
  ])("the kubeadm check passes only at the exact version, held: $installed held=$held → $done", ({ installed, held, done }) => {
    expect(checkPasses(byName("kubeadm 1.36.3").check, installed, held)).toBe(done);
  });

  test.each<{ installed: Record<string, string>; held: string[]; done: boolean }>([
    { installed: { kubelet: "1.36.3-1.1", kubectl: "1.36.3-1.1" }, held: ["kubelet", "kubectl"], done: true },
    { installed: { kubelet: "1.36.3-1.1", kubectl: "1.36.2-1.1" }, held: ["kubelet", "kubectl"], done: false },
    { installed: { kubelet: "1.36.3-1.1", kubectl: "1.36.3-1.1" }, held: ["kubelet"], done: false },
  ])("the kubelet/kubectl check: $installed held=$held → $done", ({ installed, held, done }) => {
    expect(checkPasses(byName("kubelet, kubectl 1.36.3").check, installed, held)).toBe(done);
  });

  test("the kubelet is restarted as kubeadm's procedure says: daemon-reload, then restart", () => {
    expect(restartKubeletScript.split("\n").slice(1)).toEqual(["systemctl daemon-reload", "systemctl restart kubelet"]);
  });

  test("pkgs.k8s.io has one repository per minor: an upgrade to 1.37 points the source at v1.37's", () => {
    const [source] = upgradeSteps({ kubernetesVersion: "1.37.1", packages: {} });
    expect(source.apply).toContain(shellQuote("deb [signed-by=/etc/apt/keyrings/kubeadm-workers-kubernetes.asc] https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /\n"));
    expect(source.apply).toContain(shellQuote("https://pkgs.k8s.io/core:/stable:/v1.37/deb/Release.key"));
  });
});

describe("aptSourceStep: the source converges when the repository, distribution or key changes", () => {
  test.each([
    { packages: {}, version: "1.36.3" },
    { packages: lab, version: "1.36.3" },
    { packages: { aptRepository: "http://mirror/k8s/", aptKey: "K" }, version: "1.35.0" },
  ])("writes the same source line prepare-steps writes at join ($packages.aptRepository)", ({ packages, version }) => {
    const joinPackagesStep = prepareSteps({ kubernetesVersion: version, containerd: {}, packages, os: { family: "debian", codename: "bookworm" } }).find((step) => step.name.startsWith("kubelet"));
    expect(joinPackagesStep?.apply).toContain(shellQuote(aptSourceLine(packages, version)));
    expect(aptSourceStep(packages, version).apply).toContain(shellQuote(aptSourceLine(packages, version)));
  });

  test("a given key is written over whatever key was there; the check compares its content", () => {
    const step = aptSourceStep(lab, "1.36.3");
    expect(step.apply).toContain(`printf '%s' ${shellQuote(lab.aptKey)} > ${shellQuote(`${aptKeyring}.kubeadm-workers.tmp`)}`);
    expect(step.apply).toContain(`rm -f ${aptKeyringOrigin}`);
    expect(step.check).toContain(`printf '%s' ${shellQuote(lab.aptKey)} | cmp -s - ${shellQuote(aptKeyring)}`);
    expect(step.check).toContain(`cmp -s - ${shellQuote(aptSourceFile)}`);
  });

  test("without a key, the repository's own Release.key is fetched, and the check knows which key URL it came from", () => {
    const step = aptSourceStep({}, "1.36.3");
    const keyUrl = shellQuote("https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key");
    expect(step.apply).toContain(`curl -fsSL ${keyUrl} -o ${aptKeyring}.tmp`);
    expect(step.check).toContain(`printf '%s' ${keyUrl} | cmp -s - ${shellQuote(aptKeyringOrigin)}`);
  });

  test("the lists of the new source are refreshed so a wrong mirror or key fails in this step", () => {
    expect(aptSourceStep(lab, "1.36.3").apply).toMatch(/apt-get .* update -q \$parts/);
  });
});

describe("droppedMirrorsStep", () => {
  const step = droppedMirrorsStep(["docker.io", "registry.lab:5000"]);
  test("removes the hosts.toml of each dropped registry only", () => {
    expect(step.apply).toContain("rm -f '/etc/containerd/certs.d/docker.io/hosts.toml'");
    expect(step.apply).toContain("rm -f '/etc/containerd/certs.d/registry.lab:5000/hosts.toml'");
    expect(step.check).toBe("! test -e '/etc/containerd/certs.d/docker.io/hosts.toml' && ! test -e '/etc/containerd/certs.d/registry.lab:5000/hosts.toml'");
  });
  test.each([step.check, step.apply])("is valid bash", (script) => {
    expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
  });
});
