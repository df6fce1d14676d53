
/**
 * Node types matching what was typed, best first: names that start with it, then names that contain it, then
 * types whose id, description or category mention it; palette order within each. So "join" then Enter adds a Join.
 */
export function searchNodes<D extends { type: string; label: string; description: string; category: string }>(defs: readonly D[], query: string): D[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [...defs];
  const rank = (d: D) => {
    const label = d.label.toLowerCase();
    if (label.startsWith(q)) return 0;
    if (label.includes(q)) return 1;
    return `${d.type} ${d.description} ${d.category}`.toLowerCase().includes(q) ? 2 : -1;
  };
  return defs
    .map((d, i) => ({ d, i, r: rank(d) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.d);
}
