import type { Column } from "@sluice/model";

/**
 * "Suggested cleaning" for a clean node, from the rows coming in: per text column not cleaned yet, the operations
 * that its sampled values call for, each with the reason shown beside it:
 * - trim, when a value has spaces around it (" 179.29 ");
 * - null_if, with the placeholders for a missing value found (after trimming): "", "n/a", "null", "-"...;
 * - lower case, when the column is a category (at most 20 distinct values, each seen twice or more on average) and
 *   some values differ only by case ("Shipped", "SHIPPED"): names and free text are never re-cased.
 */
export type CleanOperation = { op: "trim" } | { op: "null_if"; values: string[] } | { op: "case"; to: "lower" };

export interface CleanSuggestion {
  column: string;
  operations: CleanOperation[];
  /** Why, for people: "spaces around 10 values", "8 spellings of 4 values, differing only in case". */
  reasons: string[];
}

const PLACEHOLDERS = new Set(["", "n/a", "na", "null", "none", "nil", "-", "--", "?", "missing", "#n/a"]);
const MAX_CATEGORIES = 20;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function suggestFor(values: string[]): Omit<CleanSuggestion, "column"> | null {
  const operations: CleanOperation[] = [];
  const reasons: string[] = [];
  const padded = values.filter((v) => v !== v.trim()).length;
  if (padded > 0) {
    operations.push({ op: "trim" });
    reasons.push(`spaces around ${plural(padded, "value", "values")}`);
  }
  const trimmed = values.map((v) => v.trim());
  const placeholders = [...new Set(trimmed.filter((v) => PLACEHOLDERS.has(v.toLowerCase())))].sort();
  // A column of nothing but placeholders is not telling them apart from data.
  if (placeholders.length > 0 && trimmed.some((v) => !PLACEHOLDERS.has(v.toLowerCase()))) {
    operations.push({ op: "null_if", values: placeholders });
    reasons.push(`${placeholders.map((v) => JSON.stringify(v)).join(", ")} for missing`);
  }
  const kept = trimmed.filter((v) => !placeholders.includes(v));
  const distinct = new Set(kept);
  const lowered = new Set([...distinct].map((v) => v.toLowerCase()));
  // A category: few values, each seen twice or more on average; a sample of a few names is not one.
  const category = distinct.size <= MAX_CATEGORIES && lowered.size * 2 <= kept.length;
  if (category && lowered.size < distinct.size) {
    operations.push({ op: "case", to: "lower" });
    reasons.push(`${distinct.size} spellings of ${plural(lowered.size, "value", "values")}, differing only in case`);
  }
  return operations.length ? { operations, reasons } : null;
}

/** Suggestions for the input's text columns that the node does not clean yet, in the input's column order. */
export function suggestCleaning(config: { columns?: { column: string }[] }, columns: readonly Column[], rows: readonly Record<string, unknown>[]): CleanSuggestion[] {
  const taken = new Set((config.columns ?? []).map((c) => c.column));
  return columns.flatMap((col) => {
    if (col.type !== "string" || taken.has(col.name)) return [];
    const values = rows.map((r) => r[col.name]).filter((v): v is string => typeof v === "string");
    const s = values.length ? suggestFor(values) : null;
    return s ? [{ column: col.name, ...s }] : [];
  });
}
