import { registryHostsToml } from "../../providers/host/containerd";
import { shellQuote } from "../../providers/host/prepare-steps";
import { run, runOk } from "../support/process";
import { createKwokNode, deleteNodes } from "./support/kwok-nodes";
import { apply, kubectlJson, labClusterConfig, labHosts, labSsh, requireLab, uniqueName, waitFor } from "./support/lab";

// The lab registry (lab/registry/) and the images the lab builds itself (lab/images/): what
// .lab/cluster.json publishes must be pullable by a lab host's containerd, with no other registry.
jest.setTimeout(300_000);

const ociManifest = "application/vnd.oci.image.manifest.v1+json";

interface ImageManifest {
  mediaType: string;
  config: { digest: string };
  layers: { digest: string; size: number }[];
}

/** host:port/repository:tag split the way the registry API addresses it. */
function parts(ref: string): { registry: string; repository: string; tag: string } {
  const match = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
  if (!match) throw new Error(`${ref} is not registry/repository:tag`);
  return { registry: match[1], repository: match[2], tag: match[3] };
}

async function getManifest(ref: string): Promise<{ digest: string; manifest: ImageManifest }> {
  const { registry, repository, tag } = parts(ref);
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, { headers: { Accept: ociManifest } });
  if (response.status !== 200) throw new Error(`GET manifest of ${ref}: HTTP ${response.status} ${await response.text()}`);
  return { digest: response.headers.get("docker-content-digest") ?? "", manifest: (await response.json()) as ImageManifest };
}

beforeAll(requireLab);

describe("the lab registry", () => {
  test("answers on the lab bridge address only", async () => {
    const { registry } = labClusterConfig();
    expect(registry).toBe("10.213.0.1:5000");

    const onBridge = await fetch(`http://${registry}/v2/`);
    expect(onBridge.status).toBe(200);
    expect(onBridge.headers.get("docker-distribution-api-version")).toBe("registry/2.0");
    // the same port on loopback is closed, and the only listener on it is the bridge address
    await expect(fetch("http://127.0.0.1:5000/v2/")).rejects.toThrow();
    const listeners = (await runOk("ss", ["-ltnH", "sport = :5000"])).stdout.trim().split("\n").map((line) => line.split(/\s+/)[3]);
    expect(listeners).toEqual(["10.213.0.1:5000"]);
  });

  test("serves the pause, test app and CNI images that cluster.json names, for linux/amd64", async () => {
    const lab = labClusterConfig();
    // the pause image carries the tag the toolchain's kubeadm names, and is the sandbox image stacks get
    const kubeadmPause = (await runOk("kubeadm", ["config", "images", "list", "--kubernetes-version", "v1.36.3"])).stdout
      .split("\n")
      .find((line) => line.includes("/pause:"));
    expect(kubeadmPause).toBeDefined();
    expect(lab.images.pause).toBe(`${lab.registry}/pause:${kubeadmPause!.split(":").pop()!}`);
    expect(lab.containerd.sandboxImage).toBe(lab.images.pause);
    expect(lab.containerd.registryMirrors["registry.k8s.io"]).toEqual([`http://${lab.registry}`]);

    for (const ref of [lab.images.pause, lab.images.testApp, lab.images.cni]) {
      const { digest, manifest } = await getManifest(ref);
      expect({ ref, mediaType: manifest.mediaType, layers: manifest.layers.length }).toEqual({ ref, mediaType: ociManifest, layers: 1 });
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const { registry, repository } = parts(ref);
      const config = (await (await fetch(`http://${registry}/v2/${repository}/blobs/${manifest.config.digest}`)).json()) as {
        os: string;
        architecture: string;
        config: { Entrypoint: string[] };
      };
      expect({ ref, os: config.os, architecture: config.architecture }).toEqual({ ref, os: "linux", architecture: "amd64" });
      expect(config.config.Entrypoint).toHaveLength(1);
    }
  });

  test("pushing the images again sends nothing: every tag is already present", async () => {
    const push = await run("bash", ["lab/registry/images.sh"]);
    expect(push.code).toBe(0);
    const lines = push.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/ already present \(sha256:/);
  });

  test("a lab host pulls the test app with ctr over plain HTTP, and pause through a registry.k8s.io mirror", async () => {
    const lab = labClusterConfig();
    const host = labHosts()[labHosts().length - 1];
    const { digest } = await getManifest(lab.images.testApp);
    const pauseTag = parts(lab.images.pause).tag;
    const hostsDir = `/tmp/${uniqueName("kw-hosts")}`;
    // containerd as the provider would find it; installed for this test when the host has none,
    // from the lab's containerd.io repository only: Debian's containerd 1.x would hide a lab that
    // lost its containerd 2.
    const missingRepository =
      `the lab's containerd.io repository is not served at ${lab.containerd.aptRepository} (no Release file): ` +
      "rebuild the toolchain (npm run toolchain) and bring the lab up again (npm run lab -- up), which builds containerd.io with lab/hosts/containerd-debs.sh";
    const ensureContainerd = [
      "set -e",
      "export DEBIAN_FRONTEND=noninteractive",
      "if ! command -v ctr >/dev/null; then",
      `  curl -fsS -o /dev/null ${lab.containerd.aptRepository}Release || { echo ${shellQuote(missingRepository)} >&2; exit 3; }`,
      "  mkdir -p /etc/apt/keyrings",
      `  printf '%s' ${shellQuote(lab.containerd.aptKey)} > /etc/apt/keyrings/kw-test-containerd.asc`,
      `  echo 'deb [signed-by=/etc/apt/keyrings/kw-test-containerd.asc] ${lab.containerd.aptRepository} ${lab.containerd.aptDistribution}' > /etc/apt/sources.list.d/kw-test-containerd.list`,
      "  apt-get update -q >/dev/null",
      `  apt-get install -y -q ${lab.containerd.package} >/dev/null`,
      `  echo installed ${lab.containerd.package}`,
      "fi",
      "systemctl start containerd >/dev/null 2>&1 || true",
      "for i in $(seq 1 50); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done",
      "ctr version | sed -n 's/^ *Version: *//p' | tail -n1",
    ].join("\n");
    const prepared = await labSsh(host.address, ensureContainerd);
    if (prepared.code !== 0) throw new Error(`containerd could not be prepared on ${host.name} (exit ${prepared.code}): ${prepared.stderr.trim()}`);
    const installed = /^installed (\S+)$/m.exec(prepared.stdout)?.[1];
    console.info(`lab-registry test: ${host.name} runs containerd ${prepared.stdout.trim().split("\n").pop() ?? "?"}${installed ? ` (${installed}, installed for this test)` : ""}`);
    try {
      // WHEN the host pulls the test app by the lab reference, over plain HTTP
      const pull = await labSsh(host.address, `ctr -n k8s.io images pull --plain-http ${lab.images.testApp} >/dev/null && ctr -n k8s.io images ls`);
      expect(pull).toMatchObject({ code: 0 });
      expect(pull.stdout).toContain(`${lab.images.testApp} `);
      expect(pull.stdout).toContain(digest);

      // AND pause by its upstream name, through the mirror config the provider writes for registry.k8s.io
      const hostsToml = registryHostsToml("registry.k8s.io", lab.containerd.registryMirrors["registry.k8s.io"]);
      const mirrored = await labSsh(
        host.address,
        [
          "set -e",
          `mkdir -p ${hostsDir}/registry.k8s.io`,
          `printf '%s' ${shellQuote(hostsToml)} > ${hostsDir}/registry.k8s.io/hosts.toml`,
          `ctr -n k8s.io images pull --hosts-dir ${hostsDir} registry.k8s.io/pause:${pauseTag} >/dev/null`,
          "ctr -n k8s.io images ls -q",
        ].join("\n"),
      );
      expect(mirrored).toMatchObject({ code: 0 });
      expect(mirrored.stdout.split("\n")).toContain(`registry.k8s.io/pause:${pauseTag}`);
    } finally {
      // Leave the host as found: the images go, and containerd too when this test installed it.
      await labSsh(
        host.address,
        [
          `rm -rf ${hostsDir}`,
          `ctr -n k8s.io images rm ${lab.images.testApp} registry.k8s.io/pause:${pauseTag} >/dev/null 2>&1`,
          ...(installed
            ? [
                "systemctl stop containerd >/dev/null 2>&1",
                `DEBIAN_FRONTEND=noninteractive apt-get purge -y -q --auto-remove ${installed} >/dev/null 2>&1`,
                "rm -rf /var/lib/containerd/* /etc/apt/keyrings/kw-test-containerd.asc /etc/apt/sources.list.d/kw-test-containerd.list",
              ]
            : []),
          "true",
        ].join("\n"),
      );
    }
  });
});

