// The apt source scripts run for real against a directory standing in for /etc/apt, with curl and
// apt-get stand-ins on PATH: what a host's keyring and source list hold after each change.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { containerdAptSource, containerdAptSourceName } from "../../../providers/host/containerd";
import { aptSourceStep } from "../../../providers/host/apt-source";
import { aptSourceFiles, aptSourceSetup, aptSourceStepOf } from "../../../providers/host/shell-files";

const bookworm = { family: "debian" as const, codename: "bookworm" };
const mirror = { aptRepository: "http://10.213.0.1:8080/containerd/", aptDistribution: "/", aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmirror\n" };

/** A host: its /etc/apt under a temporary root; curl "fetches" a key naming its URL; apt-get succeeds. */
class FakeAptHost {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "kw-apt-"));
  private readonly bin = path.join(this.root, "bin");
  constructor() {
    fs.mkdirSync(path.join(this.root, "etc/apt/sources.list.d"), { recursive: true });
    fs.writeFileSync(path.join(this.root, "etc/apt/sources.list"), "");
    fs.mkdirSync(this.bin);
    fs.writeFileSync(path.join(this.bin, "curl"), '#!/bin/bash\nfor a in "$@"; do case "$prev" in -o) out=$a ;; esac; prev=$a; done\nprintf "key fetched from %s\\n" "${@: -3:1}" > "$out"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(this.bin, "apt-get"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  }
  run(script: string): number {
    const rooted = script.replaceAll("/etc/apt/", `${this.root}/etc/apt/`);
    return spawnSync("bash", ["-c", rooted], { env: { PATH: `${this.bin}:/usr/bin:/bin` } }).status ?? -1;
  }
  read(file: string): string | undefined {
    const at = path.join(this.root, file);
    // as the host would have it: paths the script wrote under the root name the host's own
    return fs.existsSync(at) ? fs.readFileSync(at, "utf8").replaceAll(this.root, "") : undefined;
  }
  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

describe("the containerd apt source on a host that had another one", () => {
  const { keyring, sourceFile } = aptSourceFiles(containerdAptSourceName);
  let host: FakeAptHost;
  beforeEach(() => (host = new FakeAptHost()));
  afterEach(() => host.close());

  test("going back from a mirror to Docker's repository fetches Docker's key over the mirror's", () => {
    expect(host.run(aptSourceSetup(containerdAptSource(mirror, bookworm)))).toBe(0);
    expect(host.read(keyring)).toBe(mirror.aptKey);

    expect(host.run(aptSourceSetup(containerdAptSource({}, bookworm)))).toBe(0);

    expect(host.read(sourceFile)).toBe(`deb [signed-by=${keyring}] https://download.docker.com/linux/debian/ bookworm stable\n`);
    expect(host.read(keyring)).toBe("key fetched from https://download.docker.com/linux/debian/gpg\n");
  });

  test("a changed mirror key replaces the old one", () => {
    host.run(aptSourceSetup(containerdAptSource(mirror, bookworm)));
    host.run(aptSourceSetup(containerdAptSource({ ...mirror, aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnew\n" }, bookworm)));
    expect(host.read(keyring)).toBe("-----BEGIN PGP PUBLIC KEY BLOCK-----\nnew\n");
  });
});

describe("an apt source step on update: check, apply, check again (the Kubernetes and containerd sources alike)", () => {
  let host: FakeAptHost;
  beforeEach(() => (host = new FakeAptHost()));
  afterEach(() => host.close());

  const kubernetesMirror = { aptRepository: "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/", aptDistribution: "/", aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nk8s\n" };
  const cases = [
    { source: "Kubernetes", mirrored: aptSourceStep(kubernetesMirror, "1.36.3"), vendor: aptSourceStep({}, "1.36.3"), files: aptSourceFiles("kubeadm-workers-kubernetes") },
    {
      source: "containerd",
      mirrored: aptSourceStepOf(containerdAptSource(mirror, bookworm)),
      vendor: aptSourceStepOf(containerdAptSource({}, bookworm)),
      files: aptSourceFiles(containerdAptSourceName),
    },
  ];

  test.each(cases)("$source: each change fails the check until the apply wrote the new source and key", ({ mirrored, vendor, files }) => {
    expect(host.run(vendor.check)).not.toBe(0);
    expect(host.run(vendor.apply)).toBe(0);
    expect(host.run(vendor.check)).toBe(0);
    // to the mirror: its given key replaces the fetched one, and the origin of the fetched key goes
    expect(host.run(mirrored.check)).not.toBe(0);
    expect(host.run(mirrored.apply)).toBe(0);
    expect(host.run(mirrored.check)).toBe(0);
    expect(host.read(files.keyOrigin)).toBeUndefined();
    // and back: the vendor's key is fetched again over the mirror's
    expect(host.run(vendor.check)).not.toBe(0);
    expect(host.run(vendor.apply)).toBe(0);
    expect(host.run(vendor.check)).toBe(0);
    expect(host.read(files.keyring)).toMatch(/^key fetched from https:\/\//);
  });

  test.each(cases)("$source: a host whose own source lists the repository keeps it, and ours goes", ({ vendor, files }) => {
    host.run(vendor.apply);
    expect(host.read(files.sourceFile)).toBeDefined();
    const url = /] (\S+) /.exec(host.read(files.sourceFile) ?? "")?.[1] ?? "";
    fs.writeFileSync(path.join(host.root, "etc/apt/sources.list.d/vendor.list"), `deb ${url.replace(/\/$/, "")} stable main\n`);

    expect(host.run(vendor.check)).not.toBe(0);
    expect(host.run(vendor.apply)).toBe(0);
    expect(host.read(files.sourceFile)).toBeUndefined();
    expect(host.run(vendor.check)).toBe(0);
  });

  test.each(cases.flatMap(({ source, mirrored, vendor }) => [mirrored, vendor].flatMap((step) => [step.check, step.apply]).map((script) => ({ source, script }))))(
    "$source: valid bash",
    ({ script }) => {
      expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
    },
  );
});
