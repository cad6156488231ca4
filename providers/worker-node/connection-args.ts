import type * as pulumi from "@pulumi/pulumi";

// The shape of @pulumi/command's remote ConnectionArgs, declared here so that users pass the objects
// they already have without this package depending on @pulumi/command (whose install script tries to
// download its plugin). test/unit/worker-node/connection-args.test.ts proves both shapes stay assignable.

/** A bastion the connection goes through: the same fields as the target, without a further proxy. */
export interface ProxyConnectionArgs {
  readonly host: pulumi.Input<string>;
  readonly port?: pulumi.Input<number>;
  readonly user?: pulumi.Input<string>;
  readonly password?: pulumi.Input<string>;
  readonly privateKey?: pulumi.Input<string>;
  readonly privateKeyPassword?: pulumi.Input<string>;
  readonly agentSocketPath?: pulumi.Input<string>;
  /** OpenSSH public key line or `SHA256:` fingerprint; unset: recorded on first use, then enforced. */
  readonly hostKey?: pulumi.Input<string>;
  /** Seconds to wait for the SSH handshake of one dial. */
  readonly perDialTimeout?: pulumi.Input<number>;
  /** Dials before giving up. */
  readonly dialErrorLimit?: pulumi.Input<number>;
}

export interface ConnectionArgs extends ProxyConnectionArgs {
  readonly proxy?: pulumi.Input<ProxyConnectionArgs>;
}
