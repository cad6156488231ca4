import * as fs from "node:fs/promises";
import * as path from "node:path";
import { PulumiProject } from "./support/pulumi-project";

// A throwaway program with one trivial dynamic resource whose create/update/delete leave a file
// behind, so the test sees the engine really called the provider, not just printed a plan.
const program = `
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");

const markerProvider = {
  async create(inputs) {
    fs.writeFileSync(inputs.path, inputs.value);
    return { id: inputs.path, outs: { ...inputs, writes: 1 } };
  },
  async update(id, olds, news) {
    fs.writeFileSync(news.path, news.value);
    return { outs: { ...news, writes: olds.writes + 1 } };
  },
  async delete(id) {
    fs.rmSync(id, { force: true });
  },
};

class Marker extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(markerProvider, name, { ...args, writes: undefined }, opts, "smoke", "Marker");
  }
}

const config = new pulumi.Config();
const marker = new Marker("marker", { path: config.require("markerPath"), value: config.require("value") });
exports.value = marker.value;
exports.writes = marker.writes;
`;

interface PreviewDigest {
  changeSummary: Record<string, number>;
  steps: { op: string; urn: string; diffReasons?: string[] }[];
}

describe("the real pulumi CLI drives a dynamic provider on the local file backend", () => {
  let project: PulumiProject;
  let markerPath: string;

  beforeAll(async () => {
    project = await PulumiProject.create("smoke", {
      "Pulumi.yaml": "name: smoke\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "package.json": JSON.stringify({ name: "smoke", private: true, main: "index.js" }),
      "index.js": program,
    });
    markerPath = path.join(project.dir, "marker.txt");
    await project.pulumiOk(["stack", "init", "smoke"]);
    await project.pulumiOk(["config", "set", "markerPath", markerPath]);
  }, 60_000);

  afterAll(async () => {
    await project.pulumi(["destroy", "--yes"]);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 180_000);

  test("up creates, preview sees no changes, an input change is an update, destroy deletes", async () => {
    // up: the provider's create runs
    await project.pulumiOk(["config", "set", "value", "one"]);
    await project.pulumiOk(["up", "--yes", "--skip-preview"]);
    expect(await fs.readFile(markerPath, "utf8")).toBe("one");
    const outputs = JSON.parse((await project.pulumiOk(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    expect(outputs).toEqual({ value: "one", writes: 1 });

    // preview of an unchanged program: no changes (the CLI exits non-zero otherwise)
    await project.pulumiOk(["preview", "--expect-no-changes"]);

    // an input change previews as an update of that property, then up runs the provider's update
    await project.pulumiOk(["config", "set", "value", "two"]);
    const digest = JSON.parse((await project.pulumiOk(["preview", "--json"])).stdout) as PreviewDigest;
    expect(digest.changeSummary).toEqual({ update: 1, same: 1 });
    const update = digest.steps.find((s) => s.op === "update");
    expect(update?.urn).toMatch(/::marker$/);
    expect(update?.diffReasons).toEqual(["value"]);
    await project.pulumiOk(["up", "--yes", "--skip-preview"]);
    expect(await fs.readFile(markerPath, "utf8")).toBe("two");
    const updated = JSON.parse((await project.pulumiOk(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    expect(updated).toEqual({ value: "two", writes: 2 });

    // destroy: the provider's delete runs and the stack is empty
    await project.pulumiOk(["destroy", "--yes", "--skip-preview"]);
    await expect(fs.access(markerPath)).rejects.toThrow(/ENOENT/);
    const exported = JSON.parse((await project.pulumiOk(["stack", "export"])).stdout) as {
      deployment: { resources?: unknown[] };
    };
    expect(exported.deployment.resources ?? []).toEqual([]);
  }, 600_000);
});
