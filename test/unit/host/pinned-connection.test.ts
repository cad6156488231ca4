import { pinConnection, withBastionKeyMet, withRecordedHostKeys } from "../../../providers/host/pinned-connection";

const target = "ssh-ed25519 AAAAtarget";
const bastionKey = "ssh-ed25519 AAAAbastion";
const bastion = { host: "10.0.0.1", user: "jump", privateKey: "k" };

describe("pinConnection", () => {
  test("records the key each hop presented", () => {
    expect(pinConnection({ host: "10.0.0.21", proxy: bastion }, { hostKey: target, bastionHostKey: bastionKey })).toEqual({
      host: "10.0.0.21",
      hostKey: target,
      proxy: { ...bastion, hostKey: bastionKey },
    });
  });

  test("adds no bastion to a direct connection", () => {
    expect(pinConnection({ host: "10.0.0.21" }, { hostKey: target })).toEqual({ host: "10.0.0.21", hostKey: target });
  });

  test("keeps a pinned bastion key when the session reports none", () => {
    expect(pinConnection({ host: "h", proxy: { ...bastion, hostKey: bastionKey } }, { hostKey: target }).proxy?.hostKey).toBe(bastionKey);
  });
});

describe("withRecordedHostKeys", () => {
  const recorded = { host: "10.0.0.21", hostKey: target, proxy: { ...bastion, hostKey: bastionKey } };

  test("enforces the keys recorded at create on both hops", () => {
    expect(withRecordedHostKeys({ host: "10.0.0.21", proxy: bastion }, recorded)).toEqual(recorded);
  });

  test("a key given now is a deliberate re-pin, on either hop", () => {
    const repinned = { host: "10.0.0.21", hostKey: "ssh-ed25519 AAAAnew", proxy: { ...bastion, hostKey: "ssh-ed25519 AAAAnewbastion" } };
    expect(withRecordedHostKeys(repinned, recorded)).toEqual(repinned);
  });

  test.each([
    { description: "another bastion host", proxy: { ...bastion, host: "10.0.0.2" } },
    { description: "another bastion port", proxy: { ...bastion, port: 2222 } },
  ])("does not hold $description to the old bastion's key", ({ proxy }) => {
    expect(withRecordedHostKeys({ host: "10.0.0.21", proxy }, recorded).proxy?.hostKey).toBeUndefined();
  });

  test("a bastion dropped now is not added back", () => {
    expect(withRecordedHostKeys({ host: "10.0.0.21" }, recorded)).toEqual({ host: "10.0.0.21", hostKey: target });
  });
});

describe("withBastionKeyMet", () => {
  test("holds an unpinned bastion to the key an earlier dial met, and never overrides a pinned or recorded one", () => {
    expect(withBastionKeyMet({ host: "h", proxy: bastion }, bastionKey).proxy?.hostKey).toBe(bastionKey);
    expect(withBastionKeyMet({ host: "h", proxy: { ...bastion, hostKey: "SHA256:given" } }, bastionKey).proxy?.hostKey).toBe("SHA256:given");
    expect(withBastionKeyMet({ host: "h" }, bastionKey)).toEqual({ host: "h" });
    expect(withBastionKeyMet({ host: "h", proxy: bastion }, undefined).proxy?.hostKey).toBeUndefined();
  });
});
