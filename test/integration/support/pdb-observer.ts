import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { pdbBreaches, pdbStateOf, podStateOf, type PdbState, type PodState } from "../../support/pdb-breach";
import { kubeconfigPath, kubectl } from "./lab";

interface Collection<T> {
  readonly path: string;
  readonly toState: (object: any) => T;
  readonly items: Map<string, T>;
  resourceVersion: string;
  /** Its first list is in: until both are, budgets would be judged against pods not yet read. */
  listed: boolean;
  child?: ChildProcess;
}

/**
 * Watches the PDBs and pods of a namespace while a drain runs (two Kubernetes watches, through
 * `kubectl get --raw ...?watch=1`) and records every moment a budget was broken, judged after each
 * event (see pdbBreaches: a pod that was Ready and fails its readiness probe is an involuntary
 * disruption, not the drain's), so a breach as short as one event is seen. A watch the API server ends
 * (a restart, its timeout) is resumed from the last resourceVersion it delivered, so the events of
 * the gap are replayed, not lost; only a 410 Gone (history compacted) makes it list again, noted in
 * `errors`. Stop it in a `finally`: stop() ends both kubectl processes.
 */
export class PdbObserver {
  private readonly breaches: string[] = [];
  /**
   * Every moment a budget was broken. Reading it from an observer that never saw the namespace (its
   * list failed, or it was stopped first) fails, so a test cannot pass on an observer that saw nothing.
   */
  get violations(): string[] {
    if (this.samples === 0) {
      throw new Error(`the PDB observer of namespace ${this.namespace} observed nothing: ${this.errors.join("; ") || "it was stopped before its first list came back"}`);
    }
    return this.breaches;
  }
  /** Watches that ended or could not start (the API server down for a moment), and relists. */
  readonly errors: string[] = [];
  /** Events judged (the initial lists count as one each). */
  samples = 0;
  /** Resolves once both initial lists are in and both watches started. */
  readonly ready: Promise<void>;
  private stopping = false;
  private lastBreaches = "";
  private readonly pdbs: Collection<PdbState>;
  private readonly pods: Collection<PodState>;
  private readonly loops: Promise<void>[] = [];
  /** Pods seen Ready at any moment (kept across relists): a later NotReady of theirs is their probe's. */
  private readonly everReady = new Set<string>();

  constructor(private readonly namespace: string) {
    this.pdbs = { path: `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`, toState: pdbStateOf, items: new Map(), resourceVersion: "", listed: false };
    this.pods = { path: `/api/v1/namespaces/${namespace}/pods`, toState: podStateOf, items: new Map(), resourceVersion: "", listed: false };
    this.ready = Promise.all([this.start(this.pdbs), this.start(this.pods)]).then(() => undefined);
  }

  /** Starts following one collection; resolves once its first list is in. */
  private start<T>(c: Collection<T>): Promise<void> {
    return new Promise((listed) => this.loops.push(this.follow(c, listed)));
  }

  private judge(): void {
    if (!this.pdbs.listed || !this.pods.listed) return;
    this.samples++;
    for (const pod of this.pods.items.values()) if (pod.ready) this.everReady.add(pod.name);
    const breaches = pdbBreaches(this.pdbs.items.values(), this.pods.items.values(), this.everReady);
    const key = breaches.join("\n");
    if (key !== this.lastBreaches && breaches.length > 0) this.breaches.push(...breaches.map((b) => `${new Date().toISOString()} ${this.namespace}/${b}`));
    this.lastBreaches = key;
  }

  private async list<T>(c: Collection<T>): Promise<void> {
    // (--raw prints the API's JSON as is: kubectl refuses it together with -o json)
    const list = JSON.parse((await kubectl(["get", "--raw", c.path])).stdout) as { metadata: { resourceVersion: string }; items: any[] };
    c.items.clear();
    for (const item of list.items) c.items.set(item.metadata.name, c.toState(item));
    c.resourceVersion = list.metadata.resourceVersion;
    c.listed = true;
    this.judge();
  }

  /** Lists, then watches from the list's resourceVersion until stop(), resuming after every end. */
  private async follow<T>(c: Collection<T>, listed: () => void): Promise<void> {
    let mustList = true;
    while (!this.stopping) {
      try {
        if (mustList) await this.list(c);
        mustList = false;
        listed();
        mustList = await this.watchOnce(c);
      } catch (error) {
        this.errors.push(`${new Date().toISOString()} ${c.path}: ${(error as Error).message.split("\n")[0]}`);
      }
      if (!this.stopping) await new Promise((r) => setTimeout(r, 300));
    }
    listed();
  }

  /** One watch request; resolves when it ends, true when the history is gone and a relist is due. */
  private watchOnce<T>(c: Collection<T>): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve(false);
      const url = `${c.path}?watch=1&allowWatchBookmarks=true&resourceVersion=${c.resourceVersion}`;
      const child = spawn("kubectl", ["--kubeconfig", kubeconfigPath, "get", "--raw", url], { stdio: ["ignore", "pipe", "pipe"] });
      c.child = child;
      let gone = false;
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (!line.trim()) return;
        const event = JSON.parse(line) as { type: string; object: any };
        if (event.type === "ERROR") {
          gone = event.object?.code === 410;
          this.errors.push(`${new Date().toISOString()} ${c.path}: watch error ${event.object?.code} ${event.object?.message}${gone ? " (listing again)" : ""}`);
          return;
        }
        c.resourceVersion = event.object.metadata.resourceVersion;
        if (event.type === "BOOKMARK") return;
        if (event.type === "DELETED") c.items.delete(event.object.metadata.name);
        else c.items.set(event.object.metadata.name, c.toState(event.object));
        this.judge();
      });
      child.on("close", (code) => {
        c.child = undefined;
        // a history too old for the (restarted) API server's cache, refused as an HTTP error rather than an event
        if (code !== 0 && /\b410\b|too old resource version|Expired|Gone/i.test(stderr)) gone = true;
        if (!this.stopping && code !== 0) this.errors.push(`${new Date().toISOString()} ${c.path}: watch ended (kubectl exit ${code}: ${stderr.trim().split("\n")[0] ?? ""}); resuming from resourceVersion ${c.resourceVersion}`);
        resolve(gone);
      });
    });
  }

  /** Ends both watches and waits for their kubectl processes; safe to call more than once. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of [this.pdbs, this.pods]) if (c.child?.pid) c.child.kill("SIGTERM");
    await Promise.all(this.loops);
  }
}
