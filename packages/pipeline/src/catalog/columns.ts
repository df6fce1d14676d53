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

/**
 * Characters "did you mean" suggestions may still compare (a Levenshtein distance costs the product of the two
 * lengths, a containment check their sum). Unlimited, except inside withHintBudget.
 */
let hintBudget = Infinity;

/**
 * Runs `run` with at most `units` of suggestion work in all; once spent, unknown names get no suggestion. Every
 * unknown name is compared with every candidate, so without a bound a graph naming many unknown columns (or one
 * very long one) made validation quadratic in its size: 2,000 unknown names against 2,000 columns took 4.8 s, two
 * names of 8,000 characters 0.25 s (and 900,000 characters, inside the body limit, would take most of an hour).
 */
export function withHintBudget<T>(units: number, run: () => T): T {
  const outer = hintBudget;
  hintBudget = units;
  try {
    return run();
  } finally {
    hintBudget = outer;
  }
}

/** Whether any suggestion work is left, so a caller can skip gathering candidates. */
export const hintsLeft = (): boolean => hintBudget > 0;

/** Takes `cost` from the budget; false (and nothing taken) when it does not hold that much. */
function spend(cost: number): boolean {
  if (cost > hintBudget) return false;
  hintBudget -= cost;
  return true;
}

export function closestName(name: string, candidates: string[]): string | undefined {
  // A rename usually keeps the old name inside the new one ("name" -> "customer_name").
  const lower = name.toLowerCase();
  const lowered: string[] = [];
  for (const c of candidates) {
    if (!spend(lower.length + c.length)) return undefined;
    lowered.push(c.toLowerCase());
  }
  // Only names of some length count, or a one-letter column would "contain" every typo.
  const containing = candidates.filter((_, i) => {
    const l = lowered[i]!;
    return (lower.length >= 3 && l.includes(lower)) || (l.length >= 3 && lower.includes(l));
  });
  if (lower.length >= 2 && containing.length) return containing.sort((a, b) => a.length - b.length)[0];
  const limit = Math.max(2, Math.floor(name.length / 2));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const [i, c] of candidates.entries()) {
    const l = lowered[i]!;
    // The distance is at least the difference in length: a candidate that cannot be close enough is not measured.
    if (Math.abs(l.length - lower.length) > limit) continue;
    if (!spend(lower.length * l.length)) return undefined;
    const d = distance(lower, l);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= limit ? best : undefined;
}

/** Finds a column by exact name, or an UNKNOWN_COLUMN issue that suggests the closest one. */
export function findColumn(
  columns: Column[],
  name: string,
  where: { nodeId: string; field: string },
): { column: Column; issue?: undefined } | { column?: undefined; issue: Issue } {
  const column = columns.find((c) => c.name === name);
  if (column) return { column };
  const hint = hintsLeft() ? closestName(name, columns.map((c) => c.name)) : undefined;
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

/** About what listing these columns costs in SQL or in an answer: each name's length plus a few bytes of quoting, type and comma. */
export const listSize = (columns: readonly Column[]): number => columns.reduce((n, c) => n + c.name.length + 16, 0);
