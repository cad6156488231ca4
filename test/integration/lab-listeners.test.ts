import * as fs from "node:fs";
import * as path from "node:path";
import { runOk } from "../support/process";
import { labDir, requireLab } from "./support/lab";

// The lab's control plane runs with anonymous requests allowed (kubeadm's discovery reads
// cluster-info anonymously) on a machine that may sit on a real network: nothing of it may listen
// beyond the lab bridge and loopback. Read from the kernel's socket table (`ss`), so no address
// outside the lab is ever dialled.
const labBridge = "10.213.0.1";
const loopback = ["127.0.0.1", "[::1]"];
const components = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kwok-realistic"];

interface Listener {
  readonly address: string;
  readonly port: number;
  readonly pids: number[];
}

async function listeners(): Promise<Listener[]> {
  const { stdout } = await runOk("ss", ["-Hltnp"]);
  return stdout
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const local = line.trim().split(/\s+/)[3] ?? "";
      const colon = local.lastIndexOf(":");
      return {
        address: local.slice(0, colon).replace(/%.*$/, ""),
        port: Number(local.slice(colon + 1)),
        pids: [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])),
      };
    });
}

function pidOf(component: string): number {
  return Number(fs.readFileSync(path.join(labDir, "control-plane", "pids", `${component}.pid`), "utf8").trim());
}

beforeAll(requireLab);

describe("the lab listens only on lab addresses", () => {
  test("the API server is bound to the lab bridge address alone, not every interface", async () => {
    const apiServer = (await listeners()).filter((l) => l.port === 6443);
    expect(apiServer.map((l) => l.address)).toEqual([labBridge]);
    expect(apiServer[0]?.pids).toContain(pidOf("kube-apiserver"));
  });

  test("no control-plane process listens beyond the lab bridge and loopback", async () => {
    const all = await listeners();
    for (const component of components) {
      const pid = pidOf(component);
      const own = all.filter((l) => l.pids.includes(pid));
      expect(own.length).toBeGreaterThan(0);
      for (const listener of own) {
        expect({ component, address: listener.address, port: listener.port }).toEqual({
          component,
          address: expect.stringMatching(new RegExp(`^(${[labBridge, ...loopback].map((a) => a.replace(/[.[\]]/g, "\\$&")).join("|")})$`)) as string,
          port: listener.port,
        });
      }
    }
  });
});
