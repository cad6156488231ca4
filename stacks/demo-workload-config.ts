// The stack config `demoWorkload` (stacks/demo-workload.ts makes it): its shape, checked at preview
// with the rest of the stack config. Pure, and free of the Kubernetes SDK the workload itself loads.
export interface DemoWorkloadSettings {
  /** The image: an HTTP server answering /readyz on port 8080 (the lab's kw-testapp). */
  readonly image: string;
  readonly replicas?: number;
}

const fields = ["image", "replicas"];

/** What is wrong with the `demoWorkload` config value; nothing when it is unset. */
export function demoWorkloadProblems(value: unknown, configKeys: readonly string[], namespace = "kubeadm-workers"): string[] {
  if (value === undefined) return [];
  const key = `${namespace}:demoWorkload`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${key} must be an object { image, replicas }`];
  const settings = value as Record<string, unknown>;
  const problems = Object.keys(settings)
    .filter((f) => !fields.includes(f))
    .map((f) => `${key}.${f} is not a field of demoWorkload (its fields: ${fields.join(", ")})`);
  if (typeof settings.image !== "string" || settings.image.trim() === "") problems.push(`${key}.image must be an image reference, e.g. registry.example/app:1.0`);
  if (settings.replicas !== undefined && !(Number.isInteger(settings.replicas) && (settings.replicas as number) >= 1 && (settings.replicas as number) <= 100)) {
    problems.push(`${key}.replicas must be a whole number from 1 to 100, got ${JSON.stringify(settings.replicas)}`);
  }
  if (!configKeys.includes("kubeconfig")) problems.push(`${key} needs ${namespace}:kubeconfig (set with --secret): the workload is created with it`);
  return problems;
}
