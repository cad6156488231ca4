import { demoWorkloadProblems } from "../../../stacks/demo-workload-config";

describe("demoWorkload config", () => {
  test.each<[string, unknown, readonly string[], RegExp[]]>([
    ["unset: nothing to check", undefined, [], []],
    ["an image and replicas, with the kubeconfig", { image: "10.213.0.1:5000/kw-testapp:1", replicas: 6 }, ["kubeconfig"], []],
    ["not an object", "web", ["kubeconfig"], [/demoWorkload must be an object/]],
    ["no image", { replicas: 2 }, ["kubeconfig"], [/demoWorkload\.image must be an image reference/]],
    ["replicas out of range", { image: "app", replicas: 0 }, ["kubeconfig"], [/replicas must be a whole number from 1 to 100, got 0/]],
    ["an unknown field", { image: "app", replica: 2 }, ["kubeconfig"], [/demoWorkload\.replica is not a field of demoWorkload \(its fields: image, replicas\)/]],
    ["no kubeconfig to create it with", { image: "app" }, [], [/needs kubeadm-workers:kubeconfig/]],
  ])("%s", (_what, value, keys, expected) => {
    const problems = demoWorkloadProblems(value, keys);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });
});
