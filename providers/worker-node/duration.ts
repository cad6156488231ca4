/**
 * Durations as users write them in stack config: a number of seconds, or a string of
 * `<n>h`, `<n>m`, `<n>s` parts ("90s", "10m", "1h30m").
 */
export function parseDurationSeconds(value: unknown): number | string {
  if (typeof value === "number") {
    return Number.isInteger(value) && value > 0 ? value : `must be a positive whole number of seconds, got ${value}`;
  }
  if (typeof value !== "string") return `must be a duration like "10m" or a number of seconds, got ${typeof value}`;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  if (!match || value.trim() === "") return `must be a duration like "90s", "10m" or "1h30m", got ${JSON.stringify(value)}`;
  const [, h = "0", m = "0", s = "0"] = match;
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  return seconds > 0 ? seconds : `must be longer than zero, got ${JSON.stringify(value)}`;
}
