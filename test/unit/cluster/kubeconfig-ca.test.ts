import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { connectCluster } from "../../../providers/cluster/kube-api";
import { caPem } from "../fixtures/ca";

// The CA a kubeconfig trusts is what create checks cluster-info against before it pins a CA for
// kubeadm join (issue 11, trust). Every way a kubeconfig can name it must be read; a kubeconfig
// that verifies nothing must be known as such, never read as "no CA named, nothing to check".
const dir = mkdtempSync(path.join(tmpdir(), "kw-kubeconfig-ca-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(cluster: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server: "https://10.213.0.1:6443", ...cluster } }],
    users: [{ name: "u", user: { token: "t" } }],
    contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    "current-context": "x",
  });
}

test.each([
  ["embedded (certificate-authority-data)", () => ({ "certificate-authority-data": Buffer.from(caPem).toString("base64") })],
  ["named by path (certificate-authority)", () => (writeFileSync(path.join(dir, "ca.crt"), caPem), { "certificate-authority": path.join(dir, "ca.crt") })],
])("a CA %s is the CA the cluster is checked against", (_how, cluster) => {
  const api = connectCluster(kubeconfig(cluster()));
  expect(api.caPem).toBe(caPem);
  expect(api.verifiesServer).toBe(true);
});

test("insecure-skip-tls-verify trusts no CA and verifies nothing", () => {
  const api = connectCluster(kubeconfig({ "insecure-skip-tls-verify": true }));
  expect(api.caPem).toBeUndefined();
  expect(api.verifiesServer).toBe(false);
});

test("neither (the system's trust roots) verifies the server with no CA of its own", () => {
  const api = connectCluster(kubeconfig({}));
  expect(api.caPem).toBeUndefined();
  expect(api.verifiesServer).toBe(true);
});
