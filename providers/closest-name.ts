// "Did you mean": the known name a misspelt one is closest to, so a typo in a field or a config key
// is refused with its fix (`lables` → `labels`) rather than dropped without a word. Pure.

/** Edits (insert, delete, substitute, swap two neighbours) between two names, ignoring case. */
function distance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The known name the given one is closest to: at most one edit for a name of up to four letters,
 * two up to eight, three beyond; or the one known name it abbreviates (`aptRepo` → `aptRepository`).
 */
export function closestName(given: string, known: readonly string[]): string | undefined {
  const allowed = given.length <= 4 ? 1 : given.length <= 8 ? 2 : 3;
  let best: { name: string; edits: number } | undefined;
  for (const name of known) {
    const edits = distance(given, name);
    if (edits <= allowed && (!best || edits < best.edits)) best = { name, edits };
  }
  if (best) return best.name;
  const abbreviated = given.length >= 4 ? known.filter((name) => name.toLowerCase().startsWith(given.toLowerCase())) : [];
  return abbreviated.length === 1 ? abbreviated[0] : undefined;
}

/**
 * `is not <what>; did you mean "<closest>"? (known: …)`: the reason an unknown name is refused.
 * `prefix` goes before the suggested name (a config key's namespace); `knownLabel` heads the list.
 */
export function unknownNameReason(given: string, known: readonly string[], what: string, { knownLabel = "known", prefix = "" } = {}): string {
  const closest = closestName(given, known);
  return `is not ${what}${closest ? `; did you mean "${prefix}${closest}"?` : ""} (${knownLabel}: ${known.join(", ")})`;
}
