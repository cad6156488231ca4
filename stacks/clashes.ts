// Entries of one stack that claim the same thing: the same resource name, the same machine, or the
// same Node name. Pure, so the stack program lists every clash at preview, before anything exists.
import { entryLabel } from "./entries";

export interface EntryIdentity {
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly nodeName?: string;
}

/**
 * One spelling per address: host names are case-insensitive (and a trailing dot is the same name),
 * IPv6 has many spellings (`0:0::1`, `::1`, `::ffff:10.0.0.1` for an IPv4 address), so each becomes
 * the canonical form the URL parser gives it.
 */
export function normalizeHost(host: string): string {
  const trimmed = host.trim().toLowerCase().replace(/\.$/, "");
  const bare = trimmed.replace(/^\[(.*)\]$/, "$1");
  if (!bare.includes(":")) return bare;
  let canonical: string;
  try {
    canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare;
  }
  // An IPv4-mapped IPv6 address reaches the IPv4 host.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const high = parseInt(mapped[1], 16);
    const low = parseInt(mapped[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return canonical;
}

function listed(labels: readonly string[]): string {
  return labels.length === 2 ? `${labels[0]} and ${labels[1]}` : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/** Entries by what keyOf says they claim; an entry that is not one (undefined) claims nothing. */
function groups(entries: readonly (EntryIdentity | undefined)[], keyOf: (entry: EntryIdentity) => string | undefined): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  entries.forEach((entry, i) => {
    const key = entry === undefined ? undefined : keyOf(entry);
    if (entry === undefined || key === undefined) return;
    byKey.set(key, [...(byKey.get(key) ?? []), entryLabel(entry, i)]);
  });
  return new Map([...byKey].filter(([, labels]) => labels.length > 1));
}

/**
 * Every clash between entries, each naming all the entries involved and how to fix it. An entry that
 * is not an object is undefined here (its own problem is reported elsewhere) and keeps its index.
 */
export function findClashes(entries: readonly (EntryIdentity | undefined)[]): string[] {
  const problems: string[] = [];
  for (const [name, labels] of groups(entries, (e) => (typeof e.name === "string" ? e.name : undefined))) {
    problems.push(`${listed(labels)} use the same name ${JSON.stringify(name)}: each entry needs its own (it names the Pulumi resource)`);
  }
  // Config is whatever the user wrote: a value of the wrong type is the entry's own problem (the
  // entry's validation names it), never a clash, and never a crash of the program.
  for (const [key, labels] of groups(entries, (e) => (typeof e.host === "string" ? `${normalizeHost(e.host)}:${e.port ?? 22}` : undefined))) {
    const [host, port] = [key.slice(0, key.lastIndexOf(":")), key.slice(key.lastIndexOf(":") + 1)];
    problems.push(`${listed(labels)} are the same machine (host ${host}, port ${port}): a host can be one worker only; remove all but one of these entries`);
  }
  for (const [nodeName, labels] of groups(entries, (e) => (typeof e.nodeName === "string" ? e.nodeName.toLowerCase() : undefined))) {
    problems.push(`${listed(labels)} use the same nodeName "${nodeName}": two hosts cannot register one Node; give each its own nodeName`);
  }
  return problems;
}
