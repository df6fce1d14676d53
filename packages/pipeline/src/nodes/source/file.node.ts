import { z } from "zod";
import { error, fail, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN, type PipelineEnvironment } from "../../catalog/node-definition.ts";
import { fileReadSql } from "./file-read-sql.ts";
import { fileWidget } from "../../catalog/widgets.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

export const fileSourceConfigSchema = z.object({
  /** An uploaded file's id. */
  fileId: z.string().meta(fileWidget).default(""),
  /** CSV and TSV only: overrides of what was detected at upload; leave a field out to keep the detected value. */
  csv: z
    .object({
      delimiter: z.string().min(1, "a delimiter is required").max(4).optional(),
      header: z.boolean().optional(),
      /** "" turns quoting off. */
      quote: z.string().max(1).optional(),
      nullStrings: z.array(z.string()).min(1, "list at least one null string").optional(),
    })
    .default({}),
  /** "inferred": the column types detected at upload; "text": every column as a string, exactly as written. */
  types: z.enum(["inferred", "text"]).default("inferred").describe("inferred: each column's type is detected from the file; text: every column is read as text, to clean and retype yourself."),
});
export type FileSourceConfig = z.infer<typeof fileSourceConfigSchema>;

function resolve(ctx: { nodeId: string; env: PipelineEnvironment }, config: FileSourceConfig) {
  const where = { nodeId: ctx.nodeId, field: "fileId" };
  if (config.fileId === "") return { issues: [error("FILE_NOT_SELECTED", "Choose a file to read.", where)] };
  const file = ctx.env.file(config.fileId);
  if (!file) {
    return { issues: [error("FILE_NOT_FOUND", `File ${config.fileId} does not exist (it may have been deleted); choose another file.`, where)] };
  }
  // Before anything compiles a read of it: the file may be one DuckDB must not parse.
  if (file.unreadable) return { issues: [error(file.unreadable.code, file.unreadable.message, where)] };
  const issues: Issue[] = [];
  if (file.columns.some((c) => c.name === ROW_ORDER_COLUMN)) {
    issues.push(error("RESERVED_COLUMN_NAME", `The file has a column named "${ROW_ORDER_COLUMN}", a name Sluice reserves; rename it and upload the file again.`, where));
  }
  if (file.columns.length === 0) issues.push(error("FILE_NO_COLUMNS", `File "${file.name}" has no columns.`, where));
  const columns: Column[] = config.types === "text" ? file.columns.map((c) => ({ name: c.name, type: "string" })) : file.columns;
  return { issues, file, columns };
}

export const fileSourceNode = defineNode<FileSourceConfig>({
  type: "file",
  version: 1,
  category: "source",
  label: "File",
  description: "Read an uploaded CSV, TSV, JSON, NDJSON or Parquet file, in file order.",
  inputs: [],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema: fileSourceConfigSchema,
  defaultConfig: { fileId: "", csv: {}, types: "inferred" },
  summary: (c) => (c.fileId === "" ? "no file chosen" : c.types === "text" ? "all columns as text" : "detected column types"),
  inferSchema(ctx, config) {
    const r = resolve(ctx, config);
    if (r.issues.length || !r.columns) return fail(...r.issues);
    return ok({ out: r.columns });
  },
  // Each column is the file's column of that name.
  lineage: (ctx) => ({ out: passThrough(ctx.outputs.out ?? [], [], DATASET_PORT) }),
  // The worker's DuckDB reads the file; a run set to the database copies its rows in first (chooseEngine).
  pushdown: () => ({ ok: false, reason: 'a file is read by the worker\'s DuckDB; set the engine to "database" to copy its rows into the database first' }),
  compile(ctx, config) {
    const r = resolve(ctx, config);
    if (!r.file || r.issues.length) throw new Error(`file source ${ctx.nodeId} compiled without a valid schema`);
    const read = { text: config.types === "text", csv: config.csv };
    // A column named rowid (in any case) would hide the position DuckDB numbers stored rows by.
    const byPosition = !r.columns.some((c) => c.name.toLowerCase() === "rowid");
    return {
      kind: "query",
      outputs: { out: fileReadSql(r.file, r.columns, read) },
      ...(byPosition ? { unnumbered: { out: fileReadSql(r.file, r.columns, { ...read, numbered: false }) } } : {}),
      ...(typeof r.file.rowCount === "number" ? { knownRows: r.file.rowCount } : {}),
    };
  },
});
