import { kubectlJson } from "./lab";

interface PdbList {
  items: { metadata: { name: string }; status?: { currentHealthy?: number; desiredHealthy?: number; observedGeneration?: number } }[];
}

/**
 * Watches every PDB of a namespace while a drain runs (polling, several times a second) and records
 * each moment a budget was broken: currentHealthy below desiredHealthy. Stop it in a `finally`: a
 * test that fails before stop() would leave it polling (a kubectl every 150 ms) after the test.
 */
export class PdbObserver {
  readonly violations: string[] = [];
  /** Polls that failed (the API server down for a moment): not samples, so they cannot hide a breach. */
  readonly errors: string[] = [];
  samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly namespace: string) {
    this.loop = this.observe();
  }

  private async observe(): Promise<void> {
    while (this.running) {
      const list = await kubectlJson<PdbList>(["get", "pdb", "-n", this.namespace]).catch((e: Error) => {
        this.errors.push(`${new Date().toISOString()} ${e.message}`);
        return undefined;
      });
      for (const item of list?.items ?? []) {
        const current = item.status?.currentHealthy ?? 0;
        const desired = item.status?.desiredHealthy ?? 0;
        if (item.status?.observedGeneration !== undefined && current < desired) {
          this.violations.push(`${new Date().toISOString()} PDB ${this.namespace}/${item.metadata.name}: ${current} healthy < ${desired} desired`);
        }
      }
      if (list) this.samples++;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Ends the polling and waits for the last poll; safe to call more than once. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
