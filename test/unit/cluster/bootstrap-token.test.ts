import { randomBytes } from "node:crypto";
import {
  bootstrapTokenSecret,
  formatBootstrapToken,
  kubeadmNodeTokenGroup,
  newBootstrapToken,
} from "../../../providers/cluster/bootstrap-token";

describe("newBootstrapToken", () => {
  test("has the shape the API server's bootstrap authenticator accepts", () => {
    for (let i = 0; i < 200; i++) {
      expect(formatBootstrapToken(newBootstrapToken(randomBytes))).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    }
  });

  test("skips the bytes that would bias the alphabet", () => {
    // GIVEN random bytes that start with values >= 252 (which would make a..d likelier if kept)
    const bytes = Buffer.from([255, 254, 253, 252, ...Array.from({ length: 60 }, (_, i) => i)]);
    let offset = 0;
    const source = (size: number): Buffer => {
      const chunk = bytes.subarray(offset, offset + size);
      offset += size;
      return chunk;
    };
    // WHEN a token is made from them THEN the first four bytes are skipped
    const token = newBootstrapToken(source);
    expect(token.id).toBe("abcdef");
    // (each pick draws twice the bytes it needs and drops the rest, so the secret starts at byte 8)
    expect(token.secret).toBe("ijklmnopqrstuvwx");
  });
});

test("bootstrapTokenSecret carries what kubeadm join and the token cleaner need", () => {
  const secret = bootstrapTokenSecret(
    { id: "abcdef", secret: "0123456789abcdef" },
    { expires: new Date("2026-11-29T10:15:00.123Z"), description: "kubeadm-workers join of lab-host-1" },
  );
  expect(secret).toEqual({
    name: "bootstrap-token-abcdef",
    namespace: "kube-system",
    type: "bootstrap.kubernetes.io/token",
    stringData: {
      "token-id": "abcdef",
      "token-secret": "0123456789abcdef",
      expiration: "2026-11-29T10:15:00Z",
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
      "auth-extra-groups": kubeadmNodeTokenGroup,
      description: "kubeadm-workers join of lab-host-1",
    },
  });
});
