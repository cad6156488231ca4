import * as path from "node:path";
import { run, runOk } from "../support/process";
import { buildPauseArchive } from "./support/offline-image";
import { kubeconfigPath, kubectl, kubectlJson, labClusterConfig, labDir, labHosts, labSsh, requireLab, uniqueName, waitFor } from "./support/lab";

// A real node on a lab host, set up by hand the way kubeadm's docs tell a user: containerd.io 2.x from
// the lab's containerd repository with a CRI config, the real kubelet and kubeadm from the lab's
// pkgs.k8s.io look-alike, a CNI config, `kubeadm join`. The Node must be made Ready by its own kubelet
// (no kwok), run a pod through containerd and runc, and renew its Lease.
jest.setTimeout(600_000);

/** The lab's pkgs.k8s.io look-alike and containerd.io repository, as .lab/cluster.json publishes them. */
const kubernetesRepo = () => labClusterConfig().packages.aptRepository;
const containerdRepo = () => labClusterConfig().containerd.aptRepository;
const pauseImage = "lab.invalid/kw-pause:1";
const sshKey = path.join(labDir, "ssh", "id_ed25519");

/** The newest Kubernetes version whose kubelet package the lab repository serves (it serves two). */
async function realKubeletVersion(): Promise<string> {
  const index = (await runOk("curl", ["-fsS", `${kubernetesRepo()}Packages`])).stdout;
  const versions = index
    .split("\n\n")
    .filter((stanza) => /^Package: kubelet$/m.test(stanza))
    .map((stanza) => /^Version: (\S+)-1$/m.exec(stanza)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no real kubelet package in ${kubernetesRepo()}Packages: build the toolchain (bash lab/toolchain/build.sh)`);
  return newest;
}

interface NodeObject {
  metadata: { annotations?: Record<string, string> };
  status: { nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string }; conditions: { type: string; status: string }[] };
}
interface LeaseObject {
  spec: { holderIdentity?: string; renewTime?: string };
}

// containerd 2's config as a kubeadm user writes it (config version 3), plus this machine's one need:
// it refuses to lower oom_score_adj, which runc does for every sandbox unless told not to.
const containerdConfig = `version = 3
[plugins.'io.containerd.cri.v1.images'.pinned_images]
  sandbox = '${pauseImage}'
[plugins.'io.containerd.cri.v1.runtime']
  restrict_oom_score_adj = true
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
  runtime_type = 'io.containerd.runc.v2'
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  SystemdCgroup = false
`;

// A bridge network for this node's pods (what a cluster's CNI DaemonSet would drop in /etc/cni/net.d).
const cniConfig = JSON.stringify({
  cniVersion: "1.0.0",
  name: "kw-real-node-test",
  plugins: [
    { type: "bridge", bridge: "kw-cni0", isGateway: true, ipMasq: false, ipam: { type: "host-local", ranges: [[{ subnet: "10.244.250.0/24" }]], routes: [{ dst: "0.0.0.0/0" }] } },
    { type: "portmap", capabilities: { portMappings: true } },
  ],
});

const cleanupScript = [
  "export DEBIAN_FRONTEND=noninteractive",
  "kubeadm reset -f >/dev/null 2>&1",
  // earlier tests leave the provider's packages held: a purge of held packages changes nothing
  "apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1",
  "apt-get purge -y -q --allow-change-held-packages kubelet kubeadm kubectl kubernetes-cni containerd.io containerd runc </dev/null >/dev/null 2>&1",
  // the provider's own apt sources too: apt refuses one repository under two keys
  "rm -rf /etc/apt/sources.list.d/kubeadm-workers-*.list /etc/apt/keyrings/kubeadm-workers-*",
  "rm -rf /etc/apt/sources.list.d/kw-real-node-*.list /etc/apt/keyrings/kw-real-node-*.gpg /etc/cni/net.d/10-kw-real-node.conflist /etc/containerd /etc/sysctl.d/k8s.conf /tmp/kw-pause.tar",
  "ip link del kw-cni0 2>/dev/null",
  "rm -rf /var/lib/containerd/* /var/lib/cni",
  "true",
].join("\n");

beforeAll(requireLab);

describe("a real node on a lab host", () => {
  test("containerd.io 2 and the real kubelet join; its kubelet makes the Node Ready, runs a pod and renews the Lease", async () => {
    const host = labHosts()[1];
    if (!host) throw new Error('the lab has no host #2: run "npm run lab -- up --hosts 3"');
    const ca = path.join(labDir, "control-plane", "pki", "ca.crt");
    const token = (await runOk("kubeadm", ["token", "create", "--kubeconfig", kubeconfigPath, "--ttl", "10m"])).stdout.trim();
    const hash = (await runOk("sh", ["-c", `openssl x509 -pubkey -noout -in ${ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`])).stdout.trim();
    const pod = uniqueName("kw-real-pod");
    const version = await realKubeletVersion();
    try {
      // GIVEN the sandbox image on the host (no registry needed)
      const archive = await buildPauseArchive(pauseImage);
      await labSsh(host.address, cleanupScript);
      await runOk("scp", ["-i", sshKey, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", archive, `root@${host.address}:/tmp/kw-pause.tar`]);

      // WHEN the host is set up as kubeadm's docs say and joins
      const setup = await labSsh(
        host.address,
        [
          "set -ex",
          // a question from dpkg (a conffile prompt) fails at once instead of waiting on the session
          "exec </dev/null",
          "export DEBIAN_FRONTEND=noninteractive",
          "mkdir -p /etc/apt/keyrings",
          `curl -fsSL ${containerdRepo()}gpg | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kw-real-node-containerd.gpg`,
          `echo 'deb [signed-by=/etc/apt/keyrings/kw-real-node-containerd.gpg] ${containerdRepo()} /' > /etc/apt/sources.list.d/kw-real-node-containerd.list`,
          `curl -fsSL ${kubernetesRepo()}Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kw-real-node-kubernetes.gpg`,
          `echo 'deb [signed-by=/etc/apt/keyrings/kw-real-node-kubernetes.gpg] ${kubernetesRepo()} /' > /etc/apt/sources.list.d/kw-real-node-kubernetes.list`,
          "apt-get update -q >/dev/null",
          "apt-get install -y -q containerd.io >/dev/null",
          // the package ships CRI disabled; kubeadm's docs: write a config with it enabled, restart
          // (an earlier test may have left the package installed with /etc/containerd removed)
          "mkdir -p /etc/containerd",
          `cat > /etc/containerd/config.toml <<'TOML'\n${containerdConfig}TOML`,
          "systemctl restart containerd",
          "for i in $(seq 1 50); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done",
          "ctr -n k8s.io images import /tmp/kw-pause.tar >/dev/null",
          `apt-get install -y -q --allow-downgrades --allow-change-held-packages kubelet=${version}-1 kubeadm=${version}-1 kubectl=${version}-1 >/dev/null`,
          "echo net.ipv4.ip_forward = 1 > /etc/sysctl.d/k8s.conf && sysctl -q -p /etc/sysctl.d/k8s.conf",
          "mkdir -p /etc/cni/net.d",
          `echo '${cniConfig}' > /etc/cni/net.d/10-kw-real-node.conflist`,
          "echo containerd: $(containerd --version)",
          "set +x  # the join line holds the bootstrap token",
          // the preflight checks the lab publishes that it must skip (its kernel runs cgroup v1, which
          // kubeadm 1.36's SystemVerification refuses)
          `kubeadm join ${labClusterConfig().apiServerEndpoint} --token ${token} --discovery-token-ca-cert-hash sha256:${hash} --ignore-preflight-errors=${labClusterConfig().kubeadm.ignorePreflightErrors.join(",")}`,
        ].join("\n"),
      );
      if (setup.code !== 0 || /error execution phase|^E: /m.test(setup.stderr)) {
        throw new Error(`the setup on ${host.name} exited ${setup.code}\n--- stdout\n${setup.stdout}\n--- stderr (last lines)\n${setup.stderr.split("\n").slice(-40).join("\n")}`);
      }
      expect(setup.stdout).toMatch(/containerd: containerd containerd\.io 2\.\d+\.\d+/);
      expect(setup.stdout).toMatch(/This node has joined the cluster/);

      // THEN its own kubelet makes the Node Ready: containerd 2, the real kubelet, no kwok
      const node = await waitFor(
        `Node ${host.name} Ready`,
        async () => {
          const got = await kubectlJson<NodeObject>(["get", "node", host.name]).catch(() => undefined);
          return got?.status.conditions?.find((c) => c.type === "Ready")?.status === "True" ? got : undefined;
        },
        180_000,
      );
      expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/2\./);
      expect(node.status.nodeInfo.kubeletVersion).toBe(`v${version}`);
      expect(Object.keys(node.metadata.annotations ?? {}).filter((k) => k.startsWith("kwok.x-k8s.io"))).toEqual([]);

      // AND its Lease is held and renewed by its kubelet
      const lease = () => kubectlJson<LeaseObject>(["get", "lease", "-n", "kube-node-lease", host.name]);
      // (the kubelet creates its Lease once its Node exists, a moment after registering)
      const first = await waitFor(`the Lease of ${host.name}`, () => lease().catch(() => undefined), 60_000);
      expect(first.spec.holderIdentity).toBe(host.name);
      await waitFor(`the Lease of ${host.name} renewed after ${first.spec.renewTime}`, async () => {
        const later = await lease();
        return later.spec.renewTime !== first.spec.renewTime ? true : undefined;
      }, 60_000);

      // AND a pod runs there through containerd and runc, with an address from the CNI config
      await kubectl(["run", pod, `--image=${pauseImage}`, "--image-pull-policy=Never", "--restart=Never",
        `--overrides=${JSON.stringify({ spec: { nodeName: host.name } })}`]);
      const podIp = await waitFor(`pod ${pod} Running`, async () => {
        const got = await kubectl(["get", "pod", pod, "-o", "jsonpath={.status.phase} {.status.podIP}"]);
        const [phase, ip] = got.stdout.split(" ");
        return phase === "Running" && ip ? ip : undefined;
      }, 120_000);
      expect(podIp).toMatch(/^10\.244\.250\./);
      const tasks = await labSsh(host.address, "ctr -n k8s.io tasks ls");
      expect(tasks.stdout).toMatch(/RUNNING/);
    } catch (error) {
      // What the host's kubelet and containerd said, for whoever reads the failure.
      const logs = await labSsh(host.address, "tail -n 30 /var/log/shim/kubelet.log /var/log/shim/containerd.log 2>&1");
      throw new Error(`${String(error)}\n--- logs on ${host.name}\n${logs.stdout}`, { cause: error });
    } finally {
      await run("kubectl", ["--kubeconfig", kubeconfigPath, "delete", "pod", pod, "--ignore-not-found", "--wait=false"]);
      await labSsh(host.address, cleanupScript);
      await run("kubectl", ["--kubeconfig", kubeconfigPath, "delete", "node", host.name, "--ignore-not-found"]);
      await run("kubeadm", ["token", "delete", "--kubeconfig", kubeconfigPath, token.split(".")[0]]);
    }
  });
});
