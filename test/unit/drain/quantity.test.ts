import { amountOf, formatBytes, formatCpu, parseQuantity, scaledValue } from "../../../providers/drain/quantity";

describe("parseQuantity and scaledValue", () => {
  // THEN columns: millis is MilliValue() (the scheduler's cpu unit), units is Value() (bytes, counts);
  // both round up in magnitude like apimachinery's Quantity.
  test.each([
    { description: "millicores", text: "100m", millis: 100n, units: 1n },
    { description: "a fraction of a core", text: "0.5", millis: 500n, units: 1n },
    { description: "a whole core", text: "1", millis: 1000n, units: 1n },
    { description: "zero", text: "0", millis: 0n, units: 0n },
    { description: "a leading dot", text: ".5", millis: 500n, units: 1n },
    { description: "a trailing dot", text: "5.", millis: 5000n, units: 5n },
    { description: "an explicit plus", text: "+2", millis: 2000n, units: 2n },
    { description: "a negative amount", text: "-1.5", millis: -1500n, units: -2n },
    { description: "mebibytes", text: "128Mi", millis: 134217728000n, units: 134217728n },
    { description: "gibibytes", text: "1Gi", millis: 1073741824000n, units: 1073741824n },
    { description: "fractional gibibytes", text: "1.5Gi", millis: 1610612736000n, units: 1610612736n },
    { description: "kibibytes", text: "512Ki", millis: 524288000n, units: 524288n },
    { description: "an exbibyte, beyond 2^53", text: "1Ei", millis: 1152921504606846976000n, units: 1152921504606846976n },
    { description: "a decimal exponent", text: "1e3", millis: 1000000n, units: 1000n },
    { description: "an upper-case exponent", text: "1E3", millis: 1000000n, units: 1000n },
    { description: "a negative exponent", text: "25e-1", millis: 2500n, units: 3n },
    { description: "kilo", text: "1k", millis: 1000000n, units: 1000n },
    { description: "mega (not milli)", text: "1M", millis: 1000000000n, units: 1000000n },
    { description: "exa (E without digits)", text: "1E", millis: 10n ** 21n, units: 10n ** 18n },
    { description: "nano rounds up to a milli", text: "1n", millis: 1n, units: 1n },
    { description: "micro", text: "1500u", millis: 2n, units: 1n },
    { description: "a sub-milli fraction of millis", text: "2.5e-3", millis: 3n, units: 1n },
    { description: "more digits than a double holds", text: "123456789012345678901", millis: 123456789012345678901000n, units: 123456789012345678901n },
  ])("reads $description ($text)", ({ text, millis, units }) => {
    const quantity = parseQuantity(text);
    expect(scaledValue(quantity, 3)).toBe(millis);
    expect(scaledValue(quantity, 0)).toBe(units);
  });

  test.each([
    { description: "an empty string", text: "" },
    { description: "a suffix alone", text: "Mi" },
    { description: "a dot alone", text: "." },
    { description: "lower-case ki", text: "1ki" },
    { description: "upper-case K", text: "1K" },
    { description: "a space before the suffix", text: "1 Mi" },
    { description: "two dots", text: "1.2.3" },
    { description: "two signs", text: "--1" },
    { description: "an e without digits", text: "1e" },
    { description: "digits after a binary suffix", text: "1Ki2" },
    { description: "words", text: "one" },
  ])("refuses $description", ({ text }) => {
    expect(() => parseQuantity(text)).toThrow(`${JSON.stringify(text)} is not a Kubernetes quantity`);
  });

  test("refuses an exponent no resource could have", () => {
    expect(() => parseQuantity("1e101")).toThrow('"1e101" is out of range');
  });

  test("adds decimal fractions exactly where floating point would not", () => {
    // GIVEN 0.1 + 0.2 in floating point is 0.30000000000000004
    // THEN the millicores add up to exactly 300
    expect(amountOf("cpu", "0.1") + amountOf("cpu", "0.2")).toBe(300n);
  });
});

describe("amountOf", () => {
  test.each([
    { description: "cpu in millicores", resource: "cpu", text: "1.5", amount: 1500n },
    { description: "memory in bytes", resource: "memory", text: "1Ki", amount: 1024n },
    { description: "a pod count", resource: "pods", text: "110", amount: 110n },
    { description: "an extended resource", resource: "nvidia.com/gpu", text: "2", amount: 2n },
  ])("gives $description", ({ resource, text, amount }) => {
    expect(amountOf(resource, text)).toBe(amount);
  });
});

describe("formatCpu and formatBytes", () => {
  test.each([
    { description: "whole cores", millis: 2000n, text: "2" },
    { description: "millicores", millis: 1500n, text: "1500m" },
    { description: "zero", millis: 0n, text: "0" },
  ])("writes $description as $text", ({ millis, text }) => {
    expect(formatCpu(millis)).toBe(text);
  });

  test.each([
    { description: "mebibytes", bytes: 268435456n, text: "256Mi" },
    { description: "1.5 GiB in the largest exact unit", bytes: 1610612736n, text: "1536Mi" },
    { description: "kibibytes", bytes: 1024n, text: "1Ki" },
    { description: "an exbibyte", bytes: 1n << 60n, text: "1Ei" },
    { description: "bytes that no binary unit divides", bytes: 1000n, text: "1000" },
    { description: "zero", bytes: 0n, text: "0" },
  ])("writes $description as $text", ({ bytes, text }) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
