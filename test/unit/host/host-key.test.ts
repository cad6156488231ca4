import { fingerprintOf, hostKeyAlgorithms, hostKeyMismatchMessage, isFingerprint, matchHostKey, parseHostKey } from "../../../providers/host/host-key";

// Public keys made with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed for them.
const ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq root@vm";
const ed25519Fingerprint = "SHA256:yLGP66N6y7OpuqeObwEGWx+jErIFINQnOL9I3r+Mquo";
const ecdsa =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBC5Njgp+Eb7zjZk70qP4RnxAfF4TtN2m8Dt8wxM6mgI/wtjEfmABq05G2I5vuqEqFYAI9P8vqTu6DRSdgUSSZUU=";
const ecdsaFingerprint = "SHA256:bTSnbWmtc/5224+Hwn0GCxAVLaD5jYxbZoe8RCQP3vI";

describe("fingerprintOf", () => {
  test.each([
    { description: "ed25519", line: ed25519, fingerprint: ed25519Fingerprint },
    { description: "ecdsa p-256", line: ecdsa, fingerprint: ecdsaFingerprint },
  ])("matches ssh-keygen -lf for $description", ({ line, fingerprint }) => {
    expect(fingerprintOf(parseHostKey(line).blob)).toBe(fingerprint);
  });
});

describe("parseHostKey", () => {
  test("reads type and blob and ignores the comment", () => {
    const key = parseHostKey(`  ${ed25519}  `);
    expect(key.type).toBe("ssh-ed25519");
    expect(key.blob.length).toBe(51);
  });

  test.each([
    { description: "an empty string", line: "", error: /expected an OpenSSH public key line/ },
    { description: "a fingerprint", line: ed25519Fingerprint, error: /expected an OpenSSH public key line/ },
    { description: "an unknown type", line: "ssh-dss AAAAB3NzaC1kc3M=", error: /unknown SSH key type "ssh-dss"/ },
    { description: "non-base64 data", line: "ssh-ed25519 not*base64", error: /is not base64/ },
    {
      description: "a type that contradicts the blob",
      line: ecdsa.replace("ecdsa-sha2-nistp256", "ssh-ed25519"),
      error: /the key data says "ecdsa-sha2-nistp256" but the line says "ssh-ed25519"/,
    },
  ])("refuses $description", ({ line, error }) => {
    expect(() => parseHostKey(line)).toThrow(error);
  });
});

describe("matchHostKey", () => {
  const presented = parseHostKey(ed25519);

  test.each([
    { description: "the same key line", pinned: ed25519 },
    { description: "the same key line without comment", pinned: ed25519.split(" ").slice(0, 2).join(" ") },
    { description: "its fingerprint", pinned: ed25519Fingerprint },
  ])("accepts $description", ({ pinned }) => {
    expect(matchHostKey(pinned, presented)).toEqual({ ok: true, fingerprint: ed25519Fingerprint });
  });

  test.each([
    { description: "another key line", pinned: ecdsa },
    { description: "another key's fingerprint", pinned: ecdsaFingerprint },
  ])("rejects $description and reports both fingerprints", ({ pinned }) => {
    expect(matchHostKey(pinned, presented)).toEqual({
      ok: false,
      expected: ecdsaFingerprint,
      actual: ed25519Fingerprint,
    });
  });

  test("tells a fingerprint from a key line", () => {
    expect(isFingerprint(ed25519Fingerprint)).toBe(true);
    expect(isFingerprint(ed25519)).toBe(false);
    expect(isFingerprint("SHA256:short")).toBe(false);
  });
});

describe("hostKeyAlgorithms", () => {
  // A 1024-bit key from ssh-keygen: only its type matters here.
  const rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDZkb61H75OFhtZwXQj/yFRuArfzrRPxE6zGruvWhiyWPDM+49bN2CVyDV+tGfIm+GnTohwgALQPBztwW0cr/tKn9NRIPaRuP0cdOQXQsKHGR8z4tWvXCBPHe8C+1qPpJS1js0Y5dEMjhphtRRvOoO+d8R/bExkeJnS7tiBufKbLw==";

  test.each([
    { description: "an Ed25519 pin", pinned: ed25519, algorithms: ["ssh-ed25519"] },
    { description: "an ECDSA pin", pinned: ecdsa, algorithms: ["ecdsa-sha2-nistp256"] },
    { description: "an RSA pin (its SHA-2 signatures first)", pinned: rsa, algorithms: ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] },
  ])("offers only the pinned type for $description", ({ pinned, algorithms }) => {
    expect(hostKeyAlgorithms(pinned)).toEqual(algorithms);
  });

  test.each([
    { description: "no pin (trust on first use)", pinned: undefined },
    { description: "a fingerprint pin, whose type is unknown", pinned: ed25519Fingerprint },
  ])("leaves the client's defaults for $description", ({ pinned }) => {
    expect(hostKeyAlgorithms(pinned)).toBeUndefined();
  });
});

describe("hostKeyMismatchMessage", () => {
  const mismatch = { expected: "SHA256:old", actual: "SHA256:new" };

  test.each([
    { hop: "host" as const, via: " (through bastion 10.0.0.1:22)", input: "connection.hostKey" },
    { hop: "bastion" as const, via: "", input: "connection.proxy.hostKey" },
  ])("names both fingerprints and the input that re-pins the $hop", ({ hop, via, input }) => {
    const message = hostKeyMismatchMessage(hop, { host: "10.0.0.9", address: "10.0.0.9:22", via }, mismatch);
    expect(message).toBe(
      `host key of 10.0.0.9:22${via} does not match the pinned key: expected SHA256:old, got SHA256:new. ` +
        `If the ${hop} was reinstalled on purpose, set ${input} to its new key (ssh-keyscan -t ed25519 10.0.0.9); otherwise do not connect: someone may be in the middle.`,
    );
  });
});
