import type * as k8s from "@kubernetes/client-node";
import { toClusterNode, toNodeView } from "../../../providers/cluster/node-view";
import { toDrainPod } from "../../../providers/cluster/pod-view";

const apiNode: k8s.V1Node = {
  metadata: { name: "web-1", uid: "u-1", labels: { tier: "web" }, annotations: { "kubeadm-workers.io/owner": "p/s/web-1" } },
  spec: { unschedulable: true, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }, { key: "bare", effect: "NoExecute" }] },
  status: {
    allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "cni not ready" }],
    nodeInfo: {
      kubeletVersion: "v1.36.3",
      containerRuntimeVersion: "containerd://2.1.4",
      machineID: "m-1",
      architecture: "amd64",
      bootID: "",
      kernelVersion: "",
      kubeProxyVersion: "",
      operatingSystem: "linux",
      osImage: "",
      systemUUID: "",
    },
  },
};

describe("a Node read from the API", () => {
  test("as the provider's view: taints without empty values, the Ready condition in words", () => {
    expect(toNodeView(apiNode)).toEqual({
      name: "web-1",
      uid: "u-1",
      labels: { tier: "web" },
      annotations: { "kubeadm-workers.io/owner": "p/s/web-1" },
      taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }, { key: "bare", effect: "NoExecute" }],
      unschedulable: true,
      ready: false,
      readyDetail: "False (KubeletNotReady: cni not ready)",
      kubeletVersion: "v1.36.3",
      containerRuntimeVersion: "containerd://2.1.4",
      machineId: "m-1",
      conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "cni not ready" }],
      capacity: {},
      allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
      resourceVersion: "",
    });
  });

  test("as room for evicted pods: the same fields, its allocatable and the pods given", () => {
    const pods = [toDrainPod({ metadata: { namespace: "shop", name: "web-x", labels: { app: "web" } }, spec: { containers: [{ name: "app", resources: { requests: { cpu: "500m" } } }] }, status: { phase: "Running" } })];
    expect(toClusterNode(apiNode, pods)).toEqual({
      name: "web-1",
      unschedulable: true,
      annotations: { "kubeadm-workers.io/owner": "p/s/web-1" },
      ready: false,
      labels: { tier: "web" },
      taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }, { key: "bare", effect: "NoExecute" }],
      kubeletVersion: "v1.36.3",
      allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
      pods,
    });
    expect(pods[0]).toMatchObject({ labels: { app: "web" }, containers: [{ name: "app", requests: { cpu: "500m" } }] });
  });

  test("a pod is ready only when its Ready condition is True (what a PDB counts as healthy)", () => {
    const withReady = (status?: string) => toDrainPod({ metadata: { name: "p" }, status: { phase: "Running", ...(status ? { conditions: [{ type: "Ready", status }] } : {}) } }).ready;
    expect([withReady("True"), withReady("False"), withReady("Unknown"), withReady()]).toEqual([true, false, false, false]);
  });

  test("a Node the API returns half-filled has empty fields, never undefined ones", () => {
    expect(toClusterNode({}, [])).toEqual({ name: "", unschedulable: false, annotations: {}, ready: false, labels: {}, taints: [], kubeletVersion: "", allocatable: {}, pods: [] });
    expect(toNodeView({}).readyDetail).toBe("no Ready condition yet");
  });
});
