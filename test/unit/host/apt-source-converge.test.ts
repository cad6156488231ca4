// The apt source scripts run for real against a directory standing in for /etc/apt, with curl and
// apt-get stand-ins on PATH: what a host's keyring and source list hold after each change.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { containerdAptSource, containerdAptSourceName } from "../../../providers/host/containerd";
import { aptSourceSetup, aptSourceFiles } from "../../../providers/host/shell-files";

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
