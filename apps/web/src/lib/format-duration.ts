/**
 * "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min": short, and precise where it matters. The value is rounded to what
 * the chosen unit shows before the unit is chosen, so 59.96 s reads "1 min 00 s" (not "60.0 s") and 999.6 ms "1.0 s"
 * (not "1000 ms").
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  // Clocks of two machines can disagree by a little: a duration is never less than nothing.
  const whole = Math.round(Math.max(0, ms));
  if (whole < 1000) return `${whole} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${formatCount(Math.floor(m / 60))} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * A count for people: "1,234,567", "–" when there is none. Always with the same separators (en-US), as the server's
 * own sentences say them ("1,234 of 5,000 rows fail"): in a German browser "1.234" beside "1,234" read as two numbers.
 */
export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "–" : n.toLocaleString("en-US"));

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** A chart axis's tick, short enough for its narrow margin: "950", "41K", "3.2M", "2.1B" (the exact values are in the table). */
export const formatCompact = (n: number) => (Number.isFinite(n) ? compact.format(n) : "–");
