/** Seconds as Go's time.Duration prints them, without zero parts: `10m`, `1m30s`, `1h5s`, `45s`. */
export function formatSeconds(total: number): string {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds ? `${seconds}s` : ""].join("");
  return parts || "0s";
}
