import * as fs from "node:fs";
import * as path from "node:path";
import { openSession } from "../../providers/host/ssh-session";
import { prepareSteps } from "../../providers/host/prepare-steps";
import { runHostSteps } from "../../providers/host/run-steps";
import { createWorkerNode } from "../../providers/worker-node/create";
import { effects } from "../../providers/worker-node/implementation";
import type { WorkerNodeInputs } from "../../providers/worker-node/inputs";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import { createKwokNode, deleteNodes } from "./support/kwok-nodes";
import { bootstrapTokenSecrets, kubeconfigPath, kubectl, labDir, labHosts, labPrivateKey, requireLab } from "./support/lab";

jest.setTimeout(300_000);

const packages = () => ({
  aptRepository: "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/",
  aptDistribution: "/",
  aptKey: fs.readFileSync(path.join(labDir, "apt", "repo", "kw-lab.asc"), "utf8"),
});

function inputsFor(index: number, extra: Partial<WorkerNodeInputs> = {}): WorkerNodeInputs {
  const host = labHosts()[index];
  if (!host) throw new Error(`the lab has no host #${index + 1}: run "npm run lab -- up --hosts 3"`);
  return {
    connection: { host: host.address, port: host.port, user: host.user, privateKey: labPrivateKey(), hostKey: host.hostKey },
    cluster: { kubeconfig: fs.readFileSync(kubeconfigPath, "utf8"), apiServerEndpoint: "10.213.0.1:6443" },
    packages: packages(),
    kubeadm: { ignorePreflightErrors: ["SystemVerification"] },
    joinTimeout: "3m",
    ...extra,
  };
}

beforeAll(requireLab);

