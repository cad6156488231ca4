import type { ClusterApi } from "../cluster/kube-api";
import type { DrainPurpose } from "./annotations";
import { acquireDrainSlot, checkBudgetPermissions, type DrainSlot } from "./budget";
import { DrainError, drainNode } from "./execute";
import type { DrainEffects } from "./types";
import { patientCluster } from "../cluster/patient-cluster";
import type { DrainOptions } from "./options";
import { cordonPatch, isDraining, leavingMarkPatch } from "./scale-in";
import { nodeLog } from "../node-log";

/**
 * What `work` gets to prove, right before the step that ends the node's turn (the uncordon of an
 * upgrade, the delete of a scale-in), that the slot is still ours: the drain's pauses check it,
 * but `work` (host steps, a kubelet restart, waits of minutes) does not pause through them.
 */
export interface SlotCheck {
  /** One renewal now (a read and a write of the Lease); throws naming the Lease and its holder when the slot is no longer ours. */
  stillHeld(before: string): Promise<void>;
}

const purposeWord: Record<DrainPurpose, string> = { upgrade: "upgrade", remove: "removal", replace: "replacement" };

/**
 * The effects the drain sees: every pause renews the slot when due and checks it is still ours (the
 * 10 s timer renews it through `work`, which checks it with SlotCheck before its last step).
 */
function guardedBy(slot: DrainSlot, node: string, effects: DrainEffects): DrainEffects {
  const check = (): void => {
    const lost = slot.lost();
    if (lost) {
      throw new DrainError(
        `drain of ${node} stopped: ${lost}. Another drain may now be running, so going on could exceed drain.maxConcurrentDrains. ` +
          "The node stays cordoned; the next `pulumi up` takes a slot again and resumes.",
      );
    }
  };
  return {
    now: () => effects.now(),
    log: (line) => effects.log(line),
    sleep: async (ms) => {
      await slot.renewIfDue();
      check();
      await effects.sleep(ms);
      await slot.renewIfDue();
      check();
    },
  };
}

/**
 * Takes a drain slot, cordons, drains, runs `work` while still holding the slot (handing it the
 * cluster that rides through short API outages, as the drain does), and releases the
 * slot in finally. ONE deadline (drain.timeoutSeconds, from the call) covers the wait for the slot
 * and the drain; `work` is not bounded by it. The node is cordoned only once the slot is ours, so
 * at most maxConcurrentDrains nodes are ever cordoned by scale-ins and upgrades together. Before
 * waiting, the node is marked leaving (drain phase `waiting-for-slot`, not cordoned) so the capacity
 * checks of other drains do not count it as room (scale-in.ts). Missing Lease permissions are found
 * before anything is written. On failure the node stays cordoned (and the caller's resource stays
 * in state, so the next `up` resumes); a lost or stolen slot stops the drain at its next pause, and
 * `work` before its last step (SlotCheck).
 */
export async function drainWithSlot<T>(
  cluster: ClusterApi,
  node: string,
  options: DrainOptions,
  effects: DrainEffects,
  purpose: DrainPurpose,
  work: (cluster: ClusterApi, slot: SlotCheck) => Promise<T>,
): Promise<T> {
  const log = nodeLog(effects, node);
  const deadline = new Date(effects.now().getTime() + options.timeoutSeconds * 1000);
  await checkBudgetPermissions(cluster);
  const before = await cluster.getNode(node);
  if (!before) throw new DrainError(`Node ${node} is not in the cluster (${cluster.server}); nothing to drain`);
  if (!isDraining(before)) await cluster.patchNode(node, leavingMarkPatch(purpose));

  const slot = await acquireDrainSlot(cluster, node, options.maxConcurrentDrains, deadline, { ...effects, log });
  try {
    const guarded = guardedBy(slot, node, effects);
    // From here on the drain rides through a short API outage (a restarted API server or etcd).
    const steady = patientCluster(cluster, guarded, log);
    const current = (await steady.getNode(node)) ?? before;
    await steady.patchNode(node, cordonPatch(current));
    log(`cordoned (drain slot ${slot.name} taken, ${Math.max(0, Math.round((deadline.getTime() - effects.now().getTime()) / 1000))}s of drain.timeoutSeconds left)`);
    await drainNode(steady, node, options, guarded, deadline);
    await guarded.sleep(0);
    const check: SlotCheck = {
      async stillHeld(before) {
        await slot.renew();
        const lost = slot.lost();
        if (lost) {
          throw new DrainError(
            `${purposeWord[purpose]} of ${node} stopped before ${before}: ${lost}. Another drain may be running now, so going on could exceed drain.maxConcurrentDrains. ` +
              "The node stays cordoned; the next `pulumi up` takes a slot again and resumes.",
          );
        }
      },
    };
    return await work(steady, check);
  } finally {
    await slot.release().catch((error: Error) => log(`warning: drain slot ${slot.name} not released (${error.message}); it frees itself within 30s`));
  }
}
