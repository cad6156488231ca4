import { displayedLineBytes, reportOutput } from "../../../stacks/report-output";

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

describe("the scale-in report as a stack output", () => {
  test("no report, no output", () => {
    expect(reportOutput("")).toBeUndefined();
    expect(reportOutput(" \n")).toBeUndefined();
  });

  test("one string per line; lines that fit are kept exactly, indentation included", () => {
    const report = "Scale-in report (read-only API calls, no SSH):\nweb-2 (node web-2, removed): 2 pods to evict\n  Deployment shop/web: shop/web-a, shop/web-b";
    expect(reportOutput(report)).toEqual(report.split("\n"));
  });

  test("a line longer than the CLI prints whole is cut at spaces, its continuations indented, and reads back the same", () => {
    const pods = Array.from({ length: 12 }, (_, i) => `shop/web-6db9b69b89-pod${i}`);
    const line = `  Deployment shop/web: ${pods.join(", ")}`;
    const lines = reportOutput(line) ?? [];
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(bytes(l)).toBeLessThanOrEqual(displayedLineBytes);
    expect(lines[0].startsWith("  Deployment shop/web: shop/web-6db9b69b89-pod0,")).toBe(true);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {6}\S/);
    expect(lines.map((l) => l.trim()).join(" ")).toBe(line.trim());
  });

  test("the width is counted in UTF-8 bytes, as the CLI cuts", () => {
    const line = `Capacity: NOT ENOUGH ROOM — ${Array.from({ length: 6 }, () => "é".repeat(25)).join(" ")}`;
    const lines = reportOutput(line) ?? [];
    expect(line.length).toBeLessThan(displayedLineBytes * 2);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(bytes(l)).toBeLessThanOrEqual(displayedLineBytes);
    expect(lines.map((l) => l.trim()).join(" ")).toBe(line);
  });

  test("a word longer than a line is cut between characters rather than left for the CLI to shorten", () => {
    const long = "x".repeat(300);
    const lines = reportOutput(`  blocked: ${long}`) ?? [];
    for (const l of lines) expect(bytes(l)).toBeLessThanOrEqual(displayedLineBytes);
    expect(lines.map((l) => l.trim()).join("")).toBe(`blocked:${long}`);
  });
});
