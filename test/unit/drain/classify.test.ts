import { classifyPod, planDrain, type DrainContext } from "../../../providers/drain/classify";
import { describeBlockedPods } from "../../../providers/drain/blockers";
import { defaultDrainOptions, type DrainOptions } from "../../../providers/drain/options";
import type { DrainPod } from "../../../providers/drain/types";
import { controlledBy, pod } from "./builders";

const now = new Date("2026-11-29T10:00:00Z");
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);

const context: DrainContext = {
  node: "k8s-node-3",
  existingDaemonSets: new Set(["kube-system/kube-proxy"]),
  terminatingNamespaces: new Set(["leaving"]),
  now,
};

const emptyDir = { volumes: [{ name: "cache", emptyDir: true }] };
const naked = { ownerReferences: [] };
const options = (changes: Partial<DrainOptions> = {}): DrainOptions => ({ ...defaultDrainOptions, ...changes });

describe("classifyPod", () => {
  test.each<{ description: string; pod: DrainPod; options?: Partial<DrainOptions>; decision: object }>([
    // Plain cases
    {
      description: "a ReplicaSet pod is evicted",
      pod: pod("web/api-1"),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    {
      description: "a Pending pod with a controller is evicted",
      pod: pod("web/api-1", { phase: "Pending" }),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    {
      description: "a pod with a PVC but no emptyDir is evicted",
      pod: pod("db/pg-0", { ownerReferences: controlledBy("StatefulSet", "pg"), volumes: [{ name: "data", emptyDir: false }] }),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    // Mirror pods
    {
      description: "a mirror pod is skipped",
      pod: pod("kube-system/etcd-n3", { annotations: { "kubernetes.io/config.mirror": "abc" } }),
      decision: { action: "skip", reason: "mirror-pod", waitForDeletion: false },
    },
    {
      description: "a mirror pod with an empty annotation value is skipped",
      pod: pod("kube-system/etcd-n3", { annotations: { "kubernetes.io/config.mirror": "" } }),
      decision: { action: "skip", reason: "mirror-pod", waitForDeletion: false },
    },
    {
      description: "a mirror pod is skipped even without a controller and with emptyDir",
      pod: pod("kube-system/static", { ...naked, ...emptyDir, annotations: { "kubernetes.io/config.mirror": "x" } }),
      decision: { action: "skip", reason: "mirror-pod", waitForDeletion: false },
    },
    // DaemonSets
    {
      description: "a pod of an existing DaemonSet is skipped",
      pod: pod("kube-system/kube-proxy-x", { ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      decision: { action: "skip", reason: "daemonset-pod", waitForDeletion: false },
    },
    {
      description: "a DaemonSet pod with emptyDir is skipped before the emptyDir rule",
      pod: pod("kube-system/kube-proxy-x", { ...emptyDir, ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      decision: { action: "skip", reason: "daemonset-pod", waitForDeletion: false },
    },
    {
      description: "a terminating pod of an existing DaemonSet is skipped, not waited for",
      pod: pod("kube-system/kube-proxy-x", { deletionTimestamp: secondsAgo(5), ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      decision: { action: "skip", reason: "daemonset-pod", waitForDeletion: false },
    },
    {
      description: "a pod of another group's DaemonSet kind is a normal controlled pod (kubectl >= 1.34)",
      pod: pod("kube-system/kube-proxy-x", { ownerReferences: controlledBy("DaemonSet", "kube-proxy", "apps.kruise.io/v1alpha1") }),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    {
      // kubectl 1.36.3 pkg/drain/filters.go isControllerRefDaemonSet: Kind "DaemonSet" AND APIVersion
      // "apps/v1" exactly (appsv1.SchemeGroupVersion); any other version of the group is not one.
      description: "an owner reference of another apps version (apps/v1beta2) is a normal controlled pod, as in kubectl",
      pod: pod("kube-system/kube-proxy-x", { ownerReferences: controlledBy("DaemonSet", "kube-proxy", "apps/v1beta2") }),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    {
      description: "another group's DaemonSet kind is never an orphaned DaemonSet pod",
      pod: pod("kube-system/agent-x", { ownerReferences: controlledBy("DaemonSet", "agent", "example.com/v1") }),
      decision: { action: "evict", reason: "evictable", overridden: [] },
    },
    {
      description: "a pod whose DaemonSet is gone blocks",
      pod: pod("kube-system/agent-x", { ownerReferences: controlledBy("DaemonSet", "agent") }),
      decision: { action: "block", reasons: ["orphaned-daemonset-pod"] },
    },
    {
      description: "a DaemonSet of the same name in another namespace does not count",
      pod: pod("other/kube-proxy-x", { ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      decision: { action: "block", reasons: ["orphaned-daemonset-pod"] },
    },
    {
      description: "force deletes a pod whose DaemonSet is gone",
      pod: pod("kube-system/agent-x", { ownerReferences: controlledBy("DaemonSet", "agent") }),
      options: { force: true },
      decision: { action: "evict", reason: "evictable", overridden: ["orphaned-daemonset-pod"] },
    },
    {
      description: "deleteEmptyDirData does not override a gone DaemonSet",
      pod: pod("kube-system/agent-x", { ownerReferences: controlledBy("DaemonSet", "agent") }),
      options: { deleteEmptyDirData: true },
      decision: { action: "block", reasons: ["orphaned-daemonset-pod"] },
    },
    {
      description: "a finished pod of an existing DaemonSet is removed",
      pod: pod("kube-system/kube-proxy-x", { phase: "Failed", ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      decision: { action: "evict", reason: "finished", overridden: [] },
    },
    {
      description: "a finished pod of a gone DaemonSet is removed without force",
      pod: pod("kube-system/agent-x", { phase: "Succeeded", ownerReferences: controlledBy("DaemonSet", "agent") }),
      decision: { action: "evict", reason: "finished", overridden: [] },
    },
    // emptyDir
    {
      description: "a pod with emptyDir blocks",
      pod: pod("web/cache-0", emptyDir),
      decision: { action: "block", reasons: ["local-storage"] },
    },
    {
      description: "deleteEmptyDirData evicts a pod with emptyDir",
      pod: pod("web/cache-0", emptyDir),
      options: { deleteEmptyDirData: true },
      decision: { action: "evict", reason: "evictable", overridden: ["local-storage"] },
    },
    {
      description: "force does not override emptyDir",
      pod: pod("web/cache-0", emptyDir),
      options: { force: true },
      decision: { action: "block", reasons: ["local-storage"] },
    },
    // Unmanaged
    {
      description: "a pod without owners blocks",
      pod: pod("default/debug", naked),
      decision: { action: "block", reasons: ["unmanaged"] },
    },
    {
      description: "a pod whose owner is not its controller blocks",
      pod: pod("default/debug", { ownerReferences: [{ kind: "ReplicaSet", name: "rs" }] }),
      decision: { action: "block", reasons: ["unmanaged"] },
    },
    {
      description: "a pod with no ownerReferences field blocks",
      pod: pod("default/debug", { ownerReferences: undefined }),
      decision: { action: "block", reasons: ["unmanaged"] },
    },
    {
      description: "force deletes an unmanaged pod",
      pod: pod("default/debug", naked),
      options: { force: true },
      decision: { action: "evict", reason: "evictable", overridden: ["unmanaged"] },
    },
    {
      description: "deleteEmptyDirData does not override unmanaged",
      pod: pod("default/debug", naked),
      options: { deleteEmptyDirData: true },
      decision: { action: "block", reasons: ["unmanaged"] },
    },
    {
      description: "an unmanaged pod in phase Unknown blocks",
      pod: pod("default/debug", { ...naked, phase: "Unknown" }),
      decision: { action: "block", reasons: ["unmanaged"] },
    },
    // Several blockers on one pod
    {
      description: "an unmanaged pod with emptyDir names both blockers",
      pod: pod("default/scratch", { ...naked, ...emptyDir }),
      decision: { action: "block", reasons: ["local-storage", "unmanaged"] },
    },
    {
      description: "force alone leaves the emptyDir blocker",
      pod: pod("default/scratch", { ...naked, ...emptyDir }),
      options: { force: true },
      decision: { action: "block", reasons: ["local-storage"] },
    },
    {
      description: "both options evict it and report both overrides",
      pod: pod("default/scratch", { ...naked, ...emptyDir }),
      options: { force: true, deleteEmptyDirData: true },
      decision: { action: "evict", reason: "evictable", overridden: ["local-storage", "unmanaged"] },
    },
    // Finished pods
    {
      description: "a Succeeded unmanaged pod with emptyDir is removed",
      pod: pod("default/job-x", { ...naked, ...emptyDir, phase: "Succeeded" }),
      decision: { action: "evict", reason: "finished", overridden: [] },
    },
    {
      description: "a Failed unmanaged pod is removed",
      pod: pod("default/job-y", { ...naked, phase: "Failed" }),
      decision: { action: "evict", reason: "finished", overridden: [] },
    },
    // Already terminating
    {
      description: "a terminating pod is waited for",
      pod: pod("web/api-1", { deletionTimestamp: secondsAgo(5) }),
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "a terminating unmanaged pod with emptyDir is waited for, not a blocker",
      pod: pod("default/debug", { ...naked, ...emptyDir, deletionTimestamp: secondsAgo(5) }),
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "a terminating pod of a gone DaemonSet is waited for, not a blocker",
      pod: pod("kube-system/agent-x", { deletionTimestamp: secondsAgo(5), ownerReferences: controlledBy("DaemonSet", "agent") }),
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "a pod deleted long ago is waited for when the skip timeout is 0",
      pod: pod("web/api-1", { deletionTimestamp: secondsAgo(86400) }),
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "a pod deleted longer ago than the skip timeout is given up on",
      pod: pod("web/api-1", { deletionTimestamp: secondsAgo(21) }),
      options: { skipWaitForDeleteTimeoutSeconds: 20 },
      decision: { action: "skip", reason: "deleted-long-ago", waitForDeletion: false },
    },
    {
      description: "a pod deleted exactly the skip timeout ago is still waited for",
      pod: pod("web/api-1", { deletionTimestamp: secondsAgo(20) }),
      options: { skipWaitForDeleteTimeoutSeconds: 20 },
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "partial seconds are dropped as kubectl does",
      pod: pod("web/api-1", { deletionTimestamp: secondsAgo(20.9) }),
      options: { skipWaitForDeleteTimeoutSeconds: 20 },
      decision: { action: "skip", reason: "terminating", waitForDeletion: true },
    },
    {
      description: "the skip timeout comes before the DaemonSet rule",
      pod: pod("kube-system/kube-proxy-x", { deletionTimestamp: secondsAgo(60), ownerReferences: controlledBy("DaemonSet", "kube-proxy") }),
      options: { skipWaitForDeleteTimeoutSeconds: 20 },
      decision: { action: "skip", reason: "deleted-long-ago", waitForDeletion: false },
    },
    // Terminating namespace
    {
      description: "a pod in a terminating namespace is waited for",
      pod: pod("leaving/api-1"),
      decision: { action: "skip", reason: "namespace-terminating", waitForDeletion: true },
    },
    {
      description: "an unmanaged pod in a terminating namespace is not a blocker",
      pod: pod("leaving/debug", naked),
      decision: { action: "skip", reason: "namespace-terminating", waitForDeletion: true },
    },
    {
      description: "a mirror pod in a terminating namespace stays a mirror pod",
      pod: pod("leaving/static", { annotations: { "kubernetes.io/config.mirror": "x" } }),
      decision: { action: "skip", reason: "mirror-pod", waitForDeletion: false },
    },
  ])("$description", ({ pod: given, options: changes, decision }) => {
    // WHEN the pod is classified with the defaults plus the case's options
    const actual = classifyPod(given, context, options(changes));
    // THEN the decision is exactly the expected one, about this pod
    expect(actual).toEqual({ ...decision, pod: given });
  });
});

describe("planDrain", () => {
  const api = pod("web/api-1");
  const proxy = pod("kube-system/kube-proxy-x", { ownerReferences: controlledBy("DaemonSet", "kube-proxy") });
  const leaving = pod("web/api-0", { deletionTimestamp: secondsAgo(3) });
  const finished = pod("default/job-x", { ...naked, phase: "Succeeded" });
  const cache0 = pod("web/cache-0", emptyDir);
  const cache1 = pod("web/cache-1", emptyDir);
  const debug = pod("default/debug", naked);

  test("evicts the evictable pods and waits for them and those already leaving, in the given order", () => {
    // GIVEN a node with an app pod, a DaemonSet pod, a terminating pod and a finished pod
    const plan = planDrain([api, proxy, leaving, finished], context, defaultDrainOptions);
    // THEN nothing blocks, the DaemonSet pod is neither evicted nor waited for
    expect(plan.blockingError).toBeUndefined();
    expect(plan.toEvict).toEqual([api, finished]);
    expect(plan.toAwait).toEqual([api, leaving, finished]);
    expect(plan.decisions.map((d) => d.action)).toEqual(["evict", "skip", "skip", "evict"]);
    expect(plan.warnings).toEqual([]);
  });

  test("names every blocker in one error, grouped by reason with the option that overrides it", () => {
    // GIVEN blockers given out of order, mixed with pods that do not block
    const plan = planDrain([debug, api, cache1, proxy, cache0], context, defaultDrainOptions);
    // THEN reasons come in kubectl's filter order and pods sorted by namespace/name
    expect(plan.blockingError).toBe(
      "cannot drain node k8s-node-3: 3 pods block it:\n" +
        "  pods with local storage (emptyDir), set drain.deleteEmptyDirData: true to delete their data: web/cache-0, web/cache-1\n" +
        "  pods not managed by a controller, set drain.force: true to delete them for good: default/debug",
    );
  });

  test("counts a pod with two blockers once and lists it under both", () => {
    const scratch = pod("default/scratch", { ...naked, ...emptyDir });
    const orphan = pod("kube-system/agent-x", { ownerReferences: controlledBy("DaemonSet", "agent") });
    const plan = planDrain([scratch, orphan], context, defaultDrainOptions);
    expect(plan.blockingError).toBe(
      "cannot drain node k8s-node-3: 2 pods block it:\n" +
        "  pods whose DaemonSet no longer exists, set drain.force: true to delete them for good: kube-system/agent-x (DaemonSet agent)\n" +
        "  pods with local storage (emptyDir), set drain.deleteEmptyDirData: true to delete their data: default/scratch\n" +
        "  pods not managed by a controller, set drain.force: true to delete them for good: default/scratch",
    );
    expect(describeBlockedPods(plan.decisions)).toEqual([
      "default/scratch (emptyDir, no controller)",
      "kube-system/agent-x (its DaemonSet is gone)",
    ]);
  });

  test("says 1 pod in the singular", () => {
    expect(planDrain([debug], context, defaultDrainOptions).blockingError).toBe(
      "cannot drain node k8s-node-3: 1 pod blocks it:\n" +
        "  pods not managed by a controller, set drain.force: true to delete them for good: default/debug",
    );
  });

  test("lists the evictable pods even when blocked: the caller must refuse on blockingError before evicting", () => {
    const plan = planDrain([api, debug], context, defaultDrainOptions);
    expect(plan.blockingError).toBeDefined();
    expect(plan.toEvict).toEqual([api]);
  });

  test("warns about what the overriding options will lose", () => {
    // GIVEN both overrides
    const plan = planDrain([cache1, debug, cache0], context, options({ force: true, deleteEmptyDirData: true }));
    // THEN nothing blocks, everything is evicted and the losses are spelled out
    expect(plan.blockingError).toBeUndefined();
    expect(plan.toEvict).toEqual([cache1, debug, cache0]);
    expect(plan.warnings).toEqual([
      "deleting the emptyDir data of pods (drain.deleteEmptyDirData): web/cache-0, web/cache-1",
      "deleting pods not managed by a controller (drain.force): default/debug",
    ]);
  });

  test("an empty node has nothing to do", () => {
    expect(planDrain([], context, defaultDrainOptions)).toEqual({
      node: "k8s-node-3",
      decisions: [],
      toEvict: [],
      toAwait: [],
      blockingError: undefined,
      warnings: [],
    });
  });
});