describe("scale out on lab hosts", () => {
  test("the join never shows a token in ps; a second run of the host steps changes nothing and reinstalls no package", async () => {
    // GIVEN a host joined by create, its process list sampled every 50 ms all along
    const sampler = await openSession(inputsFor(2).connection);
    await sampler.run("rm -f /tmp/kw-ps.log; nohup sh -c 'while :; do ps -eo args; echo ---; sleep 0.05; done' >/tmp/kw-ps.log 2>&1 & echo $! >/tmp/kw-ps.pid");
    const lines: string[] = [];
    let samples: string;
    let created;
    try {
      created = await createWorkerNode(inputsFor(2), { ...effects, log: (l) => lines.push(l) });
    } finally {
      // the sampler loop ends whatever create did: a failed test leaves nothing running on the host
      await sampler.run("kill $(cat /tmp/kw-ps.pid)");
      samples = (await sampler.run("cat /tmp/kw-ps.log; rm -f /tmp/kw-ps.log /tmp/kw-ps.pid")).stdout;
      await sampler.close();
    }
    const { outs } = created;
    // the join ran while sampled, and no command line ever held a bootstrap token
    expect(samples).toContain("kubeadm join --config /etc/kubernetes/kubeadm-workers-join.json");
    expect(samples).not.toMatch(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/);
    const shell = await openSession(inputsFor(2).connection);
    try {
      // containerd, installed from the lab repository by the host steps, runs and answers
      const ctr = await shell.run("ctr version");
      expect(ctr.code).toBe(0);
      expect(ctr.stdout).toMatch(/Server:\s+Version:\s+1\.\d+/);
      const dpkgBefore = (await shell.run("wc -l < /var/log/dpkg.log")).stdout;

      // WHEN the host steps run again
      const steps = prepareSteps({ kubernetesVersion: outs.kubernetesVersion, containerd: {}, packages: packages() });
      const again: string[] = [];
      const outcome = await runHostSteps(shell, steps, (l) => again.push(l));

      // THEN every step reports already done and dpkg did nothing
      expect(outcome.every((o) => !o.changed)).toBe(true);
      expect(again).toEqual(steps.map((s) => `${s.name}: already done`));
      expect((await shell.run("wc -l < /var/log/dpkg.log")).stdout).toBe(dpkgBefore);
    } finally {
      await shell.close();
      await deleteWorkerNode(outs, effects);
    }
  });

  test("preflight lists every problem at once and changes nothing on the host", async () => {
    // GIVEN a host with something on the kubelet's port, and a Node of its name that is another machine's
    const host = labHosts()[2];
    await createKwokNode(host.name, "preflight");
    const shell = await openSession(inputsFor(2).connection);
    await shell.run("nohup python3 -m http.server 10250 --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > /tmp/kw-port-holder.pid");
    const filesBefore = (await shell.run("ls /etc/apt/sources.list.d /etc/kubernetes 2>/dev/null | sort")).stdout;
    try {
      await new Promise((r) => setTimeout(r, 500));
      // WHEN create runs
      const error = await createWorkerNode(inputsFor(2), { ...effects, log: () => undefined }).catch((e: Error) => e);

      // THEN it fails naming both problems, and nothing on the host changed
      expect((error as Error).message).toMatch(new RegExp(`preflight of host ${host.address}:22 \\(node ${host.name}\\) failed; nothing was changed on it`));
      expect((error as Error).message).toMatch(/port 10250 already in use/);
      expect((error as Error).message).toMatch(new RegExp(`a Node named ${host.name} already exists and is not this host.*kubectl delete node ${host.name}`));
      expect((await shell.run("ls /etc/apt/sources.list.d /etc/kubernetes 2>/dev/null | sort")).stdout).toBe(filesBefore);
      expect(await bootstrapTokenSecrets()).toBe("");
    } finally {
      await shell.run("kill $(cat /tmp/kw-port-holder.pid); rm -f /tmp/kw-port-holder.pid");
      await shell.close();
      await deleteNodes([host.name]);
    }
  });

  test("a connection cut during package installation fails clearly, leaves no Node or token, and a re-run completes", async () => {
    const host = labHosts()[1];
    // GIVEN a host without the Kubernetes packages, so create has to install them
    const setup = await openSession(inputsFor(1).connection);
    await setup.run("apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get purge -y -q kubelet kubeadm kubectl >/dev/null 2>&1; true");
    // and a dpkg hook that holds every installation for 5 s, so the cut below lands inside one
    await setup.run(`echo 'DPkg::Pre-Invoke {"sleep 5";};' > /etc/apt/apt.conf.d/99kw-test-slow-dpkg`);
    // WHEN the sshd process serving create's session dies while apt-get runs under it
    let cut = false;
    const cutter = (line: string): void => {
      if (cut || !line.includes("kubelet, kubeadm, kubectl 1.36.3: applying")) return;
      cut = true;
      void setup.run(
        "for i in $(seq 1 100); do p=$(pgrep -o -x apt-get) && pgrep -x sleep >/dev/null && break; sleep 0.1; done; " +
          // apt-get <- bash -s <- sh -c <- sshd (the session's server side): kill that sshd
          'b=$(ps -o ppid= -p $p | tr -d " "); s=$(ps -o ppid= -p $b | tr -d " "); [ "$(ps -o comm= -p $s)" = sshd ] || s=$(ps -o ppid= -p $s | tr -d " "); kill -9 $s',
      );
    };
    const error = await createWorkerNode(inputsFor(1), { ...effects, log: cutter }).catch((e: Error) => e);
    await setup.run("rm -f /etc/apt/apt.conf.d/99kw-test-slow-dpkg");

    // THEN create fails naming the lost connection; no Node, no token
    expect(cut).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`create of worker ${host.name} on ${host.address}:22 failed: connection to ${host.address}:22 was lost while running`));
    expect((await kubectl(["get", "node", host.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect(await bootstrapTokenSecrets()).toBe("");

    // AND a re-run finishes the interrupted install and joins
    const { outs } = await createWorkerNode(inputsFor(1), { ...effects, log: () => undefined });
    expect(outs.kubeletVersion).toBe("v1.36.3");
    await setup.close();
    await deleteWorkerNode(outs, effects);
  });

  test("create adopts a joined node of this host: lifts a cordon left by an unfinished drain, keeps an operator's", async () => {
    const host = labHosts()[2];
    const lines: string[] = [];
    const log = { ...effects, log: (l: string) => lines.push(l) };
    const { outs } = await createWorkerNode(inputsFor(2), log);
    try {
      // GIVEN the node left cordoned by a drain that timed out (and then dropped from state)
      await kubectl(["patch", "node", host.name, "--type=merge", "-p", JSON.stringify({ spec: { unschedulable: true }, metadata: { annotations: { "kubeadm-workers.io/drain-phase": "timed-out" } } })]);
      // WHEN create runs for the host again THEN it resumes without joining, and uncordons
      lines.length = 0;
      await createWorkerNode(inputsFor(2), log);
      expect(lines).toContain(`${host.name}: already joined: kubelet.conf present and the Node is this host's`);
      expect(lines).toContain(`${host.name}: uncordoned: it was left cordoned by an unfinished drain`);
      const node = JSON.parse((await kubectl(["get", "node", host.name, "-o", "json"])).stdout) as { spec: { unschedulable?: boolean }; metadata: { annotations: Record<string, string> } };
      expect(node.spec.unschedulable ?? false).toBe(false);
      expect(node.metadata.annotations["kubeadm-workers.io/drain-phase"]).toBeUndefined();

      // GIVEN an operator's cordon (no drain of ours) WHEN create runs again THEN the cordon stays
      await kubectl(["cordon", host.name]);
      await createWorkerNode(inputsFor(2), log);
      expect(JSON.parse((await kubectl(["get", "node", host.name, "-o", "json"])).stdout).spec.unschedulable).toBe(true);
    } finally {
      await deleteWorkerNode(outs, effects);
    }
  });
});
