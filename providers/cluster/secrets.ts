// Secrets: the per-node bootstrap token is a Secret in kube-system, created before the join and
// deleted after it.
import * as k8s from "@kubernetes/client-node";
import type { ApiContext } from "./api-calls";

export interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly stringData: Readonly<Record<string, string>>;
}

export interface SecretApi {
  createSecret(secret: SecretSpec): Promise<void>;
  /** Deletes a Secret; an absent one is not an error. */
  deleteSecret(namespace: string, name: string): Promise<void>;
}

export function secretApi({ config, calls }: ApiContext): SecretApi {
  const core = config.makeApiClient(k8s.CoreV1Api);
  return {
    async createSecret(secret) {
      await calls.call(`creating Secret ${secret.namespace}/${secret.name}`, () =>
        core.createNamespacedSecret({
          namespace: secret.namespace,
          body: { metadata: { name: secret.name, namespace: secret.namespace }, type: secret.type, stringData: { ...secret.stringData } },
        }),
      );
    },
    async deleteSecret(namespace, name) {
      await calls.unlessAbsent(`deleting Secret ${namespace}/${name}`, () => core.deleteNamespacedSecret({ name, namespace }));
    },
  };
}
