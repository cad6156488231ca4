// Why the engine deletes a node: its entry was removed (it leaves for good), or an input that
// replaceOnChanges names changed (a replacement: deleteBeforeReplace drains and removes it, then
// its host joins again in the same `up`). Pulumi tells a delete neither, but the engine diffs a
// resource before it replaces it, in the same provider process, so the diff notes it here.
//
// It matters to the other drains of the `up`: a node waiting for its slot to be replaced comes
// back, so it is room for their pods (drain/scale-in.ts). Without this, replacing every node (a new
// API endpoint) found no room anywhere: each waiting node counted as leaving, and the first drain
// refused. A purpose lost (a new process) falls back to "remove", which only refuses more often.
import { sameApiServerEndpoint } from "./diff";
import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { replacingProperties } from "./replacing-properties";

type Rule = (news: WorkerNodeInputs, olds: WorkerNodeOutputs) => boolean;

/** For each property replaceOnChanges names, when the new inputs change it (as the engine compares them). */
const changes: Record<(typeof replacingProperties)[number], Rule> = {
  "connection.host": (n, o) => n.connection?.host !== o.connection?.host,
  // Unset names the Node after the hostname: a change only from or to an explicit name.
  nodeName: (n, o) => n.nodeName !== (o.joinInputs ? o.joinInputs.nodeName : o.nodeName),
  // Setting it to the endpoint an unset input resolved to at join is no change.
  "cluster.apiServerEndpoint": (n, o) => !sameApiServerEndpoint(n, o),
};

/** The replacing properties the new inputs change, in replaceOnChanges' order. */
export function replacingChanges(olds: WorkerNodeOutputs, news: WorkerNodeInputs): string[] {
  return replacingProperties.filter((property) => changes[property](news, olds));
}

/** What each diff of this provider process said about the resource's next delete. */
export class DeletePurposes {
  private readonly replaced = new Set<string>();

  noteDiff(id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): void {
    if (replacingChanges(olds, news).length > 0) this.replaced.add(id);
    else this.replaced.delete(id);
  }

  purposeOf(id: string): "remove" | "replace" {
    return this.replaced.has(id) ? "replace" : "remove";
  }
}
