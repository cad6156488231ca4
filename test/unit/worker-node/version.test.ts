import {
  compareVersions,
  normalizeVersion,
  parseKubernetesVersion,
  parseServerVersion,
  skewProblem,
  versionChangeProblem,
  versionFloorProblem,
} from "../../../providers/worker-node/version";

const v = (text: string) => {
  const parsed = parseKubernetesVersion(text);
  if (!parsed) throw new Error(`bad fixture ${text}`);
  return parsed;
};

describe("normalizeVersion", () => {
  test.each([
    ["1.36.3", "1.36.3"],
    ["v1.36.3", "1.36.3"],
    [" v1.36.3 ", "1.36.3"],
    ["1.36.03", "1.36.3"],
    ["v1.9.10", "1.9.10"],
    ["latest", "latest"],
  ])("%j → %j", (text, normalized) => {
    expect(normalizeVersion(text)).toBe(normalized);
  });

  test.each(["1.36", "1.36.3-rc.1", "V1.36.3", "1.36.x", ""])("%j is not a release", (text) => {
    expect(parseKubernetesVersion(text)).toBeUndefined();
  });

  test.each([
    ["v1.36.3", "1.36.3"],
    ["v1.36.3+k3s1", "1.36.3"],
    ["v1.37.0-rc.1", "1.37.0"],
  ])("the API server's %j is release %j", (gitVersion, release) => {
    expect(parseServerVersion(gitVersion)).toEqual(v(release));
  });

  test("orders by major, minor, then patch (numerically)", () => {
    expect(compareVersions(v("1.36.10"), v("1.36.9"))).toBeGreaterThan(0);
    expect(compareVersions(v("1.9.0"), v("1.10.0"))).toBeLessThan(0);
    expect(compareVersions(v("1.36.3"), v("v1.36.3"))).toBe(0);
  });
});

describe("versionFloorProblem: kubeadm's v1beta4 JoinConfiguration (kubeadm 1.31+)", () => {
  test.each(["1.31.0", "1.31.14", "1.36.3", "1.40.0"])("accepts %s", (text) => {
    expect(versionFloorProblem(v(text))).toBeUndefined();
  });
  test.each(["1.30.14", "1.28.0", "1.9.0"])("refuses %s", (text) => {
    expect(versionFloorProblem(v(text))).toMatch(/older than 1\.31\.0, the oldest release whose kubeadm reads the v1beta4 JoinConfiguration/);
  });
});

describe("versionChangeProblem: what an in-place change of a node may be", () => {
  test.each([
    ["1.36.2", "1.36.3", "a patch upgrade"],
    ["1.36.3", "1.36.3", "no change"],
    ["1.35.9", "1.36.0", "one minor up"],
    ["1.36.3", "1.37.1", "one minor up, any patch"],
  ])("%s → %s is allowed (%s)", (from, to) => {
    expect(versionChangeProblem(v(from), v(to))).toBeUndefined();
  });

  test.each([
    ["1.36.3", "1.36.2", /never downgraded in place/],
    ["1.36.0", "1.35.9", /never downgraded in place/],
    ["1.34.5", "1.36.0", /skips 1 minor release\(s\): kubeadm upgrades one minor at a time\. Upgrade to 1\.35\.x first/],
    ["1.33.0", "1.36.3", /skips 2 minor release/],
    ["1.36.3", "2.0.0", /skips/],
  ])("%s → %s is refused", (from, to, reason) => {
    expect(versionChangeProblem(v(from), v(to))).toMatch(reason);
  });
});

describe("skewProblem: kubelet against kube-apiserver (version skew policy)", () => {
  test.each([
    ["1.36.3", "1.36.3"],
    ["1.36.2", "1.36.3"],
    ["1.35.0", "1.36.3"],
    ["1.33.0", "1.36.3"],
  ])("kubelet %s with kube-apiserver %s is supported", (kubelet, apiServer) => {
    expect(skewProblem(v(kubelet), v(apiServer))).toBeUndefined();
  });

  test.each([
    ["1.36.4", "1.36.3", /newer than the control plane \(kube-apiserver 1\.36\.3\)/],
    ["1.37.0", "1.36.3", /must not be newer than kube-apiserver/],
    ["1.32.9", "1.36.3", /4 minors older than the control plane.*at most 3 minors older\. Use 1\.33 or newer/],
  ])("kubelet %s with kube-apiserver %s is refused", (kubelet, apiServer, reason) => {
    expect(skewProblem(v(kubelet), v(apiServer))).toMatch(reason);
  });
});
