import { endpointAnnotation, findDepartures, hostAnnotation, leavesForGood, ownerAnnotation, type OwnedNode } from "../../../providers/review/departing";

const owned = (name: string, resource: string, host: string, extra: Partial<OwnedNode> = {}): OwnedNode => ({
  name,
  annotations: { [ownerAnnotation]: `kw/prod/${resource}`, [hostAnnotation]: host },
  kubeletVersion: "v1.36.3",
  ...extra,
});
const scope = { project: "kw", stack: "prod" };

describe("departing nodes, from the cluster's own annotations", () => {
  test("an owned Node whose entry is gone is deleted", () => {
    expect(findDepartures([owned("n1", "web-1", "10.0.0.1"), owned("n2", "web-2", "10.0.0.2")], [{ resource: "web-1", host: "10.0.0.1" }], scope)).toEqual([
      { resource: "web-2", node: "n2", action: "delete", why: "its entry was removed from the stack config" },
    ]);
  });

  test("Nodes of another stack, another project or nobody are never ours", () => {
    const other = { name: "x", annotations: { [ownerAnnotation]: "kw/staging/web-2" } };
    const foreign = { name: "y", annotations: { [ownerAnnotation]: "other/prod/web-2" } };
    const unowned = { name: "z", annotations: {} };
    expect(findDepartures([other, foreign, unowned], [], scope)).toEqual([]);
  });

  test.each([
    [{ resource: "web-1", host: "10.0.0.9" }, "replace", "its host changes from 10.0.0.1 to 10.0.0.9"],
    [{ resource: "web-1", host: "10.0.0.1", nodeName: "renamed" }, "replace", "its node name changes from n1 to renamed"],
    [{ resource: "web-1", host: "10.0.0.1" }, undefined, undefined],
  ])("entry %j → %s", (entry, action, why) => {
    const result = findDepartures([owned("n1", "web-1", "10.0.0.1")], [entry], scope);
    expect(result).toEqual(action ? [{ resource: "web-1", node: "n1", action, why }] : []);
  });

  test("a new API endpoint replaces a Node joined through another one; unrecorded or unset endpoints say nothing", () => {
    const joinedThrough = (endpoint: string) => owned("n1", "web-1", "10.0.0.1", { annotations: { [ownerAnnotation]: "kw/prod/web-1", [hostAnnotation]: "10.0.0.1", [endpointAnnotation]: endpoint } });
    const entry = [{ resource: "web-1", host: "10.0.0.1" }];
    expect(findDepartures([joinedThrough("10.0.0.1:6443")], entry, { ...scope, apiServerEndpoint: "lb.example.com:6443" })).toEqual([
      { resource: "web-1", node: "n1", action: "replace", why: "its API endpoint changes from 10.0.0.1:6443 to lb.example.com:6443" },
    ]);
    expect(findDepartures([joinedThrough("lb.example.com:6443")], entry, { ...scope, apiServerEndpoint: "lb.example.com:6443" })).toEqual([]);
    // Unset: a replacement only if the recorded input was set, which the Node does not record.
    expect(findDepartures([joinedThrough("10.0.0.1:6443")], entry, scope)).toEqual([]);
    expect(findDepartures([owned("n1", "web-1", "10.0.0.1")], entry, { ...scope, apiServerEndpoint: "lb.example.com:6443" })).toEqual([]);
  });

  test("hosts compare without case or IPv6 brackets", () => {
    expect(findDepartures([owned("n1", "a", "[FD00::1]")], [{ resource: "a", host: "fd00::1" }], scope)).toEqual([]);
  });

  test("a version change is an in-place upgrade; v-prefix and build suffix are the same version", () => {
    expect(findDepartures([owned("n1", "a", "h")], [{ resource: "a", host: "h" }], { ...scope, kubernetesVersion: "1.36.3" })).toEqual([]);
    expect(findDepartures([owned("n1", "a", "h")], [{ resource: "a", host: "h" }], { ...scope, kubernetesVersion: "v1.36.3" })).toEqual([]);
    expect(findDepartures([owned("n1", "a", "h", { kubeletVersion: "v1.36.2" })], [{ resource: "a", host: "h" }], { ...scope, kubernetesVersion: "1.36.3" })).toEqual([
      { resource: "a", node: "n1", action: "upgrade", why: "its kubelet v1.36.2 is upgraded to 1.36.3" },
    ]);
  });
});

describe("leavesForGood: which departures take their node out of the room for the others", () => {
  test.each([
    ["delete", true],
    ["replace", false],
    ["upgrade", false],
  ] as const)("%s: %s", (action, expected) => {
    expect(leavesForGood(action)).toBe(expected);
  });
});
