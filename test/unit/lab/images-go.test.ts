import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, run } from "../../support/process";

// The lab images' pure logic (kw-cni's pod subnet and conflist, kw-image's reproducible layouts) is Go
// and tested with `go test`; this runs those tests in the unit tier so `npm test` counts them.
jest.setTimeout(300_000);

function goBinary(): string {
  const installed = "/usr/local/go/bin/go";
  return fs.existsSync(installed) ? installed : "go";
}

test("go test ./... passes in lab/images", async () => {
  const result = await run(goBinary(), ["test", "./..."], {
    cwd: path.join(repoRoot, "lab", "images"),
    env: { ...process.env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false" },
    timeoutMs: 280_000,
  });
  expect(result).toMatchObject({ code: 0 });
  expect(result.stdout).toMatch(/^ok\s+kubeadm-workers\/lab\/images\/kw-cni\b/m);
  expect(result.stdout).toMatch(/^ok\s+kubeadm-workers\/lab\/images\/kw-image\b/m);
});
