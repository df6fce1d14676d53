import type { Column } from "@sluice/model";
import { ROW_ORDER_COLUMN, type DataFileInfo, type DataFileOptions } from "../../catalog/node-definition.ts";
import { quoteIdent, quoteLiteral } from "../../sql/quote.ts";
import { duckType } from "../../sql/types.ts";

/** The CSV options a file source may override; anything left out keeps what was detected at upload. */
export interface CsvOverrides {
  delimiter?: string | undefined;
  header?: boolean | undefined;
  quote?: string | undefined;
  nullStrings?: string[] | undefined;
}

/** Detected options with the node's overrides applied, and DuckDB's defaults for anything still missing. */
export function effectiveCsvOptions(file: Pick<DataFileInfo, "format" | "options">, overrides: CsvOverrides) {
  const detected: DataFileOptions = file.options ?? {};
  const quote = overrides.quote ?? detected.quote ?? '"';
  // A quote the user changed takes the escape with it: the detected escape belonged to the old quote.
  const quoteChanged = overrides.quote !== undefined && overrides.quote !== detected.quote;
  const escape = quoteChanged ? quote : detected.escape || quote;
  return {
    delimiter: overrides.delimiter ?? detected.delimiter ?? (file.format === "tsv" ? "\t" : ","),
    header: (overrides.header ?? detected.header ?? true) === true,
    quote,
    escape,
    nullStrings: overrides.nullStrings ?? detected.nullStrings ?? [""],
    // Stored options are JSON from the database: only a whole number may reach the SQL text.
    skip: Number.isSafeInteger(detected.skip) && detected.skip! > 0 ? detected.skip! : 0,
    comment: detected.comment ?? "",
    dateFormat: detected.dateFormat,
    timestampFormat: detected.timestampFormat,
  };
}

/** `columns={'name': 'TYPE', …}`: names by position, so the header row's text never matters. */
const columnsArg = (columns: { name: string; type: string }[]) =>
  `columns={${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(", ")}}`;

/**
 * A SELECT reading an uploaded file with the columns (names and types) fixed at upload, plus the row order
 * column unless `numbered` is false. DuckDB's streaming row_number() over a scan keeps file order (the tests
 * check 10k+ rows).
 */
export function fileReadSql(file: DataFileInfo, columns: Column[], opts: { text: boolean; csv: CsvOverrides; numbered?: boolean }): string {
  const offsets = new Set(file.options?.offsetTimestamps ?? []);
  const hasOffset = (c: Column) => offsets.has(c.name) && file.columns.find((f) => f.name === c.name)?.type === "timestamp";
  /** Offset timestamps become UTC instants unless read as text, when their text is kept as written. */
  const isOffset = (c: Column) => !opts.text && hasOffset(c);
  /** The type the reader parses a column as. */
  const readType = (c: Column) => (opts.text ? "VARCHAR" : isOffset(c) ? "TIMESTAMPTZ" : duckType(c));
  const rowOrder = opts.numbered === false ? [] : [`row_number() OVER () AS ${quoteIdent(ROW_ORDER_COLUMN)}`];
  const path = quoteLiteral(file.path);

  if (file.format === "parquet") {
    // Parquet carries its own types: cast each column to the type fixed at upload.
    const list = columns.map((c) => {
      const q = quoteIdent(c.name);
      const value = hasOffset(c) ? `timezone('UTC', ${q})` : q;
      const original = file.columns.find((f) => f.name === c.name);
      const asText = original?.type === "json" ? `CAST(CAST(${value} AS JSON) AS VARCHAR)` : `CAST(${value} AS VARCHAR)`;
      return `${opts.text ? asText : `CAST(${value} AS ${duckType(c)})`} AS ${q}`;
    });
    return `SELECT ${[...list, ...rowOrder].join(", ")} FROM read_parquet(${path})`;
  }

  const projection = columns.map((c) => (isOffset(c) ? `timezone('UTC', ${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}` : quoteIdent(c.name)));
  const typed = columns.map((c) => ({ name: c.name, type: readType(c) }));

  if (file.format === "json" || file.format === "ndjson") {
    const format = file.format === "ndjson" ? "newline_delimited" : "auto";
    return `SELECT ${[...projection, ...rowOrder].join(", ")} FROM read_json(${path}, format=${quoteLiteral(format)}, ${columnsArg(typed)})`;
  }

  const o = effectiveCsvOptions(file, opts.csv);
  const args = [
    path,
    "auto_detect=false",
    `header=${o.header}`,
    `delim=${quoteLiteral(o.delimiter)}`,
    `quote=${quoteLiteral(o.quote)}`,
    `escape=${quoteLiteral(o.escape)}`,
    `nullstr=[${o.nullStrings.map(quoteLiteral).join(", ")}]`,
    `skip=${o.skip}`,
    `comment=${quoteLiteral(o.comment)}`,
    ...(o.dateFormat ? [`dateformat=${quoteLiteral(o.dateFormat)}`] : []),
    ...(o.timestampFormat ? [`timestampformat=${quoteLiteral(o.timestampFormat)}`] : []),
    columnsArg(typed),
  ];
  return `SELECT ${[...projection, ...rowOrder].join(", ")} FROM read_csv(${args.join(", ")})`;
}
