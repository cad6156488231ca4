import type { ClusterApi } from "../../../providers/cluster/kube-api";
import { resolveCaCertHash } from "../../../providers/worker-node/create";
import { caPem, caPemHash } from "../fixtures/ca";

const cluster = (trust: { caPem?: string; verifiesServer: boolean }): ClusterApi =>
  ({ server: "https://10.213.0.1:6443", clusterInfoCaPem: () => Promise.resolve(caPem), ...trust }) as unknown as ClusterApi;

describe("resolveCaCertHash: the CA pinned for kubeadm join", () => {
  test("cluster-info's CA, when the kubeconfig trusts it", async () => {
    await expect(resolveCaCertHash(cluster({ caPem, verifiesServer: true }))).resolves.toBe(caPemHash);
  });

  test("cluster-info's CA, when the server was verified by the system's trust roots", async () => {
    await expect(resolveCaCertHash(cluster({ verifiesServer: true }))).resolves.toBe(caPemHash);
  });

  // Over a connection that verified nothing, cluster-info could come from anyone in the middle:
  // pinning its CA would make the host trust them (issue 11, trust).
  test("refused when the kubeconfig skips TLS verification, naming the setting and what to set instead", async () => {
    await expect(resolveCaCertHash(cluster({ verifiesServer: false }))).rejects.toThrow(
      /kubeconfig for https:\/\/10\.213\.0\.1:6443 sets insecure-skip-tls-verify.*refusing to pin.*certificate-authority-data/,
    );
  });
});
