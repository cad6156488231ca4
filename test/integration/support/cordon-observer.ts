import { kubectlJson } from "./lab";

interface NodeList {
  items: { metadata: { name: string }; spec?: { unschedulable?: boolean } }[];
}

/**
 * Polls the Nodes of one test (several times a second) while scale-ins run and records the most
 * nodes among `watched` that were cordoned at one moment, with the moment and the names.
 */
export class CordonObserver {
  most = 0;
  worst = "";
  samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly testLabel: string,
    private readonly watched: readonly string[],
  ) {
    this.loop = this.observe();
  }

  private async observe(): Promise<void> {
    while (this.running) {
      const list = await kubectlJson<NodeList>(["get", "nodes", "-l", `kw-test=${this.testLabel}`]);
      const cordoned = list.items.filter((n) => this.watched.includes(n.metadata.name) && n.spec?.unschedulable === true).map((n) => n.metadata.name);
      if (cordoned.length > this.most) {
        this.most = cordoned.length;
        this.worst = `${new Date().toISOString()} cordoned at once: ${cordoned.join(", ")}`;
      }
      this.samples++;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