describe("the lab CNI DaemonSet", () => {
  interface CniPod {
    spec: {
      nodeName?: string;
      hostNetwork?: boolean;
      affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { key: string; values: string[] }[] }[] } } };
      containers: { image: string; env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[];
    };
  }
  /** The Node a DaemonSet pod is for: bound, or pinned by the controller's metadata.name affinity until the scheduler binds it. */
  const targetOf = (pod: CniPod): string | undefined =>
    pod.spec.nodeName ??
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
      .flatMap((t) => t.matchFields ?? [])
      .find((f) => f.key === "metadata.name")?.values[0];
  const podsFor = async (node: string) =>
    (await kubectlJson<{ items: CniPod[] }>(["get", "pods", "-n", "kube-system", "-l", "app.kubernetes.io/name=kw-cni"])).items.filter((p) => targetOf(p) === node);

  test("has a pod for a real node tainted NoSchedule, with the lab image and the node's own address; none for a node tainted NoExecute, nor for a kwok node", async () => {
    const fake = uniqueName("kw-cni-fake");
    const noExecute = uniqueName("kw-cni-noexecute");
    const tainted = uniqueName("kw-cni-tainted");
    const realNode = (name: string, taint: { key: string; effect: string }) => ({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" } },
      spec: { taints: [taint] },
    });
    try {
      // GIVEN a kwok fake Node, a Node as a kubelet registers it with a NoExecute taint of its
      // own (flannel's tolerations, which the lab's are, leave such a node without its network),
      // then one tainted as a control-plane node is
      await createKwokNode(fake, fake);
      await apply(realNode(noExecute, { key: "kubeadm-workers-test/dedicated", effect: "NoExecute" }));
      await apply(realNode(tainted, { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }));
      // THEN the DaemonSet makes a pod for the NoSchedule-tainted Node (hostNetwork, HOST_IP from status.hostIP)
      const [pod] = await waitFor(`a kw-cni pod for Node ${tainted}`, async () => {
        const pods = await podsFor(tainted);
        return pods.length > 0 ? pods : undefined;
      });
      expect(pod.spec.hostNetwork).toBe(true);
      expect(pod.spec.containers[0].image).toBe(labClusterConfig().images.cni);
      expect(pod.spec.containers[0].env).toContainEqual({ name: "HOST_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.hostIP" } } });
      // AND none for the NoExecute-tainted Node nor the kwok Node, which the controller knew before the tainted one
      expect(await podsFor(noExecute)).toEqual([]);
      expect(await podsFor(fake)).toEqual([]);
    } finally {
      await deleteNodes([fake, noExecute, tainted]);
    }
  });
});
