import * as fs from "node:fs";
import { openSession } from "../../providers/host/ssh-session";
import { prepareHost } from "../../providers/host/prepare-host";
import { clusterRuntime } from "../../providers/worker-node/cluster-runtime";
import { createWorkerNode } from "../../providers/worker-node/create";
import { effects } from "../../providers/worker-node/operations";
import type { WorkerNodeInputs } from "../../providers/worker-node/inputs";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import { createKwokNode, deleteNodes } from "./support/kwok-nodes";
import { bootstrapTokenSecrets, kubeconfigPath, kubectl, labCluster, labClusterConfig, labHosts, labPrivateKey, labSsh, requireLab } from "./support/lab";

jest.setTimeout(300_000);

/** The lab's Kubernetes packages repository and containerd 2 source, mirrors, sandbox image and drop-in, as `.lab/cluster.json` publishes them. */
const packages = () => labClusterConfig().packages;
const containerd = (): NonNullable<WorkerNodeInputs["containerd"]> => labClusterConfig().containerd;

function inputsFor(index: number, extra: Partial<WorkerNodeInputs> = {}): WorkerNodeInputs {
  const host = labHosts()[index];
  if (!host) throw new Error(`the lab has no host #${index + 1}: run "npm run lab -- up --hosts 3"`);
  return {
    connection: { host: host.address, port: host.port, user: host.user, privateKey: labPrivateKey(), hostKey: host.hostKey },
    cluster: { kubeconfig: fs.readFileSync(kubeconfigPath, "utf8"), apiServerEndpoint: labClusterConfig().apiServerEndpoint },
    packages: packages(),
    containerd: containerd(),
    kubeadm: labClusterConfig().kubeadm,
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
      // containerd 2, installed from the lab repository by the host steps, runs and answers, and
      // the Node reports it; the drop-in's key is in the configuration containerd runs with
      const ctr = await shell.run("ctr version");
      expect(ctr.code).toBe(0);
      expect(ctr.stdout).toMatch(/Server:\s+Version:\s+v?2\.\d+/);
      expect(outs.containerdVersion).toMatch(/^containerd:\/\/v?2\./);
      const dump = (await shell.run("containerd config dump")).stdout;
      expect(dump).toMatch(/restrict_oom_score_adj = true/);
      expect(dump).toMatch(/SystemdCgroup = false/);
      const dpkgBefore = (await shell.run("wc -l < /var/log/dpkg.log")).stdout;

      // WHEN the host steps run again
      const again: string[] = [];
      await prepareHost(
        shell,
        { kubernetesVersion: outs.kubernetesVersion, containerd: containerd(), packages: packages(), ...(await clusterRuntime(labCluster())) },
        (l) => again.push(l),
      );

      // THEN every step reports already done and dpkg did nothing
      expect(again.length).toBeGreaterThanOrEqual(6);
      expect(again.filter((l) => !l.endsWith(": already done"))).toEqual([]);
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
    // perl-base is on every Debian host (python3 is not): a listener on the kubelet's port
    await shell.run(
      `nohup perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 10250, Listen => 1, ReuseAddr => 1) or die $!; sleep 600' >/dev/null 2>&1 & echo $! > /tmp/kw-port-holder.pid`,
    );
    const filesBefore = (await shell.run("ls /etc/apt/sources.list.d /etc/kubernetes 2>/dev/null | sort")).stdout;
    try {
      // the listener takes its time to start on a busy 2-core machine: wait until the port is held
      const held = await shell.run("for i in $(seq 1 100); do ss -Hltn 2>/dev/null | grep -q ':10250 ' && exit 0; sleep 0.2; done; exit 1");
      expect(held.code).toBe(0);
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

  /** Debian's containerd 1.x on the host, installed the way a user would; returns its version. */
  async function installDebianContainerd(address: string): Promise<string> {
    const install = await labSsh(
      address,
      "export DEBIAN_FRONTEND=noninteractive; timeout 180 apt-get update -q -o DPkg::Lock::Timeout=60 2>&1 | tail -n 5 && timeout 180 apt-get install -y -q -o DPkg::Lock::Timeout=60 containerd 2>&1 | tail -n 10",
    );
    const version = (await labSsh(address, "dpkg-query -W -f='${Version}' containerd")).stdout;
    // apt's own words when the install did not happen
    expect({ version, apt: version ? "" : `${install.stdout}${install.stderr}` }).toEqual({ version: expect.stringMatching(/^1\.\d+\./), apt: "" });
    return version;
  }

  /** Debian's containerd gone again, whatever the test did: the suites after this one need a host preflight accepts. */
  async function removeDebianContainerd(address: string): Promise<void> {
    await labSsh(address, "DEBIAN_FRONTEND=noninteractive timeout 180 apt-get purge -y -q -o DPkg::Lock::Timeout=60 containerd </dev/null >/dev/null 2>&1; true");
  }

  test("a host with containerd 1.x: preflight refuses naming the version found, the version required and the option, and changes nothing", async () => {
    const host = labHosts()[0];
    try {
      await preflightRefusesContainerd1(host);
    } finally {
      await removeDebianContainerd(host.address);
    }
  });

  async function preflightRefusesContainerd1(host: ReturnType<typeof labHosts>[number]): Promise<void> {
    const version = await installDebianContainerd(host.address);
    const filesBefore = (await labSsh(host.address, "ls /etc/apt/sources.list.d /etc/kubernetes /etc/containerd 2>/dev/null | sort; dpkg -l | wc -l")).stdout;

    // WHEN create runs
    const error = await createWorkerNode(inputsFor(0), { ...effects, log: () => undefined }).catch((e: Error) => e);

    // THEN preflight refuses, naming both versions and containerd.upgrade; nothing changed on the host or in the cluster
    expect((error as Error).message).toContain(`preflight of host ${host.address}:22 (node ${host.name}) failed; nothing was changed on it`);
    expect((error as Error).message).toContain(
      `containerd ${version} (package containerd) is installed, but Kubernetes 1.36 requires containerd 2.0 or newer: set containerd.upgrade: true`,
    );
    expect((await labSsh(host.address, "ls /etc/apt/sources.list.d /etc/kubernetes /etc/containerd 2>/dev/null | sort; dpkg -l | wc -l")).stdout).toBe(filesBefore);
    expect((await kubectl(["get", "node", host.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect(await bootstrapTokenSecrets()).toBe("");
  }

  test("containerd.upgrade replaces Debian's containerd 1.x with containerd.io 2 in place, and the Node runs on it", async () => {
    const host = labHosts()[0];
    await installDebianContainerd(host.address);

    const { outs } = await createWorkerNode(inputsFor(0, { containerd: { ...containerd(), upgrade: true } }), { ...effects, log: () => undefined }).catch(async (error: Error) => {
      await removeDebianContainerd(host.address);
      throw error;
    });
    try {
      expect(outs.containerdVersion).toMatch(/^containerd:\/\/v?2\./);
      const packagesAfter = (await labSsh(host.address, "dpkg-query -W -f='${Package} ${Status}\\n' containerd containerd.io 2>/dev/null | grep ' installed$'")).stdout;
      expect(packagesAfter).toMatch(/^containerd\.io install ok installed$/m);
      expect(packagesAfter).not.toMatch(/^containerd install ok installed$/m);
    } finally {
      await deleteWorkerNode(outs, effects);
    }
  });

  test("containerd stopped right before kubeadm join: kubeadm's preflight cannot connect to the runtime, so the join fails before any kubelet starts or Node registers, within joinTimeout, with kubeadm's error and the host's kubelet and containerd logs, and leaves nothing behind", async () => {
    // (The other not-Ready path, a Node that registers and stays NotReady, is the e2e
    // test/e2e/join-not-ready.test.ts: there the runtime runs but the pod network never comes.)
    const host = labHosts()[1];
    const joinTimeoutSeconds = 60;
    let joinStartedAt = 0;
    // WHEN containerd is stopped on the host right before kubeadm join runs (through the session
    // create uses, so it happens exactly then), with kubeadm's CRI socket check skipped
    const sabotaged = {
      ...effects,
      log: () => undefined,
      openSession: async (...args: Parameters<typeof effects.openSession>) => {
        const shell = await effects.openSession(...args);
        const run = shell.run.bind(shell);
        shell.run = async (command, options) => {
          if (command.startsWith("kubeadm join")) {
            joinStartedAt = Date.now();
            await run("systemctl stop containerd", { timeoutSeconds: 60 });
          }
          return run(command, options);
        };
        return shell;
      },
    };
    try {
      const inputs = inputsFor(1, { joinTimeout: `${joinTimeoutSeconds}s` });
      const error = await createWorkerNode(
        { ...inputs, kubeadm: { ignorePreflightErrors: [...(inputs.kubeadm?.ignorePreflightErrors ?? []), "CRI"] } },
        sabotaged,
      ).then(
        () => new Error("create succeeded with containerd stopped"),
        (e: Error) => e,
      );
      const failedAfterSeconds = (Date.now() - joinStartedAt) / 1000;

      // THEN kubeadm join fails in its own preflight: its ContainerRuntimeVersion check (not skipped)
      // cannot connect to the runtime, so no kubelet is started and no Node registers
      const message = error.message;
      expect(message).toContain(`create of worker ${host.name} on ${host.address}:22 failed: host ${host.address}:22: kubeadm join failed with exit code`);
      expect(message).toMatch(/\[ERROR ContainerRuntimeVersion\]: could not connect to the container runtime/);
      expect(message).not.toMatch(/registered but was not Ready|did not register within joinTimeout/);
      // with the host's kubelet and containerd log sections (the kubelet's may be "none found": it never ran here)
      const address = host.address.replace(/\./g, "\\.");
      expect(message).toMatch(new RegExp(`kubelet log on ${address}:22`));
      expect(message).toMatch(new RegExp(`last lines of the containerd log on ${address}:22`));
      expect(message).not.toMatch(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/);
      // rolled back: the host reset, and no Node to remove (none registered)
      expect(message).toMatch(/undone: host reset \(kubeadm reset -f\)$/);
      // within joinTimeout, plus kubeadm's own margin, the log read and the rollback
      expect(joinStartedAt).toBeGreaterThan(0);
      expect(failedAfterSeconds).toBeLessThan(joinTimeoutSeconds + 90);
      // AND nothing is left: no Node, no token, no kubelet credentials on the host
      expect((await kubectl(["get", "node", host.name, "--ignore-not-found"])).stdout.trim()).toBe("");
      expect(await bootstrapTokenSecrets()).toBe("");
      expect((await labSsh(host.address, "ls /etc/kubernetes/kubelet.conf 2>&1")).stdout).toMatch(/No such file/);
    } finally {
      await labSsh(host.address, "systemctl start containerd");
    }
  });
});
