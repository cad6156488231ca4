// A loopback API server holding given Nodes and pods (and empty lists of everything else the review
// reads), answering lists the way kube-apiserver does: `limit` items at a time with a continue
// token, everything without a limit. Unit tests count the requests our adapters send to it.
import { startLoopbackApi, type LoopbackApi } from "./loopback-api";

export type ApiObject = Record<string, unknown>;

function page(all: readonly ApiObject[], query: URLSearchParams): { items: ApiObject[]; metadata: { continue?: string } } {
  const limit = Number(query.get("limit") ?? "0");
  const start = Number(query.get("continue") ?? "0");
  if (!limit) return { items: all.slice(start), metadata: {} };
  const end = start + limit;
  return { items: all.slice(start, end), metadata: end < all.length ? { continue: String(end) } : {} };
}

const emptyLists = new Set(["/apis/policy/v1/poddisruptionbudgets", "/apis/apps/v1/daemonsets", "/api/v1/namespaces"]);

export function startPagedApi(objects: { nodes: readonly ApiObject[]; pods: readonly ApiObject[] }): Promise<LoopbackApi> {
  return startLoopbackApi((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Content-Type", "application/json");
    const list = url.pathname === "/api/v1/nodes" ? objects.nodes : url.pathname === "/api/v1/pods" ? objects.pods : emptyLists.has(url.pathname) ? [] : undefined;
    if (list) res.end(JSON.stringify({ kind: "List", apiVersion: "v1", ...page(list, url.searchParams) }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: 404, message: "not found" }));
    }
  });
}

/** `count` running pods spread round-robin over the named Nodes. */
export function podsOn(nodeNames: readonly string[], count: number): ApiObject[] {
  return Array.from({ length: count }, (_, i) => ({
    metadata: { namespace: "ns", name: `p-${i}`, uid: `u-${i}` },
    spec: { nodeName: nodeNames[i % nodeNames.length], containers: [{ name: "c", resources: { requests: { cpu: "10m" } } }] },
    status: { phase: "Running" },
  }));
}

/** A Ready Node with room, and the annotations given. */
export function readyNode(name: string, annotations: Record<string, string> = {}): ApiObject {
  return {
    metadata: { name, uid: `uid-${name}`, annotations },
    status: { conditions: [{ type: "Ready", status: "True" }], allocatable: { cpu: "8", memory: "16Gi", pods: "1000" } },
  };
}
