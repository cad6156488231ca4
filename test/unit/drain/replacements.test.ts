import {
  formatOwnersAnnotation,
  isStillShort,
  mergeBaselines,
  ownersOf,
  parseOwnersAnnotation,
  unschedulableOf,
  unschedulableReason,
  type OwnerBaseline,
  type PendingPodView,
} from "../../../providers/drain/replacements";
import { formatDrainTimeout } from "../../../providers/drain/progress";
import { controlledBy, pod } from "./builders";

const rs = (name: string, readyBefore: number): OwnerBaseline => ({ kind: "ReplicaSet", namespace: "web", name, readyBefore });

describe("owners and their readiness baseline", () => {
  test("owners of the evicted pods: ReplicaSets and StatefulSets of group apps, each once", () => {
    const pods = [
      pod("web/api-1", { ownerReferences: controlledBy("ReplicaSet", "api") }),
      pod("web/api-2", { ownerReferences: controlledBy("ReplicaSet", "api") }),
      pod("db/pg-0", { ownerReferences: controlledBy("StatefulSet", "pg") }),
      pod("web/job-1", { ownerReferences: controlledBy("Job", "job") }),
      pod("web/kruise-1", { ownerReferences: controlledBy("StatefulSet", "k", "apps.kruise.io/v1beta1") }),
    ];
    expect(ownersOf(pods)).toEqual([
      { kind: "ReplicaSet", namespace: "web", name: "api" },
      { kind: "StatefulSet", namespace: "db", name: "pg" },
    ]);
  });

  test.each([
    { description: "back to its readiness from before: done", baseline: rs("api", 3), now: { ready: 3, desired: 3 }, short: false },
    { description: "one replacement not Ready yet: waits", baseline: rs("api", 3), now: { ready: 2, desired: 3 }, short: true },
    { description: "already unready elsewhere before the drain: does not hold it", baseline: rs("api", 2), now: { ready: 2, desired: 3 }, short: false },
    { description: "scaled down meanwhile: the new size is enough", baseline: rs("api", 3), now: { ready: 1, desired: 1 }, short: false },
    { description: "owner gone: nothing to wait for", baseline: rs("api", 3), now: undefined, short: false },
  ])("$description", ({ baseline, now, short }) => {
    expect(isStillShort(baseline, now)).toBe(short);
  });

  test("a resumed drain keeps the baseline recorded by the first attempt", () => {
    const recorded = [rs("api", 3)];
    const current = [rs("api", 1), rs("cache", 2)];
    expect(mergeBaselines(recorded, current)).toEqual([rs("api", 3), rs("cache", 2)]);
  });

  test("the Node annotation round-trips, and garbage reads as nothing", () => {
    const baselines = [rs("api", 3), { kind: "StatefulSet", namespace: "db", name: "pg", readyBefore: 2 }];
    expect(parseOwnersAnnotation(formatOwnersAnnotation(baselines))).toEqual(baselines);
    expect(parseOwnersAnnotation("not json")).toEqual([]);
    expect(parseOwnersAnnotation('[["ReplicaSet","web"]]')).toEqual([]);
    expect(parseOwnersAnnotation(undefined)).toEqual([]);
  });
});

const pending = (name: string, message: string, reason = "Unschedulable"): PendingPodView => ({
  namespace: "web",
  name,
  ownerReferences: [{ kind: "ReplicaSet", name: "api", controller: true }],
  scheduled: { status: "False", reason, message },
});

describe("unschedulable replacements, from the scheduler's PodScheduled condition", () => {
  test.each([
    {
      description: "DoNotSchedule topology spread",
      message: "0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't match pod topology spread constraints. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
      says: /cannot be scheduled: a topology spread constraint with whenUnsatisfiable: DoNotSchedule.*scheduler: "0\/4 nodes are available: 1 node\(s\) were unschedulable, 3 node\(s\) didn't match pod topology spread constraints."/,
    },
    { description: "node affinity", message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", says: /its node affinity or nodeSelector/ },
    { description: "a volume bound to the node", message: "0/3 nodes are available: 3 node(s) had volume node affinity conflict.", says: /a volume bound to another node or zone/ },
    { description: "no room", message: "0/3 nodes are available: 3 Insufficient cpu.", says: /no room \(Insufficient cpu\)/ },
    { description: "several causes, each once", message: "0/5 nodes are available: 2 Insufficient memory, 3 node(s) had untolerated taint {dedicated: db}.", says: /no room \(Insufficient memory\); taints it does not tolerate/ },
  ])("$description", ({ message, says }) => {
    expect(unschedulableReason(pending("api-x", message))).toMatch(says);
  });

  test("a pod not (yet) judged unschedulable says nothing", () => {
    expect(unschedulableReason({ namespace: "web", name: "api-x" })).toBeUndefined();
    expect(unschedulableReason(pending("api-x", "waiting", "SchedulingGated"))).toBeUndefined();
  });

  test("only the owner's own Pending pods count, and the timeout message names them", () => {
    const other: PendingPodView = { ...pending("cache-x", "0/3 nodes are available: 3 Insufficient cpu."), ownerReferences: [{ kind: "ReplicaSet", name: "cache", controller: true }] };
    const spread = pending("api-x", "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.");
    const found = unschedulableOf({ kind: "ReplicaSet", namespace: "web", name: "api" }, [spread, other]);
    expect(found).toHaveLength(1);
    const message = formatDrainTimeout({
      node: "k8s-node-3",
      timeoutSeconds: 60,
      pending: [],
      unreadyOwners: [{ kind: "ReplicaSet", namespace: "web", name: "api", readyReplicas: 1, desiredReplicas: 2, unschedulable: found }],
    });
    expect(message).toMatch(/ReplicaSet web\/api \(1 of 2 ready; pod web\/api-x cannot be scheduled: a topology spread constraint with whenUnsatisfiable: DoNotSchedule/);
    expect(message).toMatch(/make room for the replacements that cannot be scheduled/);
  });
});
