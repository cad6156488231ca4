import { formatFindings, isOwnKeyMaterial, looksLikeText, scanText } from "../../support/secrets-scan";

// Fixtures are assembled at run time so this file holds no string a scanner of the repository would flag.
const pemHeader = (type: string) => `-----BEGIN ${type}PRIVATE KEY-----`;
const keyBody = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
const privatePart = "AAAEC1rHxqEtl0uRzMGTf0E3v1k0P2wQ1m2n3o4p5q6r7s8t9uAGHSLlzxd7cvRra8TDWkjRjcDxuoLmZnuz";
const sshKey = `${pemHeader("OPENSSH ")}\n${keyBody}\nQyNTUxOQAAACBh0i5c8Xe3L0a2vEw1pI0Y3A8bqC5mZ7s9d5a2M8k1KwAAAJi9\n${privatePart}\n-----END OPENSSH PRIVATE KEY-----\n`;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const rsaKeyData = b64(`${pemHeader("RSA ")}\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n`);
const token = ["abcdef", "0123456789abcdef"].join(".");

const rules = (text: string, known = [] as { name: string; value: string }[], options = {}) => scanText("src", text, known, options).map((f) => f.rule);

describe("scanText finds secrets in plaintext", () => {
  test.each<[string, string, string[]]>([
    ["an OpenSSH private key", `key:\n${sshKey}`, ["private key (PEM)"]],
    ["an RSA private key", `${pemHeader("RSA ")}\nMIIE`, ["private key (PEM)"]],
    ["a PKCS#8 private key", `${pemHeader("")}\nMIIE`, ["private key (PEM)"]],
    ["a kubeconfig's client-key-data (YAML)", `    client-key-data: ${rsaKeyData}`, ["private key (base64 PEM)", "kubeconfig client-key-data"]],
    ["a kubeconfig's client-key-data (JSON)", `{"client-key-data":"${rsaKeyData}"}`, ["private key (base64 PEM)", "kubeconfig client-key-data"]],
    ["a kubeconfig user token", "users:\n- name: admin\n  user:\n    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.payload.sig", ["kubeconfig token"]],
    ["a bootstrap token on a command line", `kubeadm join 10.0.0.1:6443 --token ${token} --discovery-token-ca-cert-hash sha256:00`, ["bootstrap token"]],
    ["a bootstrap token in a JoinConfiguration", `{"discovery":{"bootstrapToken":{"token":"${token}"}}}`, ["kubeconfig token", "bootstrap token"]],
    ["a password assignment", "db_password = hunter2hunter2", ["password"]],
    ["a passphrase in an environment", "PULUMI_CONFIG_PASSPHRASE=correct-horse", ["password"]],
    ["a password in YAML", "  password: hunter2hunter2", ["password"]],
    ["a password in JSON", '{"password":"hunter2hunter2"}', ["password"]],
  ])("%s", (_what, text, expected) => {
    expect(rules(text)).toEqual(expected);
  });

  test.each<[string, string]>([
    ["a certificate", "-----BEGIN CERTIFICATE-----\nMIIC"],
    ["a public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGh0i5c8Xe3L0a2vEw1pI0Y3A8bqC5mZ7s9d5a2M8k1K root@lab"],
    ["client-certificate-data", `client-certificate-data: ${b64("-----BEGIN CERTIFICATE-----\nMIICxyz0123456789")}`],
    ["a kubelet.conf that names its key file", "client-key: /var/lib/kubelet/pki/kubelet-client-current.pem"],
    ["an encrypted secret in state", '{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"v1:kX3l1k2aYp0=:v1:Zm9vYmFy"}'],
    ["a secret shown as [secret]", 'password: "[secret]"'],
    ["sshd refusing passwords", "PasswordAuthentication no"],
    ["the passwd package in dpkg's log", "2026-11-30 04:32:13 install passwd:amd64 <none> 1:4.13+dfsg1-1+deb12u2"],
    ["a password prompt", "Password: \nnext line"],
    ["a token's id alone (the Secret's name)", "bootstrap-token-abcdef deleted"],
    ["a dotted name that only looks like a token", "image kw-testapp.0123456789abcdef.tar"],
    ["a redacted token", "kubeadm join --token <redacted>"],
    ["the word token in prose", "token: none (deleted after the join)"],
  ])("no finding: %s", (_what, text) => {
    expect(rules(text)).toEqual([]);
  });

  test("a known secret is found as written, base64-encoded, or by one line of it", () => {
    const known = [{ name: "lab SSH key", value: sshKey }];
    expect(rules(`x ${privatePart} y`, known)).toEqual(["known secret lab SSH key (a line of it)"]);
    // the first two lines are what every such key shares, and the public key: not a finding alone
    expect(rules(`x ${keyBody} y`, known)).toEqual([]);
    expect(rules(b64(sshKey), known)).toEqual(["private key (base64 PEM)", "known secret lab SSH key (base64)"]);
    expect(rules("passphrase in output: lab-only-passphrase-123", [{ name: "passphrase", value: "lab-only-passphrase-123" }])).toEqual(["known secret passphrase"]);
  });

  test("a host's own key material may hold a private key, never a known secret", () => {
    const known = [{ name: "lab SSH key", value: sshKey }];
    expect(rules(`${pemHeader("OPENSSH ")}\nAAAA`, known, { allowOwnKeyMaterial: true })).toEqual([]);
    expect(rules(sshKey, known, { allowOwnKeyMaterial: true })).toEqual(["known secret lab SSH key", "known secret lab SSH key (a line of it)"]);
  });

  test("findings name the source and line, never the whole secret", () => {
    const lines = formatFindings(scanText("state.json", `one\ntwo ${token}\n`, []));
    expect(lines).toEqual([expect.stringMatching(/^state\.json:2: bootstrap token: abcdef\.0…$/)]);
    expect(lines[0]).not.toContain(token);
  });
});

describe("which host files may hold a private key", () => {
  test.each([
    ["/etc/ssh/ssh_host_ed25519_key", true],
    ["/etc/ssh/ssh_host_rsa_key", true],
    ["/var/lib/kubelet/pki/kubelet-client-2026-11-30-07-00-00.pem", true],
    ["/var/lib/kubelet/pki/kubelet.key", true],
    ["/root/.ssh/id_ed25519", false],
    ["/etc/kubernetes/kubeadm-workers-join.json", false],
    ["/etc/ssh/ssh_host_ed25519_key.pub.bak", false],
  ])("%s: %s", (file, expected) => {
    expect(isOwnKeyMaterial(file)).toBe(expected);
  });

  test("binary files are told apart from text", () => {
    expect(looksLikeText(Buffer.from("plain\ntext"))).toBe(true);
    expect(looksLikeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toBe(false);
  });
});
