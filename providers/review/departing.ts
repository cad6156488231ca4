// Which nodes a preview would drain, found from the cluster itself: Nodes carry the stack and resource
// that joined them (annotations written at create), so the first preview after an entry is removed
// already knows which Node it was — no state file needed. Pure.
import { compareText } from "../drain/types";

/** `<project>/<stack>/<resource>` of the WorkerNode that joined the Node. */
export const ownerAnnotation = "kubeadm-workers.io/owner";
/** The SSH host the Node was joined through. */
export const hostAnnotation = "kubeadm-workers.io/host";
/** The API server endpoint the Node joined through (resolved, as the resource's output records it). */
export const endpointAnnotation = "kubeadm-workers.io/api-server-endpoint";

export interface OwnedNode {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly kubeletVersion?: string;
}

export interface ConfiguredEntry {
  readonly resource: string;
  readonly host: string;
  readonly nodeName?: string;
}

export interface Departure {
  readonly resource: string;
  readonly node: string;
  readonly action: "delete" | "replace" | "upgrade";
  readonly why: string;
}

/**
 * Only a node whose entry is gone leaves the room for good. One replaced (drained, removed, its host
 * joined again) or upgraded in place comes back: the drains of the others count it as room until
 * its own turn (drain/scale-in.ts), and the report judges it the same way.
 */
export function leavesForGood(action: Departure["action"]): boolean {
  return action === "delete";
}

export function ownerOf(project: string, stack: string, resource: string): string {
  return `${project}/${stack}/${resource}`;
}

/** Hosts compare case-insensitively, IPv6 without brackets. */
function sameHost(a: string, b: string): boolean {
  const plain = (h: string): string => h.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return plain(a) === plain(b);
}

const normalizedVersion = (v: string): string => v.trim().replace(/^v/, "").replace(/[-+].*$/, "");

/**
 * Departing nodes of this project and stack: an owned Node whose entry is gone is deleted; one whose
 * entry now names another host or node name, or whose stack names another API endpoint than the one
 * it joined through (when both are known), is replaced; one whose kubelet runs another version than
 * the config asks is upgraded in place (drained, upgraded, uncordoned). An unset endpoint says
 * nothing: the diff replaces a node when its recorded input was set, whatever the unset one resolves
 * to, and the Node records only the endpoint it joined through, not whether it was given (README lists
 * this under what the report cannot see).
 */
export function findDepartures(
  nodes: readonly OwnedNode[],
  entries: readonly ConfiguredEntry[],
  scope: { readonly project: string; readonly stack: string; readonly kubernetesVersion?: string; readonly apiServerEndpoint?: string },
): Departure[] {
  const prefix = `${scope.project}/${scope.stack}/`;
  const byResource = new Map(entries.map((entry) => [entry.resource, entry]));
  const departures: Departure[] = [];
  for (const node of nodes) {
    const owner = node.annotations[ownerAnnotation];
    if (!owner?.startsWith(prefix)) continue;
    const resource = owner.slice(prefix.length);
    const entry = byResource.get(resource);
    const recordedHost = node.annotations[hostAnnotation];
    if (!entry) departures.push({ resource, node: node.name, action: "delete", why: "its entry was removed from the stack config" });
    else if (recordedHost && !sameHost(recordedHost, entry.host)) {
      departures.push({ resource, node: node.name, action: "replace", why: `its host changes from ${recordedHost} to ${entry.host}` });
    } else if (entry.nodeName && entry.nodeName !== node.name) {
      departures.push({ resource, node: node.name, action: "replace", why: `its node name changes from ${node.name} to ${entry.nodeName}` });
    } else if (scope.apiServerEndpoint && node.annotations[endpointAnnotation] && node.annotations[endpointAnnotation] !== scope.apiServerEndpoint) {
      departures.push({ resource, node: node.name, action: "replace", why: `its API endpoint changes from ${node.annotations[endpointAnnotation]} to ${scope.apiServerEndpoint}` });
    } else if (scope.kubernetesVersion && node.kubeletVersion && normalizedVersion(scope.kubernetesVersion) !== normalizedVersion(node.kubeletVersion)) {
      departures.push({ resource, node: node.name, action: "upgrade", why: `its kubelet ${node.kubeletVersion} is upgraded to ${scope.kubernetesVersion}` });
    }
  }
  return departures.sort((a, b) => compareText(a.resource, b.resource));
}
