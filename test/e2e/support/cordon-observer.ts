import { kubectlJson } from "../../integration/support/lab";

interface NodeList {
  items: { metadata: { name: string }; spec: { unschedulable?: boolean } }[];
}

/**
 * Polls the Nodes (several times a second) while an `up` runs and records the most of `nodes` ever
 * cordoned at one moment, and every node it saw cordoned.
 */
export class CordonObserver {
  maxCordonedAtOnce = 0;
  readonly everCordoned = new Set<string>();
  readonly moments: string[] = [];
  samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly nodes: readonly string[]) {
    this.loop = this.observe();
  }

  private async observe(): Promise<void> {
    while (this.running) {
      const list = await kubectlJson<NodeList>(["get", "nodes"]);
      const cordoned = list.items.filter((n) => this.nodes.includes(n.metadata.name) && n.spec.unschedulable).map((n) => n.metadata.name);
      cordoned.forEach((n) => this.everCordoned.add(n));
      if (cordoned.length > this.maxCordonedAtOnce) this.maxCordonedAtOnce = cordoned.length;
      if (cordoned.length > 1) this.moments.push(`${new Date().toISOString()} cordoned at once: ${cordoned.join(", ")}`);
      this.samples++;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
