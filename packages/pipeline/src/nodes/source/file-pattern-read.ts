import type { Column } from "@sluice/model";
import { ROW_ORDER_COLUMN, type DataFileInfo } from "../../catalog/node-definition.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import { duckType } from "../../sql/types.ts";
import { fileReadSql, type CsvOverrides } from "./file-read-sql.ts";

/** The column a pattern source adds, when asked, with the name of the file each row came from. */
export const SOURCE_FILE_COLUMN = "_source_file";

const FILE_POSITION = "__sluice_file";

/**
 * One SELECT over several uploaded files with the same columns: each file is read exactly as a single-file source
 * reads it (its own column order, which CSV reads by position), projected to `names` in the first file's order, and
 * the rows are numbered file after file (in the order given), each file's rows in file order. No files: no rows, with
 * the columns' types.
 */
export function matchingFilesRead(
  files: DataFileInfo[],
  names: string[],
  read: { text: boolean; csv: CsvOverrides },
  opts: { sourceFile: boolean; types: Column[] },
): string {
  const order = quoteIdent(ROW_ORDER_COLUMN);
  const outNames = [...names.map(quoteIdent), ...(opts.sourceFile ? [quoteIdent(SOURCE_FILE_COLUMN)] : [])];
  if (files.length === 0) {
    const typed = opts.types.map((c) => `CAST(NULL AS ${duckType(c)}) AS ${quoteIdent(c.name)}`);
    return `SELECT ${[...typed, `CAST(NULL AS BIGINT) AS ${order}`].join(", ")} WHERE false`;
  }
  const parts = files.map((f, i) => {
    const own = read.text ? f.columns.map((c) => ({ name: c.name, type: "string" as const })) : f.columns;
    const byName = new Map(f.columns.map((c) => [c.name.toLowerCase(), c.name]));
    const cols = names.map((n) => `${quoteIdent(byName.get(n.toLowerCase()) ?? n)} AS ${quoteIdent(n)}`);
    const file = opts.sourceFile ? [`${quoteLiteral(f.name)} AS ${quoteIdent(SOURCE_FILE_COLUMN)}`] : [];
    return `SELECT ${[...cols, ...file, order, `${i} AS ${quoteIdent(FILE_POSITION)}`].join(", ")} FROM (${fileReadSql(f, own, read)})`;
  });
  return `SELECT ${[...outNames, `row_number() OVER (ORDER BY ${quoteIdent(FILE_POSITION)}, ${order}) AS ${order}`].join(", ")} FROM (${parts.join(" UNION ALL ")})`;
}
