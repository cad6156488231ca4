// containerd.configDropIn: TOML the host receives single-quoted (shellQuote) inside a script on
// bash's stdin, written byte for byte to /etc/containerd/conf.d/kubeadm-workers.toml. No shell ever
// parses its text, so quotes, brackets, '=', '$', '#', tabs and newlines are TOML's own and pass.
// What is refused is what containerd cannot load (it would not start, taking the host's pods down),
// what would hide what it loads, and text that is not text. Pure.

/** The largest drop-in accepted: a configuration, not a payload. */
export const maxDropInBytes = 64 * 1024;

/**
 * Characters TOML allows nowhere (C0 controls but tab and line feed, DEL; a carriage return only
 * before a line feed), and those no configuration has a use for but a terminal does: C1 controls
 * (0x9B opens an escape sequence on 8-bit terminals) and the Unicode line and paragraph separators.
 */
function controlProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d && text[i + 1] === "\n") continue;
    const c0 = code < 0x20 && code !== 0x09 && code !== 0x0a;
    if (c0 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      const shown = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
      return code === 0x0d
        ? `must end lines with LF or CRLF: a carriage return alone (at position ${i}) is not TOML, and containerd would not start`
        : `must not contain control characters but tabs and line breaks (found ${shown} at position ${i}): TOML allows none, and containerd would not start`;
    }
  }
  return undefined;
}

/** A TOML basic string's escapes (\uXXXX, \UXXXXXXXX, \n, \", …) decoded: how TOML reads a quoted key. */
function unescapeBasic(text: string): string {
  const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\", e: "\x1b" };
  return text.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, escape: string) =>
    escape.length > 1 ? String.fromCodePoint(parseInt(escape.slice(1), 16)) : (simple[escape] ?? escape),
  );
}

/** A line's key and what follows its '=', the key read as TOML reads it: bare, "basic" (escapes decoded) or 'literal'. */
const keyLine = /^[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')[ \t]*=[ \t]*(.*)$/;

function assignments(text: string): { key: string; value: string }[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const match = keyLine.exec(line);
    if (!match) return [];
    const [, bare, basic, literal, value = ""] = match;
    return [{ key: bare ?? (basic !== undefined ? unescapeBasic(basic) : (literal ?? "")), value }];
  });
}

/** What is wrong with a drop-in, or undefined. */
export function dropInProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return `must be TOML text, got ${typeof v}`;
  if (!v.trim()) return "must not be empty: leave it unset for no drop-in";
  if (Buffer.byteLength(v) > maxDropInBytes) return `is ${Buffer.byteLength(v)} bytes, more than the ${maxDropInBytes} a containerd configuration needs`;
  if (v.includes("\0")) return "must not contain NUL characters";
  const control = controlProblem(v);
  if (control) return control;
  // Keys are matched as TOML reads them: `"imports"`, `'version'` and `"\u0069mports"` are these keys too.
  const keys = assignments(v);
  const version = keys.find((k) => k.key === "version")?.value.match(/^\d+/)?.[0];
  // containerd refuses a drop-in whose version is higher than its root config.toml's (3).
  if (version !== undefined && Number(version) > 3) return `declares version = ${version}, but containerd 2 reads at most version 3 (the version of the config.toml that imports it)`;
  if (keys.some((k) => k.key === "imports")) return "must not set imports: config.toml already imports it, and its own imports would hide what is loaded";
  return undefined;
}
