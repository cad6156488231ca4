import { caCertHash, splitPemBundle } from "../../../providers/cluster/ca-hash";

// A throwaway CA; the expected hash is what
// `openssl x509 -pubkey -noout -in ca.crt | openssl pkey -pubin -outform der | sha256sum` printed.
const caPem = `-----BEGIN CERTIFICATE-----
MIIBgDCCASWgAwIBAgIURk4OrGWNmDETVV7xY4zzkKXQXp8wCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjExMjkwOTUyNThaFw0zNjExMjYw
OTUyNThaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARB+X8alZTVrkgM080GIJtkgRAQONS6MPxMxoVodkFaYypxM7VvTPDu
LEi+7jaJHHjWLbEbDktTEFj3iLE2vjlso1MwUTAdBgNVHQ4EFgQUvuHtCvWKK9zM
VsvFgNApD/X4LskwHwYDVR0jBBgwFoAUvuHtCvWKK9zMVsvFgNApD/X4LskwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAoDxjkAlwvNBD5p+JIPgO
uew9SdsKQQQao87tk0y5dFwCIQD/0M2mRqWqEyARljYfH8BCYK0iJW8IeqKwBfJC
M98zkA==
-----END CERTIFICATE-----
`;

test("caCertHash is kubeadm's sha256 of the DER SubjectPublicKeyInfo", () => {
  expect(caCertHash(caPem)).toBe("sha256:7b4deb1b5b7933c6b6bf613cb5ffa8a4f94ed4d56e6d3840d3c555c349054221");
});

test("caCertHash refuses text that is not a certificate", () => {
  expect(() => caCertHash("not a certificate")).toThrow();
});

test("splitPemBundle returns each certificate of a bundle", () => {
  expect(splitPemBundle(`${caPem}\n${caPem}`)).toHaveLength(2);
  expect(splitPemBundle("nothing here")).toEqual([]);
});
