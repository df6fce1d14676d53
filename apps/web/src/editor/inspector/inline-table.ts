import type { Column, ColumnType } from "@sluice/model";
import { moveItem, removeItem, replaceItem } from "./config-path.ts";
import { LIST_PAGE, parseScalar } from "./form-model.ts";

/**
 * Edits of an inline table that keep every row as wide as the columns and each value under its column:
 * adding, removing or moving a column does the same to that position in every row.
 */
export type Cell = string | number | boolean | null;
export interface InlineColumn {
  name: string;
  type: ColumnType;
  precision?: number;
  scale?: number;
}
export interface InlineTable {
  columns: InlineColumn[];
  rows: Cell[][];
}

export function asTable(config: Record<string, unknown>): InlineTable {
  return { columns: Array.isArray(config.columns) ? (config.columns as InlineColumn[]) : [], rows: Array.isArray(config.rows) ? (config.rows as Cell[][]) : [] };
}

/** A new column with an unused name ("column_3"), null in every row. */
export function addColumn(t: InlineTable): InlineTable {
  let n = t.columns.length + 1;
  while (t.columns.some((c) => c.name === `column_${n}`)) n++;
  return { columns: [...t.columns, { name: `column_${n}`, type: "string" }], rows: t.rows.map((r) => [...r, null]) };
}

export const removeColumn = (t: InlineTable, i: number): InlineTable => ({ columns: removeItem(t.columns, i), rows: t.rows.map((r) => removeItem(r, i)) });

export const moveColumn = (t: InlineTable, i: number, by: number): InlineTable => ({ columns: moveItem(t.columns, i, by), rows: t.rows.map((r) => moveItem(r, i, by)) });

export const setColumn = (t: InlineTable, i: number, column: InlineColumn): InlineTable => ({ ...t, columns: replaceItem(t.columns, i, column) });

export const addRow = (t: InlineTable): InlineTable => ({ ...t, rows: [...t.rows, t.columns.map(() => null)] });

export const removeRow = (t: InlineTable, r: number): InlineTable => ({ ...t, rows: removeItem(t.rows, r) });

export function setCell(t: InlineTable, r: number, c: number, value: Cell): InlineTable {
  const row = [...(t.rows[r] ?? [])];
  while (row.length < t.columns.length) row.push(null);
  row[c] = value;
  return { ...t, rows: replaceItem(t.rows, r, row) };
}

/**
 * A typed-in cell, read for its column: an empty cell is null; text, dates, timestamps and JSON keep what was
 * typed; in number and true/false columns, numbers, booleans and `null` are read as such (anything else stays
 * text, and validation says why).
 */
export function cellFor(text: string, column: Pick<Column, "type"> | undefined): Cell {
  if (text === "") return null;
  switch (column?.type) {
    case "string":
    case "json":
    case "date":
    case "timestamp":
      return text;
    default:
      return parseScalar(text);
  }
}

/** Rows drawn before "show more": about a thousand cells, so a wide table stays quick to open. */
export const inlineRowPage = (columnCount: number) => Math.max(5, Math.min(LIST_PAGE, Math.floor(1000 / Math.max(1, columnCount))));
