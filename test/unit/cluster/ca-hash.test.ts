import { caCertHash, splitPemBundle } from "../../../providers/cluster/ca-hash";
import { caPem, caPemHash } from "../fixtures/ca";

test("caCertHash is kubeadm's sha256 of the DER SubjectPublicKeyInfo", () => {
  expect(caCertHash(caPem)).toBe(caPemHash);
});

test("caCertHash refuses text that is not a certificate", () => {
  expect(() => caCertHash("not a certificate")).toThrow();
});

test("splitPemBundle returns each certificate of a bundle", () => {
  expect(splitPemBundle(`${caPem}\n${caPem}`)).toHaveLength(2);
  expect(splitPemBundle("nothing here")).toEqual([]);
});
