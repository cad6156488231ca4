import { controlCharacterProblem, validateWorkerNodeInputs } from "../../../providers/worker-node/validate";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const aptKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----\r\n\r\nmQINBGx\n-----END PGP PUBLIC KEY BLOCK-----\n";
const base = { connection: { host: "10.213.0.11", privateKey, hostKey }, cluster: {} };

describe("free text that reaches a file on the host refuses newlines and control characters", () => {
  test.each([
    { property: "packages.aptDistribution", inputs: { packages: { aptRepository: "http://m/", aptKey, aptDistribution: "stable main\ndeb http://evil/ /" } } },
    { property: "packages.aptDistribution", inputs: { packages: { aptRepository: "http://m/", aptKey, aptDistribution: "stable\u0000" } } },
    { property: "packages.aptRepository", inputs: { packages: { aptRepository: "http://m/\u0007", aptKey } } },
    { property: "packages.aptKey", inputs: { packages: { aptRepository: "http://m/", aptKey: `${aptKey}\u001b[2J` } } },
    { property: "containerd.sandboxImage", inputs: { containerd: { sandboxImage: "pause:3.10\u2028x" } } },
    { property: 'containerd.registryMirrors["docker.io"][0]', inputs: { containerd: { registryMirrors: { "docker.io": ["https://m:5000/\u0085"] } } } },
    { property: "connection.hostKey", inputs: { connection: { ...base.connection, hostKey: `${hostKey} comment\nssh-ed25519 AAAAother` } } },
    { property: "connection.proxy.hostKey", inputs: { connection: { ...base.connection, proxy: { host: "bastion", privateKey, hostKey: `${hostKey} a\u0000b` } } } },
    { property: "connection.proxy.hostKey", inputs: { connection: { ...base.connection, proxy: { host: "bastion", privateKey, hostKey: "ssh-ed25519 nope!" } } } },
  ])("$property", ({ property, inputs }) => {
    const failures = validateWorkerNodeInputs({ ...base, ...inputs });
    expect(failures.filter((f) => f.property === property).length).toBeGreaterThan(0);
  });

  test("names the character and where it is", () => {
    expect(controlCharacterProblem("stable\nmain")).toBe(
      "must not contain newlines or control characters (found U+000A at position 6): it is written into a file on the host",
    );
  });

  test("an armored key keeps its line breaks (LF and CRLF); ordinary values pass", () => {
    const failures = validateWorkerNodeInputs({
      ...base,
      packages: { aptRepository: "http://10.213.0.1:8080/k8s/", aptDistribution: "/", aptKey },
      containerd: { sandboxImage: "registry.k8s.io/pause:3.10", registryMirrors: { "docker.io": ["https://mirror.lab:5000"] } },
      connection: { ...base.connection, proxy: { host: "bastion", privateKey, hostKey } },
    });
    expect(failures).toEqual([]);
  });
});

describe("kubernetesVersion has a floor: kubeadm's v1beta4 JoinConfiguration", () => {
  test.each(["1.31.0", "v1.36.3", "1.36.3"])("accepts %s", (kubernetesVersion) => {
    expect(validateWorkerNodeInputs({ ...base, kubernetesVersion })).toEqual([]);
  });
  test.each(["1.30.14", "v1.29.0", "1.9.11"])("refuses %s at preview", (kubernetesVersion) => {
    expect(validateWorkerNodeInputs({ ...base, kubernetesVersion })).toEqual([
      { property: "kubernetesVersion", reason: expect.stringMatching(/older than 1\.31\.0, the oldest release whose kubeadm reads the v1beta4 JoinConfiguration/) as string },
    ]);
  });
  test("refuses a major other than 1", () => {
    expect(validateWorkerNodeInputs({ ...base, kubernetesVersion: "2.0.0" })[0]?.reason).toMatch(/like "1.36.3"/);
  });
});
