// Host steps that undo what an update dropped: prepare-steps.ts writes what the inputs name, these
// remove what they no longer name.
import { shellQuote, type HostStep } from "./prepare-steps";

function hostsToml(registry: string): string {
  return `/etc/containerd/certs.d/${registry}/hosts.toml`;
}

/**
 * Removes containerd's hosts.toml of registries whose mirrors were removed from the inputs, so
 * pulls from them go straight to the registry again. containerd reads certs.d on every pull: no
 * restart. Only registries we configured are ever named here (the previous inputs list them).
 */
export function droppedMirrorsStep(registries: readonly string[]): HostStep {
  const files = registries.map((r) => shellQuote(hostsToml(r)));
  return {
    name: `registry mirrors removed (${registries.join(", ")})`,
    check: files.map((f) => `! test -e ${f}`).join(" && "),
    apply: registries.map((r) => `rm -f ${shellQuote(hostsToml(r))} && { rmdir ${shellQuote(`/etc/containerd/certs.d/${r}`)} 2>/dev/null || true; }`).join("\n"),
  };
}
