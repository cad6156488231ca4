import * as fs from "node:fs";
import * as path from "node:path";
import { run, runOk } from "../support/process";
import { kubeconfigPath, kubectl, labClusterConfig, labDir, labHosts, labSsh, requireLab, waitFor } from "./support/lab";

// The lab itself, as a user drives it: `npm run lab -- up|status|down`, and a worker joined by hand
// with the commands a kubeadm user types. The last test takes the lab down and brings it back.
jest.setTimeout(300_000);

const lab = (...args: string[]) => run("bash", ["lab/lab.sh", ...args], { timeoutMs: 300_000 });
/** `lab ARGS` that must succeed: a failure carries the lab's whole output (what it left behind, and why). */
const labOk = (...args: string[]) => runOk("bash", ["lab/lab.sh", ...args], { timeoutMs: 300_000 });
const pidFile = (component: string) => path.join(labDir, "control-plane", "pids", `${component}.pid`);


/** Running means the process exists and is not a zombie (this sandbox's PID 1 reaps orphans late). */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

beforeAll(requireLab);

describe("the lab lifecycle", () => {
  test("up on a running lab changes nothing", async () => {
    const hostsBefore = fs.readFileSync(path.join(labDir, "hosts.json"), "utf8");
    const pidsBefore = ["etcd", "kube-apiserver", "kube-scheduler"].map((c) => fs.readFileSync(pidFile(c), "utf8"));

    const up = await lab("up");

    expect(up.code).toBe(0);
    expect(fs.readFileSync(path.join(labDir, "hosts.json"), "utf8")).toBe(hostsBefore);
    expect(["etcd", "kube-apiserver", "kube-scheduler"].map((c) => fs.readFileSync(pidFile(c), "utf8"))).toEqual(pidsBefore);
  });

  test("status reports a component that died, and up brings it back", async () => {
    const pid = Number(fs.readFileSync(pidFile("kube-scheduler"), "utf8"));
    process.kill(pid, "SIGKILL");
    await waitFor("the scheduler to exit", () => Promise.resolve(isRunning(pid) ? undefined : true));

    const status = await lab("status");
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^kube-scheduler dead pid=\d+$/m);
    expect(status.stdout).toMatch(/^kube-apiserver running pid=\d+$/m);

    await labOk("up");
    const healed = await lab("status");
    expect(healed.code).toBe(0);
    expect(healed.stdout).toMatch(/^kube-scheduler running pid=\d+$/m);
  });

  test("a worker joins by hand with the commands a kubeadm user types", async () => {
    const host = labHosts()[0];
    const ca = path.join(labDir, "control-plane", "pki", "ca.crt");
    // On the control plane side: a token and the CA hash, as the kubeadm docs show.
    const token = (await runOk("kubeadm", ["token", "create", "--kubeconfig", kubeconfigPath, "--ttl", "10m"])).stdout.trim();
    const hash = (await runOk("sh", ["-c", `openssl x509 -pubkey -noout -in ${ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`])).stdout.trim();
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    try {
      // On the host: what a kubeadm user of an air-gapped cluster types. containerd.io (>= 2, which
      // Kubernetes 1.36 needs) from the cluster's containerd mirror with its default configuration,
      // the private registry as mirror of registry.k8s.io (containerd 2 reads certs.d by default),
      // kubeadm's sandbox image pinned, and the one setting this machine needs (it refuses to lower
      // oom_score_adj); then pkgs.k8s.io's install steps against the lab repository.
      const published = labClusterConfig();
      const repo = published.packages.aptRepository;
      const sandbox = (await runOk("kubeadm", ["config", "images", "list", "--kubernetes-version", "v1.36.3"])).stdout.split("\n").find((i) => i.includes("/pause:"));
      if (!sandbox) throw new Error("kubeadm config images list named no pause image");
      // One hosts.toml per registry the cluster pulls from (registry.k8s.io, and the private registry
      // itself, which serves plain HTTP: containerd tries HTTPS unless its hosts.toml says otherwise).
      const registryHosts = Object.entries(published.containerd.registryMirrors).map(([registry, mirrors]) =>
        `mkdir -p /etc/containerd/certs.d/${registry} && printf '${[`server = "https://${registry}"`, ...mirrors.map((m) => `[host."${m}"]\\n  capabilities = ["pull", "resolve"]`)].join("\\n")}\\n' > /etc/containerd/certs.d/${registry}/hosts.toml`,
      );
      const install = await labSsh(
        host.address,
        [
          "set -eo pipefail",
          "export DEBIAN_FRONTEND=noninteractive",
          // a host fresh for this: nothing left of earlier runs of the provider
          "kubeadm reset -f >/dev/null 2>&1 || true",
          "apt-mark unhold kubelet kubeadm kubectl containerd.io >/dev/null 2>&1 || true",
          "apt-get purge -y -q containerd containerd.io kubelet kubeadm kubectl kubernetes-cni </dev/null >/dev/null 2>&1 || true",
          // (and no image an earlier test pulled: a new host has to pull the CNI image like any other;
          // /var/lib/containerd itself is a mount point in a lab host)
          "rm -rf /etc/containerd /var/lib/containerd/* /etc/apt/sources.list.d/kubeadm-workers-*.list /etc/apt/keyrings/kubeadm-workers-*.asc",
          "mkdir -p /etc/apt/keyrings",
          `curl -fsSL ${published.containerd.aptRepository}gpg | gpg --batch --yes --dearmor -o /etc/apt/keyrings/docker.gpg`,
          `echo 'deb [signed-by=/etc/apt/keyrings/docker.gpg] ${published.containerd.aptRepository} /' > /etc/apt/sources.list.d/docker.list`,
          "apt-get update -q >/dev/null",
          "apt-get install -y -q -o Dpkg::Options::=--force-confnew containerd.io </dev/null >/dev/null",
          "containerd config default > /etc/containerd/config.toml",
          `sed -i -e "s|sandbox = '.*'|sandbox = '${sandbox}'|" -e 's|restrict_oom_score_adj = false|restrict_oom_score_adj = true|' -e "s|config_path = ''|config_path = '/etc/containerd/certs.d'|" /etc/containerd/config.toml`,
          "grep -E \"sandbox = |restrict_oom_score_adj|config_path\" /etc/containerd/config.toml",
          ...registryHosts,
          "systemctl restart containerd",
          `curl -fsSL ${repo}Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
          `echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] ${repo} /' > /etc/apt/sources.list.d/kubernetes.list`,
          "apt-get update -q >/dev/null",
          "apt-get install -y -q kubelet kubeadm kubectl </dev/null >/dev/null",
          // kubeadm's prerequisites page: enable IPv4 packet forwarding
          "echo net.ipv4.ip_forward = 1 > /etc/sysctl.d/k8s.conf && sysctl -q -p /etc/sysctl.d/k8s.conf",
          // The lab machine's kernel runs cgroup v1, which kubeadm 1.36 refuses unless told: the lab
          // publishes the checks to skip, and its API server endpoint.
          `kubeadm join ${published.apiServerEndpoint} --token ${token} --discovery-token-ca-cert-hash sha256:${hash} --ignore-preflight-errors=${published.kubeadm.ignorePreflightErrors.join(",")}`,
        ].join("\n"),
      );
      if (install.code !== 0 || /error execution phase|^E: /m.test(install.stderr)) {
        throw new Error(`the install on ${host.name} failed (exit ${install.code})\n--- stdout\n${install.stdout}\n--- stderr\n${install.stderr}`);
      }
      expect(install.stdout).toMatch(/This node has joined the cluster/);

      await waitFor(`Node ${host.name} Ready`, async () => {
        const ready = await kubectl(["get", "node", host.name, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"]).catch(() => undefined);
        return ready?.stdout === "True" ? true : undefined;
      }, 180_000).catch(async (error: Error) => {
        // What the host's kubelet and containerd said, and the config it ran with, for whoever reads the failure.
        const logs = await labSsh(host.address, "tail -n 25 /var/log/shim/kubelet.log /var/log/shim/containerd.log 2>&1");
        const conditions = await kubectl(["get", "node", host.name, "-o", "jsonpath={.status.conditions}"]).catch(() => undefined);
        throw new Error(`${error.message}\n--- containerd config\n${install.stdout}\n--- conditions\n${conditions?.stdout ?? ""}\n--- logs on ${host.name}\n${logs.stdout}`);
      });
    } finally {
      // Leave the host and the cluster as found.
      await labSsh(
        host.address,
        "kubeadm reset -f >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get purge -y -q containerd.io kubelet kubeadm kubectl kubernetes-cni </dev/null >/dev/null 2>&1; " +
          "rm -rf /etc/containerd /etc/apt/sources.list.d/kubernetes.list /etc/apt/sources.list.d/docker.list /etc/apt/keyrings/kubernetes-apt-keyring.gpg /etc/apt/keyrings/docker.gpg /etc/sysctl.d/k8s.conf; true",
      );
      await kubectl(["delete", "node", host.name, "--ignore-not-found"]);
      await runOk("kubeadm", ["token", "delete", "--kubeconfig", kubeconfigPath, token.split(".")[0]]).catch(() => undefined);
    }
  });

  test("down leaves no process, mount, network namespace or bridge; up brings the lab back", async () => {
    const pids = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"].map((c) => Number(fs.readFileSync(pidFile(c), "utf8")));
    const hostInits = labHosts().map((h) => Number(fs.readFileSync(path.join(labDir, "hosts", h.name, "init.pid"), "utf8")));

    try {
      await labOk("down");

      expect([...pids, ...hostInits].filter(isRunning)).toEqual([]);
      expect((await runOk("ip", ["netns", "list"])).stdout).not.toMatch(/kw-/);
      expect((await run("ip", ["link", "show", "kw-br0"])).code).not.toBe(0);
      expect(fs.readFileSync("/proc/mounts", "utf8")).not.toContain(labDir);
      const stopped = await lab("status");
      expect(stopped.stdout).not.toMatch(/ (running|dead)/);
      expect(stopped.code).toBe(0);
    } finally {
      // Back up even when down failed, so the suites after this one find a lab (and their own failures).
      await labOk("up");
    }
    expect((await kubectl(["get", "--raw", "/readyz"])).stdout.trim()).toBe("ok");
    expect((await labSsh(labHosts()[0].address, "hostname")).stdout.trim()).toBe(labHosts()[0].name);
  });
});
