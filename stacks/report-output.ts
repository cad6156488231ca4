// The scale-in report as the stack output `scaleInReport`: one string per line. An output because the
// preview's stdout is what a pull request's comment shows (pulumi/actions posts the stdout of
// `pulumi preview`), and the CLI's diff display writes every diagnostic, `pulumi.log.info` included,
// to stderr (pulumi/pulumi#20632), while it prints the stack's outputs, like the resources' diffs, to
// stdout. Pure.

/**
 * The longest string, in UTF-8 bytes, that the CLI prints whole: it cuts a longer one to 150 bytes
 * and "..." (pulumi 3.276; `--show-full-output` turns that off, but pulumi/actions has no input for it).
 * The rest is room for the quotes and escapes it adds.
 */
export const displayedLineBytes = 120;

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** The longest start of `text` that fits in `width` bytes, cut between characters. */
function head(text: string, width: number): string {
  let kept = "";
  for (const char of text) {
    if (bytes(kept + char) > width) break;
    kept += char;
  }
  return kept;
}

/** `line` cut at spaces into lines of at most `width` bytes; the continuations indented 4 more. */
function wrapLine(line: string, width: number): string[] {
  if (bytes(line) <= width) return [line];
  const indent = /^ */.exec(line)?.[0] ?? "";
  const continuation = `${indent}    `;
  // Room for some text after a deep indent, whatever `width` is.
  const limit = Math.max(width, bytes(continuation) + 20);
  const lines: string[] = [];
  let current = indent;
  // Words keep the space after them, so "a, b" breaks after the comma and reads back the same.
  for (const word of line.slice(indent.length).match(/\S+\s*/g) ?? []) {
    if (current.trim() !== "" && bytes(current + word.trimEnd()) > limit) {
      lines.push(current.trimEnd());
      current = continuation;
    }
    current += word;
    // One word longer than a line (a very long pod name) is cut, not left to the CLI's "...".
    while (bytes(current.trimEnd()) > limit) {
      const kept = head(current, limit);
      lines.push(kept);
      current = continuation + current.slice(kept.length);
    }
  }
  if (current.trim() !== "") lines.push(current.trimEnd());
  return lines;
}

/** The report's lines as the CLI will print them whole; nothing when there is no report. */
export function reportOutput(report: string, width = displayedLineBytes): string[] | undefined {
  if (report.trim() === "") return undefined;
  return report.split("\n").flatMap((line) => wrapLine(line, width));
}
