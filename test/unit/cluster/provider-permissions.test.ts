import * as fs from "node:fs";
import * as path from "node:path";
import { providerPolicyRules } from "../../../providers/cluster/provider-permissions";
import { repoRoot } from "../../support/process";

// The provider's RBAC rules, derived from the source of the modules that talk to the API: each
// generated-client call (`<client>.<verb><Kind>(`) and each watch path names a verb and a resource.

const clusterDir = path.join(repoRoot, "providers/cluster");
// The preview's read-only snapshot runs in the stack program with the stack's kubeconfig, not as the provider.
const notTheProvider = new Set(["review-reads.ts", "provider-permissions.ts"]);

const groupOfClient: Record<string, string> = {
  CoreV1Api: "",
  AppsV1Api: "apps",
  PolicyV1Api: "policy",
  StorageV1Api: "storage.k8s.io",
  CoordinationV1Api: "coordination.k8s.io",
  AuthorizationV1Api: "authorization.k8s.io",
};
const verbOfMethod: Record<string, string> = { read: "get", list: "list", create: "create", delete: "delete", patch: "patch", replace: "update" };
const subresources: Record<string, string> = { PodEviction: "pods/eviction" };

function resourceOfKind(kind: string): string {
  return subresources[kind] ?? `${kind.toLowerCase()}s`;
}

/** "group resource verb" (or "url /version get") for every call in the provider's cluster modules. */
function accessesInSources(): Set<string> {
  const found = new Set<string>();
  for (const file of fs.readdirSync(clusterDir).filter((f) => f.endsWith(".ts") && !notTheProvider.has(f))) {
    const source = fs.readFileSync(path.join(clusterDir, file), "utf8");
    for (const [, client, api] of source.matchAll(/const (\w+) = config\.makeApiClient\(k8s\.(\w+)\)/g)) {
      for (const [, method] of source.matchAll(new RegExp(`\\b${client}\\.(\\w+)\\(`, "g"))) {
        if (api === "VersionApi") {
          expect(method).toBe("getCode");
          found.add("url /version get");
          continue;
        }
        const parts = /^(read|list|create|delete|patch|replace)(?:Namespaced)?(\w+?)(?:ForAllNamespaces)?$/.exec(method);
        if (!parts || !(api in groupOfClient)) throw new Error(`${file}: ${client}.${method} (${api}) maps to no verb and resource: extend this test`);
        found.add(`${groupOfClient[api]} ${resourceOfKind(parts[2])} ${verbOfMethod[parts[1]]}`);
      }
    }
    for (const [, group, resource] of source.matchAll(/\.watch\(\s*`\/apis?\/(?:([a-z.]+)\/)?v1\/(?:namespaces\/\$\{\w+\}\/)?([a-z]+)`/g)) {
      found.add(`${group ?? ""} ${resource} watch`);
    }
  }
  return found;
}

function accessesInRules(): Set<string> {
  const granted = new Set<string>();
  for (const rule of providerPolicyRules) {
    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs ?? []) granted.add(`url ${url} ${verb}`);
      for (const group of rule.apiGroups ?? []) for (const resource of rule.resources ?? []) granted.add(`${group} ${resource} ${verb}`);
    }
  }
  return granted;
}

test("the ClusterRole grants exactly the verbs and resources the provider's cluster modules call", () => {
  const called = accessesInSources();
  // The scan found the calls it should (a regex that matched nothing would make this test pass vacuously).
  expect(called).toContain(" nodes patch");
  expect(called).toContain("policy poddisruptionbudgets watch");
  expect([...called].sort()).toEqual([...accessesInRules()].sort());
});

test("one rule per resource, so removing a rule takes away one resource's verbs", () => {
  const keys = providerPolicyRules.map((rule) => `${rule.apiGroups?.join(",")}/${rule.resources?.join(",")}/${rule.nonResourceURLs?.join(",")}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const rule of providerPolicyRules) expect((rule.resources ?? rule.nonResourceURLs ?? []).length).toBe(1);
});
