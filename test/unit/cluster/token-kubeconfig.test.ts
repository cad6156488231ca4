import { loadKubeConfig } from "../../../providers/cluster/request-count";
import { kubeconfigServer, tokenKubeconfig } from "../../../providers/cluster/token-kubeconfig";
import { caPem } from "../fixtures/ca";

test("the token kubeconfig loads as one current cluster, user and context with the token and the CA", () => {
  const text = tokenKubeconfig({ server: "https://10.0.0.10:6443", caBase64: Buffer.from(caPem).toString("base64"), token: "tok", name: "kubeadm-workers-prod" });
  const config = loadKubeConfig(text);
  expect(config.getCurrentCluster()?.server).toBe("https://10.0.0.10:6443");
  expect(Buffer.from(config.getCurrentCluster()?.caData ?? "", "base64").toString()).toBe(caPem);
  expect(config.getCurrentUser()).toMatchObject({ name: "kubeadm-workers-prod", token: "tok" });
  expect(kubeconfigServer(text)).toBe("https://10.0.0.10:6443");
});

test("a kubeconfig without a current cluster is refused, saying what to set", () => {
  expect(() => kubeconfigServer(JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [] }))).toThrow(/no current cluster.*set kubeconfig/);
});
