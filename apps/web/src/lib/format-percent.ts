/**
 * A share as a whole percent, but never "0%" when there is some and never "100%" when some is missing: 0.4% of
 * rows null reads "<1%", an upload at 99.6% reads ">99%" until it is whole.
 */
export function formatPercent(part: number, total: number): string {
  if (!(total > 0) || !(part > 0)) return "0%";
  if (part >= total) return "100%";
  const pct = Math.round((part / total) * 100);
  return pct === 0 ? "<1%" : pct === 100 ? ">99%" : `${pct}%`;
}
