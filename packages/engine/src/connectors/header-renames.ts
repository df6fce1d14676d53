import type { Column, RenamedColumn } from "@sluice/model";
import { fileReadSql, quoteIdent, type DataFileInfo } from "@sluice/pipeline";

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/**
 * The headers of a CSV or TSV file that DuckDB did not keep as names: a blank one becomes "column<n>" and one
 * equal to an earlier one ignoring case gets "_1", "_2"… Right, but silent: a user looking for "Amount" finds
 * "amount_1". The header row is read back as text, with the options detected, and compared by position.
 * Surrounding spaces, which DuckDB trims, are not a rename.
 */
export async function headerRenames(query: Query, info: DataFileInfo): Promise<RenamedColumn[]> {
  if (info.options?.header !== true) return [];
  const read = fileReadSql(info, info.columns, { text: true, csv: { header: false }, numbered: false });
  // Read as data, a blank header is null (the empty string is a null string).
  const [row] = await query(`SELECT ${info.columns.map((c, i) => `coalesce(${quoteIdent(c.name)}, '') AS h${i}`).join(", ")} FROM (${read}) LIMIT 1`);
  if (!row) return [];
  return info.columns.flatMap((c: Column, i): RenamedColumn[] => {
    const original = String(row[`h${i}`] ?? "");
    if (original.trim() === c.name) return [];
    return [{ position: i + 1, original, name: c.name, reason: original.trim() === "" ? "blank" : "duplicate" }];
  });
}
