import * as fs from "node:fs";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import { kubeconfigPath, labClusterConfig, labPrivateKey, type LabHost } from "./lab";

/**
 * The provider's inputs for a lab host, as a lab user writes them: the lab's package and containerd 2
 * sources, mirrors and sandbox image as `.lab/cluster.json` publishes them, and its kubeconfig.
 */
export function labWorkerInputs(host: LabHost, extra: Partial<WorkerNodeInputs> = {}): WorkerNodeInputs {
  const lab = labClusterConfig();
  return {
    connection: { host: host.address, port: host.port, user: host.user, privateKey: labPrivateKey(), hostKey: host.hostKey },
    cluster: { kubeconfig: fs.readFileSync(kubeconfigPath, "utf8"), apiServerEndpoint: lab.apiServerEndpoint },
    packages: lab.packages,
    containerd: lab.containerd,
    kubeadm: lab.kubeadm,
    joinTimeout: "3m",
    ...extra,
  };
}
