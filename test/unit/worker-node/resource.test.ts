import { replacingProperties } from "../../../providers/worker-node/resource";

describe("which input changes replace a node", () => {
  test("another machine or another cluster replaces it", () => {
    expect(replacingProperties).toEqual(expect.arrayContaining(["connection.host", "nodeName", "cluster.apiServerEndpoint"]));
  });

  test("a Kubernetes version change does not: it upgrades the node in place", () => {
    expect(replacingProperties).not.toContain("kubernetesVersion");
  });
});
