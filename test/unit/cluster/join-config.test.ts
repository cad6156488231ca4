import { renderJoinConfiguration } from "../../../providers/cluster/join-config";

const base = {
  apiServerEndpoint: "10.213.0.1:6443",
  token: "abcdef.0123456789abcdef",
  caCertHashes: ["sha256:7b4deb1b5b7933c6b6bf613cb5ffa8a4f94ed4d56e6d3840d3c555c349054221"],
  nodeName: "lab-host-1",
  criSocket: "unix:///run/containerd/containerd.sock",
  taints: [],
  timeoutSeconds: 600,
};

test("renders a v1beta4 JoinConfiguration that pins the CA and never skips verification", () => {
  const config = JSON.parse(renderJoinConfiguration(base)) as Record<string, any>;
  expect(config.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
  expect(config.kind).toBe("JoinConfiguration");
  expect(config.discovery.bootstrapToken).toEqual({
    apiServerEndpoint: "10.213.0.1:6443",
    token: "abcdef.0123456789abcdef",
    caCertHashes: base.caCertHashes,
    unsafeSkipCAVerification: false,
  });
  expect(config.nodeRegistration).toEqual({ name: "lab-host-1", criSocket: base.criSocket, taints: [] });
  expect(config.timeouts).toEqual({ discovery: "10m0s", tlsBootstrap: "10m0s", kubeletHealthCheck: "10m0s" });
});

test.each([
  { description: "a taint with a value", taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" as const }], expected: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] },
  { description: "a taint without a value", taints: [{ key: "spot", effect: "NoExecute" as const }], expected: [{ key: "spot", effect: "NoExecute" }] },
])("registers the node with $description", ({ taints, expected }) => {
  const config = JSON.parse(renderJoinConfiguration({ ...base, taints })) as { nodeRegistration: { taints: unknown } };
  expect(config.nodeRegistration.taints).toEqual(expected);
});

test("passes preflight errors to ignore only when some are given", () => {
  const config = JSON.parse(renderJoinConfiguration({ ...base, ignorePreflightErrors: ["SystemVerification"] })) as {
    nodeRegistration: { ignorePreflightErrors?: string[] };
  };
  expect(config.nodeRegistration.ignorePreflightErrors).toEqual(["SystemVerification"]);
});
