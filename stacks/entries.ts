// One entry of the stack's `nodes` config: the fields it may have, the rule for its name, and how
// messages name it. Pure, so the program lists every problem of every entry at preview.
import { unknownNameReason } from "../providers/closest-name";
import type { Taint } from "../providers";

export interface NodeEntry {
  /** Pulumi resource name: the stable identity of the entry. */
  name: string;
  host: string;
  port?: number;
  user?: string;
  hostKey?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Take over a host that already is a Ready Node of the cluster (kubespray, KubeKey, by hand) as it runs. */
  adopt?: boolean;
}

export const entryFields: readonly (keyof NodeEntry)[] = ["name", "host", "port", "user", "hostKey", "nodeName", "labels", "taints", "adopt"];

const maxNameLength = 253;

/** A name as a message shows it: as written when plain, else quoted with its escapes (a newline stays `\n`). */
export function shown(name: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The entry name is the WorkerNode's Pulumi resource name: the engine takes any text, but
 * `pulumi state rename` takes only names of the characters below, a `::` breaks URN parsers, and
 * the name heads every line printed about the entry (a newline would forge one).
 */
export function entryNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `must be a string, got ${name === null ? "null" : typeof name}`;
  if (name === "") return "must not be empty: it names the entry's Pulumi resource";
  if (name.length > maxNameLength) return `must be at most ${maxNameLength} characters, got ${name.length}`;
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) {
    return `must be letters, digits, '-', '_', '.' and '/' (the characters pulumi state rename accepts in a resource name), got ${JSON.stringify(name)}`;
  }
  const parts = name.split("/");
  if (!/^[A-Za-z0-9_.]/.test(name) || parts.some((part) => /^-/.test(part))) {
    return `must start with a letter, digit, '_' or '.' (and so must each part after a '/'), got ${JSON.stringify(name)}`;
  }
  if (parts.some((part) => part === "")) return `must have no empty part: '/' separates non-empty parts, got ${JSON.stringify(name)}`;
  return undefined;
}

/** `nodes[2] (web-3)`; an entry whose name is refused is `nodes[2]`, its name shown only in the refusal. */
export function entryLabel(entry: { readonly name?: unknown }, index: number): string {
  return entryNameProblem(entry.name) === undefined ? `nodes[${index}] (${entry.name as string})` : `nodes[${index}]`;
}

/** What is wrong with the entry as an entry: not an object, no usable name, fields it does not have. */
export function entryShapeProblems(entry: unknown, index: number): string[] {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    return [`nodes[${index}] must be an entry ({ name, host, … }), got ${JSON.stringify(entry)}`];
  }
  const fields = entry as Record<string, unknown>;
  const label = entryLabel(fields, index);
  const problems: string[] = [];
  if (fields.name === undefined) problems.push(`${label}: name is required: it names the entry's Pulumi resource`);
  else {
    const nameProblem = entryNameProblem(fields.name);
    if (nameProblem) problems.push(`${label}: name ${nameProblem}`);
  }
  for (const field of Object.keys(fields).sort()) {
    if (!(entryFields as readonly string[]).includes(field)) problems.push(`${label}: ${shown(field)} ${unknownNameReason(field, entryFields, "a field of a nodes entry")}`);
  }
  return problems;
}
