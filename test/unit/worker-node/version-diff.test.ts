import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import { diff } from "../../../providers/worker-node/implementation";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";

// The provider's diff judges a version change against the version recorded at the last up: when
// the entry's kubernetesVersion was unset (it resolved to the control plane's at join), check only
// sees the unset previous input and cannot refuse; diff must (issue 8, item 1).

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";
const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";

/** A node joined with kubernetesVersion unset: it resolved to 1.36.3. */
const recorded = {
  nodeName: "lab-host-1", host: "10.213.0.11", port: 22, user: "root", hostKey, hostKeyFingerprint: "SHA256:yLGP66N6y7OpuqeObwEGWx+jErIFINQnOL9I3r+Mquo",
  apiServerEndpoint: "10.213.0.1:6443", caCertHash: "sha256:abc", kubernetesVersion: "1.36.3", kubeletVersion: "v1.36.3", containerdVersion: "containerd://2.1.4",
  machineId: "m-1", labels: {}, taints: [], reset: true, drain: {}, containerd: {}, packages: {},
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey, hostKey }, cluster: { kubeconfig: "clusters: []" }, joinInputs: {},
  givenInputs: { keys: ["connection", "cluster"] },
} as unknown as WorkerNodeOutputs;

const withVersion = (kubernetesVersion?: string): WorkerNodeInputs => ({
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey },
  cluster: { kubeconfig: "clusters: []" },
  ...(kubernetesVersion ? { kubernetesVersion } : {}),
});

describe("diff: a kubernetesVersion set on an entry whose version was unset", () => {
  test.each([
    ["1.36.1", /^node lab-host-1: kubernetesVersion 1\.36\.1 refused: 1\.36\.1 is older than 1\.36\.3, which the node runs: a node is never downgraded in place/],
    ["v1.35.9", /^node lab-host-1: kubernetesVersion 1\.35\.9 refused: 1\.35\.9 is older than 1\.36\.3/],
    ["1.38.0", /^node lab-host-1: kubernetesVersion 1\.38\.0 refused: 1\.36\.3 → 1\.38\.0 skips 1 minor release\(s\): kubeadm upgrades one minor at a time\. Upgrade to 1\.37\.x first/],
  ])("%s on a node recorded at 1.36.3 fails the preview", async (version, refusal) => {
    await expect(diff("lab-host-1", recorded, withVersion(version))).rejects.toThrow(refusal);
  });

  test.each([
    ["the version it runs, spelled with a v", "v1.36.3", { changes: false }],
    ["still unset", undefined, { changes: false }],
    ["the next patch release: an in-place upgrade, diffed by the engine", "1.36.4", {}],
    ["the next minor: an in-place upgrade, diffed by the engine", "1.37.0", {}],
  ])("%s is not refused", async (_, version, answer) => {
    await expect(diff("lab-host-1", recorded, withVersion(version))).resolves.toEqual(answer);
  });
});

describe("diff: an upgrade to a release that needs containerd 2, of a node recorded on containerd 1.x", () => {
  const on = (containerdVersion: string | undefined, kubernetesVersion = "1.35.4") =>
    ({ ...recorded, kubernetesVersion, kubeletVersion: `v${kubernetesVersion}`, containerdVersion }) as unknown as WorkerNodeOutputs;

  test("fails the preview naming the version found, the version required and the way out", async () => {
    await expect(diff("lab-host-1", on("containerd://1.7.24"), withVersion("1.36.3"))).rejects.toThrow(
      "node lab-host-1: kubernetesVersion 1.36.3 refused: the node runs containerd 1.7.24 (its Node reports containerd://1.7.24), but Kubernetes 1.36 requires containerd 2.0 or newer " +
        "(1.35 was the last release to support containerd 1.x), and an in-place upgrade never replaces the container runtime. Keep kubernetesVersion at 1.35, or set containerd.upgrade: true " +
        "and replace the node (`pulumi up --replace <its URN>`; `pulumi stack --show-urns` lists them): it is drained and removed, and its host joins again with containerd 2 in place of 1.x",
    );
  });

  test.each([
    ["containerd 2 recorded", on("containerd://2.1.4"), withVersion("1.36.3")],
    ["a 1.35 patch release on containerd 1.x", on("containerd://1.7.24"), withVersion("1.35.5")],
    ["no runtime recorded (the update reads the Node before the drain)", on(undefined), withVersion("1.36.3")],
    ["another runtime than containerd", on("cri-o://1.35.1"), withVersion("1.36.3")],
    ["a replacement (another nodeName): the new join's preflight judges the host", on("containerd://1.7.24"), { ...withVersion("1.36.3"), nodeName: "web-9" }],
  ])("%s is not refused here", async (_, olds, news) => {
    await expect(diff("lab-host-1", olds, news)).resolves.toEqual({});
  });
});
