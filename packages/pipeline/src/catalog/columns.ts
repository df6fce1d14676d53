import type { Column, Issue } from "@sluice/model";
import { error } from "@sluice/model";

/** Levenshtein distance, for "did you mean" suggestions on unknown columns. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closestName(name: string, candidates: string[]): string | undefined {
  // A rename usually keeps the old name inside the new one ("name" -> "customer_name").
  const lower = name.toLowerCase();
  // Only names of some length count, or a one-letter column would "contain" every typo.
  const containing = candidates.filter((c) => {
    const l = c.toLowerCase();
    return (lower.length >= 3 && l.includes(lower)) || (l.length >= 3 && lower.includes(l));
  });
  if (lower.length >= 2 && containing.length) return containing.sort((a, b) => a.length - b.length)[0];
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

/** Finds a column by exact name, or an UNKNOWN_COLUMN issue that suggests the closest one. */
export function findColumn(
  columns: Column[],
  name: string,
  where: { nodeId: string; field: string },
): { column: Column; issue?: undefined } | { column?: undefined; issue: Issue } {
  const column = columns.find((c) => c.name === name);
  if (column) return { column };
  const hint = closestName(name, columns.map((c) => c.name));
  return {
    issue: error(
      "UNKNOWN_COLUMN",
      `Column "${name}" does not exist${hint ? `; did you mean "${hint}"?` : "."}`,
      where,
    ),
  };
}

/** UNKNOWN_COLUMN issues for the names in a list setting that the input lacks; `field(i)` names each entry. */
export function unknownColumns(columns: Column[], names: string[], nodeId: string, field: (i: number) => string): Issue[] {
  return names.flatMap((name, i) => findColumn(columns, name, { nodeId, field: field(i) }).issue ?? []);
}

export function duplicateNames(columns: Column[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const c of columns) (seen.has(c.name) ? dups : seen).add(c.name);
  return [...dups];
}

export const isNumeric = (c: Column) => ["integer", "bigint", "double", "decimal"].includes(c.type);
