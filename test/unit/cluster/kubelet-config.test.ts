import { cgroupDriverOf, imageRepositoryOf } from "../../../providers/cluster/kubelet-config";

describe("cgroupDriverOf", () => {
  test.each([
    ["apiVersion: kubelet.config.k8s.io/v1beta1\ncgroupDriver: systemd\nkind: KubeletConfiguration\n", "systemd"],
    ["cgroupDriver: cgroupfs\nfailCgroupV1: false\n", "cgroupfs"],
    ['cgroupDriver: "systemd"\n', "systemd"],
    // the kubelet's own default when kubeadm wrote none
    ["kind: KubeletConfiguration\n", "cgroupfs"],
    // a nested key is not the top-level field
    ["something:\n  cgroupDriver: systemd\n", "cgroupfs"],
  ])("%j → %s", (yaml, driver) => {
    expect(cgroupDriverOf(yaml)).toBe(driver);
  });

  test("refuses a driver the kubelet does not know", () => {
    expect(() => cgroupDriverOf("cgroupDriver: cgroupv3\n")).toThrow(/cgroupDriver "cgroupv3", which is neither systemd nor cgroupfs/);
  });
});

test.each([
  ["apiVersion: kubeadm.k8s.io/v1beta4\nimageRepository: registry.k8s.io\nkind: ClusterConfiguration\n", "registry.k8s.io"],
  ["imageRepository: 10.213.0.1:5000/k8s # mirror\n", "10.213.0.1:5000/k8s"],
  ["kind: ClusterConfiguration\n", undefined],
])("imageRepositoryOf %j", (yaml, repository) => {
  expect(imageRepositoryOf(yaml)).toBe(repository);
});
