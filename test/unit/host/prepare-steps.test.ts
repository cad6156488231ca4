import { execFileSync } from "node:child_process";
import { prepareSteps, shellQuote } from "../../../providers/host/prepare-steps";

const plan = {
  kubernetesVersion: "1.36.3",
  containerd: { registryMirrors: { "docker.io": ["https://mirror.lab:5000"] } },
  packages: {},
  os: { family: "debian" as const, codename: "bookworm" },
};

describe("shellQuote", () => {
  test.each(["plain", "it's", "$(rm -rf /)", "a\nb", "`x`", "'", "", "\\"])("round-trips %j through sh", (value) => {
    expect(execFileSync("sh", ["-c", `printf '%s' ${shellQuote(value)}`]).toString()).toBe(value);
  });
});

describe("prepareSteps", () => {
  const steps = prepareSteps(plan);

  test("lists the steps in the order a host needs them", () => {
    expect(steps.map((s) => s.name)).toEqual([
      "kernel modules",
      "sysctl",
      "swap off",
      "container runtime (containerd >= 2.0, containerd.io)",
      "kubelet, kubeadm, kubectl 1.36.3",
    ]);
  });

  test("keeps Debian's containerd for Kubernetes before 1.36", () => {
    expect(prepareSteps({ ...plan, kubernetesVersion: "1.35.2" })[3].name).toBe("container runtime (containerd)");
  });

  test.each(steps.flatMap((s) => [
    { step: s.name, part: "check", script: s.check },
    { step: s.name, part: "apply", script: s.apply },
  ]))("$step $part is valid bash", ({ script }) => {
    expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
  });

  test("pins the Kubernetes packages to the version and holds them", () => {
    const packages = steps[4];
    expect(packages.apply).toContain("kubelet=1.36.3-* kubeadm=1.36.3-* kubectl=1.36.3-*");
    expect(packages.apply).toContain("apt-mark hold kubelet kubeadm kubectl");
    expect(packages.check).toContain("grep -q '^1\\.36\\.3-'");
  });

  test("uses the upstream repository of the minor version by default", () => {
    expect(steps[4].apply).toContain("https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /");
    expect(steps[4].apply).toContain("https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key");
  });

  test("uses a given repository and writes its key instead of downloading one", () => {
    const key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nabc\n-----END PGP PUBLIC KEY BLOCK-----\n";
    const apply = prepareSteps({ ...plan, packages: { aptRepository: "http://10.213.0.1:8080/", aptKey: key } })[4].apply;
    expect(apply).toContain("deb [signed-by=/etc/apt/keyrings/kubeadm-workers-kubernetes.asc] http://10.213.0.1:8080/ ./");
    expect(apply).not.toContain("curl");
    expect(apply).toContain("BEGIN PGP PUBLIC KEY BLOCK");
  });
});

test("refreshes the host's own sources too, best effort, so the kubelet's dependencies resolve on a fresh host", () => {
  const apply = prepareSteps(plan)[4].apply;
  const ours = apply.indexOf("update -q $parts -o APT::Get::List-Cleanup=0");
  const all = apply.indexOf("update -q -o APT::Get::List-Cleanup=0 >/dev/null 2>&1 || echo \"warning: apt-get update of the host's other sources failed");
  expect(ours).toBeGreaterThan(0);
  expect(all).toBeGreaterThan(ours);
  expect(all).toBeLessThan(apply.indexOf("install -y -q --allow-change-held-packages"));
});
