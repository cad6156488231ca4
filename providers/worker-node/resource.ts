import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs, WorkerNodeArgs } from "./args";
import type { Taint } from "./inputs";
import type { NodeStatusSummary } from "./outputs";
import { skipPromiseStacks } from "./promise-stacks";
import { workerNodeProvider } from "./provider";
import { ownerOf } from "../review/departing";

import { replacingProperties } from "./replacing-properties";

export { replacingProperties };

/**
 * Credentials become secrets whatever the caller passed, so they are encrypted in state and shown
 * as [secret] in previews, while host, port and user stay readable in `preview --diff`.
 */
function withSecretCredentials(connection: ConnectionArgs): ConnectionArgs {
  const secret = (value: pulumi.Input<string> | undefined): pulumi.Input<string> | undefined => (value === undefined ? undefined : pulumi.secret(value));
  const proxy = connection.proxy;
  return {
    ...connection,
    password: secret(connection.password),
    privateKey: secret(connection.privateKey),
    privateKeyPassword: secret(connection.privateKeyPassword),
    ...(proxy === undefined
      ? {}
      : {
          proxy: pulumi.output(proxy).apply((p) => ({
            ...p,
            ...(p.password !== undefined ? { password: pulumi.secret(p.password) } : {}),
            ...(p.privateKey !== undefined ? { privateKey: pulumi.secret(p.privateKey) } : {}),
            ...(p.privateKeyPassword !== undefined ? { privateKeyPassword: pulumi.secret(p.privateKeyPassword) } : {}),
          })),
        }),
  };
}

/** One host's membership as a worker in a kubeadm cluster. */
export class WorkerNode extends pulumi.dynamic.Resource {
  declare readonly nodeName: pulumi.Output<string>;
  declare readonly host: pulumi.Output<string>;
  declare readonly hostKey: pulumi.Output<string>;
  declare readonly hostKeyFingerprint: pulumi.Output<string>;
  declare readonly apiServerEndpoint: pulumi.Output<string>;
  declare readonly caCertHash: pulumi.Output<string>;
  declare readonly kubernetesVersion: pulumi.Output<string>;
  declare readonly kubeletVersion: pulumi.Output<string>;
  declare readonly containerdVersion: pulumi.Output<string>;
  declare readonly machineId: pulumi.Output<string>;
  declare readonly labels: pulumi.Output<Record<string, string>>;
  declare readonly taints: pulumi.Output<Taint[]>;
  /** Conditions, capacity, allocatable, versions and cordon, as the last up or refresh saw the Node. */
  declare readonly nodeStatus: pulumi.Output<NodeStatusSummary>;
  /** Managed labels and taints that differ from the declared ones, as the last refresh found them. */
  declare readonly drift: pulumi.Output<string[]>;
  /** Taken over by `adopt` rather than joined. */
  declare readonly adopted: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: WorkerNodeArgs, opts: pulumi.CustomResourceOptions = {}) {
    const cluster = args.cluster ?? {};
    // The source position the SDK records for the resource is unaffected: it raises the limit itself.
    const stackTraceLimit = skipPromiseStacks();
    try {
      super(
        workerNodeProvider,
        name,
        {
          ...args,
          connection: withSecretCredentials(args.connection),
          cluster: { ...cluster, ...(cluster.kubeconfig === undefined ? {} : { kubeconfig: pulumi.secret(cluster.kubeconfig) }) },
          // Optional inputs that are also outputs, and outputs only: a property exists on the resource
          // only when its key is in the props.
          nodeName: args.nodeName,
          kubernetesVersion: args.kubernetesVersion,
          // Written on the Node at join, so a preview finds this resource's Node from the cluster itself
          // (the scale-in report) the first time its entry is gone.
          owner: ownerOf(pulumi.getProject(), pulumi.getStack(), name),
          host: undefined,
          hostKey: undefined,
          hostKeyFingerprint: undefined,
          apiServerEndpoint: undefined,
          caCertHash: undefined,
          kubeletVersion: undefined,
          containerdVersion: undefined,
          machineId: undefined,
          nodeStatus: undefined,
          drift: undefined,
          adopted: undefined,
        },
        {
          ...opts,
          // The provider's diff only ever says "no change" (inputs equivalent to what the node is) or
          // leaves the diff to the engine, which then shows each changed property in `preview --diff`
          // and applies replaceOnChanges. A replacement drains and removes the old node before joining
          // the new one (the same host may be both).
          replaceOnChanges: [...(opts.replaceOnChanges ?? []), ...replacingProperties],
          deleteBeforeReplace: opts.deleteBeforeReplace ?? true,
          additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "connection", "cluster"],
        },
        "kubeadm-workers",
        "WorkerNode",
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
