// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), parsed exactly with bigint:
// `<sign><digits>[.<digits>]<suffix>` where the suffix is a binary SI unit (Ki Mi Gi Ti Pi Ei), a
// decimal SI unit (n u m "" k M G T P E) or a decimal exponent (e3, E-2). Floating point would turn
// "0.1" + "0.2" into 0.30000000000000004 cores and lose bytes above 2^53.

/** The exact value `sign * digits * 10^decimalExponent * 2^binaryExponent`. */
export interface Quantity {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly decimalExponent: number;
  readonly binaryExponent: number;
}

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// Exponents beyond this are not resource amounts; refusing them keeps bigint arithmetic small.
const maxDecimalExponent = 100;

const grammar = /^([+-]?)(\d*)(?:\.(\d*))?([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE]?)$/;

/** Parses a quantity or throws an error that quotes it and states the expected form. */
export function parseQuantity(text: string): Quantity {
  const match = grammar.exec(text);
  const [, sign = "", whole = "", fraction = "", suffix = ""] = match ?? [];
  if (!match || whole.length + fraction.length === 0) {
    throw new Error(
      `${JSON.stringify(text)} is not a Kubernetes quantity (expected a number with an optional ` +
        `suffix such as 100m, 0.5, 128Mi, 1Gi, 1e3 or 1k)`,
    );
  }
  let decimalExponent = -fraction.length;
  let binaryExponent = 0;
  if (suffix in binarySuffixes) binaryExponent = binarySuffixes[suffix];
  else if (suffix in decimalSuffixes) decimalExponent += decimalSuffixes[suffix];
  else decimalExponent += Number(suffix.slice(1));
  if (Math.abs(decimalExponent) > maxDecimalExponent) {
    throw new Error(`${JSON.stringify(text)} is out of range for a Kubernetes quantity`);
  }
  return { negative: sign === "-", digits: BigInt(whole + fraction || "0"), decimalExponent, binaryExponent };
}

/**
 * The value in units of 10^-scaleExponent, rounded up in magnitude, as Quantity.ScaledValue does:
 * scaleExponent 3 gives millis (MilliValue), 0 gives whole units (Value).
 */
export function scaledValue(quantity: Quantity, scaleExponent: number): bigint {
  const exponent = quantity.decimalExponent + scaleExponent;
  let numerator = quantity.digits << BigInt(quantity.binaryExponent);
  let denominator = 1n;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator = 10n ** BigInt(-exponent);
  const magnitude = (numerator + denominator - 1n) / denominator;
  return quantity.negative ? -magnitude : magnitude;
}

/** `cpu` in millicores; every other resource (memory, pods, ephemeral-storage, extended) in whole units. */
export function amountOf(resource: string, text: string): bigint {
  return scaledValue(parseQuantity(text), resource === "cpu" ? 3 : 0);
}

const binaryUnits: readonly (readonly [string, bigint])[] = Object.entries(binarySuffixes)
  .map(([suffix, bits]) => [suffix, 1n << BigInt(bits)] as const)
  .reverse();

/** Millicores the way kubectl writes them: `2` for whole cores, else `1500m`. */
export function formatCpu(millis: bigint): string {
  return millis % 1000n === 0n ? String(millis / 1000n) : `${millis}m`;
}

/** Bytes in the largest binary unit that divides them exactly (`256Mi`, `1536Mi`), else plain bytes. */
export function formatBytes(bytes: bigint): string {
  for (const [suffix, size] of binaryUnits) {
    if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** An amount from amountOf() written back for a human, in the resource's own units. */
export function formatAmount(resource: string, amount: bigint): string {
  if (resource === "cpu") return formatCpu(amount);
  if (resource === "memory" || resource === "ephemeral-storage" || resource.startsWith("hugepages-")) {
    return formatBytes(amount);
  }
  return String(amount);
}
