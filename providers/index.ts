// Public exports of the package `kubeadm-workers`. The WorkerNode resource is exported from here.
export { fingerprintOf, parseHostKey, matchHostKey } from "./host/host-key";
export type { HostKey, HostKeyMatch } from "./host/host-key";
