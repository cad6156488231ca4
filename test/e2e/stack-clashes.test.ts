import * as fs from "node:fs/promises";
import * as path from "node:path";
import { previewStackForSuite } from "./support/suite-stack";

// Two entries that claim one machine or one Node name are refused at preview, every clash listed
// and each naming the entries involved. Nothing is dialled: the hosts are unused lab addresses.
describe("pulumi preview refuses entries that claim the same host or Node name", () => {
  const stack = previewStackForSuite("clashes");

  test("the same host (spelled two ways) and the same nodeName: the preview fails naming both entries of each clash", async () => {
    const nodes = [
      { name: "web-1", host: "10.213.0.250", nodeName: "web" },
      { name: "web-2", host: "10.213.0.251" },
      { name: "web-3", host: "::ffff:10.213.0.250" },
      { name: "web-4", host: "10.213.0.252", nodeName: "web" },
    ];
    await fs.writeFile(path.join(stack.project.dir, "Pulumi.clashes.yaml"), JSON.stringify({ config: { "kubeadm-workers:nodes": nodes } }));
    await stack.project.pulumiStdin(["config", "set", "--secret", "sshPrivateKey"], "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");

    const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"]);
    const output = stdout + stderr;

    expect(code).not.toBe(0);
    expect(output).toMatch(/the stack config has 2 problem\(s\); nothing was changed/);
    expect(output).toContain("nodes[0] (web-1) and nodes[2] (web-3) are the same machine (host 10.213.0.250, port 22)");
    expect(output).toContain('nodes[0] (web-1) and nodes[3] (web-4) use the same nodeName "web"');
    expect(output).not.toMatch(/\+ .*WorkerNode.*create/);
  }, 300_000);
});
