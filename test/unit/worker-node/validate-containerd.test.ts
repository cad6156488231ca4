import { validateWorkerNodeInputs } from "../../../providers/worker-node/validate";

const key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n-----END PGP PUBLIC KEY BLOCK-----\n";
const base = { connection: { host: "10.0.0.21", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n" } };
const check = (containerd: unknown, packages?: unknown) => validateWorkerNodeInputs({ ...base, containerd, ...(packages ? { packages } : {}) });

test.each([
  { description: "a containerd mirror with its key", containerd: { aptRepository: "http://10.213.0.1:8080/containerd/", aptDistribution: "/", aptKey: key } },
  { description: "a suite and component", containerd: { aptDistribution: "bookworm stable" } },
  { description: "a package and the upgrade option", containerd: { package: "containerd.io", upgrade: true } },
  { description: "a drop-in", containerd: { configDropIn: "version = 3\n[plugins.'io.containerd.cri.v1.runtime']\n  restrict_oom_score_adj = true\n" } },
  { description: "an http mirror of registry.k8s.io", containerd: { registryMirrors: { "registry.k8s.io": ["http://10.213.0.1:5000"] } } },
  { description: "Docker's repository for Debian, as its install guide writes it", containerd: { aptRepository: "https://download.docker.com/linux/debian", aptDistribution: "bookworm stable", aptKey: key } },
  { description: "a mirror under a user's directory, with a port and an escaped space", containerd: { aptRepository: "https://mirror.example:8443/~ops/docker%20ce/ubuntu/", aptDistribution: "noble stable", aptKey: key } },
  { description: "a distribution that is a codename alone", containerd: { aptDistribution: "bookworm" } },
  { description: "a flat repository", containerd: { aptDistribution: "./" } },
  {
    description: "a key as gpg --armor --export prints it, with armor headers and CRLF line ends",
    containerd: {
      aptRepository: "http://10.213.0.1:8080/containerd/",
      aptKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\r\nComment: "Docker Release (CE deb)" <docker@docker.com> (key 0EBFCD88; see $HOME/keys)\r\n\r\nmQINBFit2ioBEADhWpZ8/wvZ6hUTiXOwQHXMAlaFHcPH9hAtr4F1y2+OYdbtMuth\r\n=nUPs\r\n-----END PGP PUBLIC KEY BLOCK-----\r\n',
    },
  },
  {
    description: "a drop-in with quotes, brackets, '=', tabs, comments that look like shell, and a private registry's auth",
    containerd: {
      configDropIn: [
        "version = 3",
        "# written by ops; don't edit: $(generated) `by` ci && reviewed | see ~/notes; imports are handled by config.toml",
        "[plugins.'io.containerd.cri.v1.images'.registry.configs.\"registry.example:5000\".auth]",
        '\tusername = "robot$ci"',
        "\tpassword = 'p@ss\"word;$(x)'",
        '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.kata]',
        '  runtime_type = "io.containerd.kata.v2"',
        '  pod_annotations = ["io.katacontainers.*"]',
        "  options = { ConfigPath = \"/opt/kata/configuration.toml\" } # inline table",
        '  description = """',
        "    Kata — for untrusted workloads (é, 中文)",
        '  """',
        "",
      ].join("\n"),
    },
  },
  { description: "a drop-in with CRLF line ends", containerd: { configDropIn: "version = 3\r\n[plugins.'io.containerd.cri.v1.runtime']\r\n  restrict_oom_score_adj = true\r\n" } },
])("accepts $description", ({ containerd }) => {
  expect(check(containerd)).toEqual([]);
});

test.each([
  { description: "a repository without its key", containerd: { aptRepository: "http://m/" }, property: "containerd.aptKey", reason: /required with containerd\.aptRepository/ },
  { description: "a repository that is no URL", containerd: { aptRepository: "ftp://m/", aptKey: key }, property: "containerd.aptRepository", reason: /http:\/\/ or https:\/\/ URL/ },
  { description: "a distribution with a newline", containerd: { aptDistribution: "bookworm stable\ndeb http://evil/ ./" }, property: "containerd.aptDistribution", reason: /letters, digits/ },
  { description: "a key that is no key", containerd: { aptRepository: "http://m/", aptKey: "ssh-rsa AAAA" }, property: "containerd.aptKey", reason: /ASCII-armored/ },
  { description: "a package name with a space", containerd: { package: "containerd io" }, property: "containerd.package", reason: /Debian package name/ },
  { description: "an upgrade that is not a boolean", containerd: { upgrade: "yes" }, property: "containerd.upgrade", reason: /true or false/ },
  { description: "an empty drop-in", containerd: { configDropIn: "  \n" }, property: "containerd.configDropIn", reason: /must not be empty/ },
  { description: "a huge drop-in", containerd: { configDropIn: "#".repeat(64 * 1024 + 1) }, property: "containerd.configDropIn", reason: /65537 bytes, more than the 65536/ },
  { description: "a drop-in with NUL", containerd: { configDropIn: "a = 1\0" }, property: "containerd.configDropIn", reason: /NUL/ },
  { description: "a drop-in newer than config.toml", containerd: { configDropIn: "version = 4\n" }, property: "containerd.configDropIn", reason: /version = 4.*at most version 3/ },
  { description: "a drop-in with its own imports", containerd: { configDropIn: 'imports = ["/x/*.toml"]\n' }, property: "containerd.configDropIn", reason: /must not set imports/ },
  { description: "a drop-in with its own imports on a CRLF line", containerd: { configDropIn: 'version = 3\r\nimports = ["/x/*.toml"]\r\n' }, property: "containerd.configDropIn", reason: /must not set imports/ },
  { description: "a drop-in with imports under a quoted key", containerd: { configDropIn: '"imports" = ["/x/*.toml"]\n' }, property: "containerd.configDropIn", reason: /must not set imports/ },
  { description: "a drop-in with imports under a literal key", containerd: { configDropIn: "'imports' = ['/x/*.toml']\n" }, property: "containerd.configDropIn", reason: /must not set imports/ },
  { description: "a drop-in with imports under an escaped key", containerd: { configDropIn: '"\\u0069mports" = ["/x/*.toml"]\n' }, property: "containerd.configDropIn", reason: /must not set imports/ },
  { description: "a drop-in newer than config.toml under a quoted key", containerd: { configDropIn: '"version" = 4\n' }, property: "containerd.configDropIn", reason: /version = 4.*at most version 3/ },
  { description: "a drop-in with a carriage return alone", containerd: { configDropIn: "a = 1\rb = 2\n" }, property: "containerd.configDropIn", reason: /carriage return alone \(at position 5\)/ },
  { description: "a drop-in with an escape sequence", containerd: { configDropIn: "# \u001b[2J\n" }, property: "containerd.configDropIn", reason: /found U\+001B at position 2/ },
  { description: "a drop-in with a C1 control", containerd: { configDropIn: "# \u009b2J\n" }, property: "containerd.configDropIn", reason: /found U\+009B/ },
  { description: "a drop-in with a line separator", containerd: { configDropIn: "a = 1\u2028b = 2\n" }, property: "containerd.configDropIn", reason: /found U\+2028/ },
  { description: "a sandbox image with a quote", containerd: { sandboxImage: 'pause:3.10"' }, property: "containerd.sandboxImage", reason: /without spaces, quotes/ },
])("refuses $description", ({ containerd, property, reason }) => {
  expect(check(containerd)).toEqual([{ property, reason: expect.stringMatching(reason) }]);
});

test("packages.aptDistribution refuses a newline too", () => {
  const failures = check(undefined, { aptDistribution: "/\ndeb http://evil/ ./" });
  // The suite rule and the control-character rule for text written to a host both refuse it.
  expect(failures).toEqual(expect.arrayContaining([{ property: "packages.aptDistribution", reason: expect.stringMatching(/letters, digits/) }]));
  expect(failures.every((f) => f.property === "packages.aptDistribution")).toBe(true);
});

test("lists every containerd problem at once", () => {
  expect(check({ aptRepository: "nope", package: "A B", upgrade: 1, configDropIn: "" }).map((f) => f.property).sort()).toEqual(
    ["containerd.aptKey", "containerd.aptRepository", "containerd.configDropIn", "containerd.package", "containerd.upgrade"],
  );
});
