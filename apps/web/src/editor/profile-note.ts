import type { ColumnProfile, PreviewResult } from "@sluice/model";
import { formatNumber } from "../lib/format-value.ts";
import { formatPercent } from "../lib/format-percent.ts";

const count = (n: number) => n.toLocaleString("en-US");
// A double's min and max come as DuckDB's text of the double, noise included: shown like the grid's cells.
const fmt = (v: string | null, type: string) => (v === null ? "–" : type === "double" ? formatNumber(Number(v)) : v.slice(0, 24));

/**
 * The line under a column's header: nulls, distinct values, min and max over the rows the profile covers
 * (see profileScope). An estimated distinct count (results too big to count exactly) is marked "≈".
 */
export function profileNote(prof: ColumnProfile | undefined, rowCount: number, type = ""): string | undefined {
  if (!prof) return undefined;
  const distinct = `${prof.distinctApproximate ? "≈" : ""}${count(prof.distinct)} distinct`;
  return `${formatPercent(prof.nulls, rowCount)} null · ${distinct} · ${fmt(prof.min, type)}…${fmt(prof.max, type)}`;
}

/** What the column profiles were computed over, said once in the preview's header. */
export function profileScope(p: Pick<PreviewResult, "rowCount" | "rows" | "sampled" | "profile">): string {
  const rows = p.rowCount ?? p.rows.length;
  const estimated = Object.values(p.profile).some((c) => c.distinctApproximate) ? "; distinct counts estimated" : "";
  const of = p.sampled ? `the ${count(rows)} row${rows === 1 ? "" : "s"} computed from a sample` : `all ${count(rows)} row${rows === 1 ? "" : "s"}`;
  return `Column profiles: ${of}${estimated}`;
}
