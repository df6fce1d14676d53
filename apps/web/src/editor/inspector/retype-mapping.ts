import type { Column, ColumnType } from "@sluice/model";

/** One row of retype's mapping: a column, the type it becomes, and the settings that type uses. */
export interface RetypeEntry {
  column: string;
  to: ColumnType;
  precision?: number;
  scale?: number;
  formats?: string[];
}

/** Targets parsed from text with strptime formats; other targets ignore formats. */
export const usesFormats = (to: ColumnType) => to === "date" || to === "timestamp";

/**
 * The entry with a new target type, keeping only the settings that type uses (formats for dates and timestamps,
 * precision and scale for decimals), so a format typed for a date does not linger hidden after switching to double.
 */
export function withTarget(entry: RetypeEntry, to: ColumnType): RetypeEntry {
  const next: RetypeEntry = { column: entry.column, to, formats: usesFormats(to) ? (entry.formats ?? []) : [] };
  if (to === "decimal") {
    if (entry.precision !== undefined) next.precision = entry.precision;
    if (entry.scale !== undefined) next.scale = entry.scale;
  }
  return next;
}

/**
 * A new mapping row: the first input column not mapped yet, kept at its own type, so adding a row changes
 * nothing until a target is chosen (and the node stays valid meanwhile).
 */
export function newEntry(mapped: readonly RetypeEntry[], columns: readonly Column[]): RetypeEntry {
  const free = columns.find((c) => !mapped.some((m) => m.column === c.name));
  if (!free) return { column: "", to: "string", formats: [] };
  const entry: RetypeEntry = { column: free.name, to: free.type, formats: [] };
  if (free.type === "decimal") {
    if (free.precision !== undefined) entry.precision = free.precision;
    if (free.scale !== undefined) entry.scale = free.scale;
  }
  return entry;
}
