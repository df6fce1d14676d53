import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN, type DataFileInfo, type PipelineEnvironment } from "../../catalog/node-definition.ts";
import { fileReadSql } from "./file-read-sql.ts";
import { matchingFilesRead, SOURCE_FILE_COLUMN } from "./file-pattern-read.ts";
import { fileWidget } from "../../catalog/widgets.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

export const fileSourceConfigSchema = z.object({
  /** An uploaded file's id; not used when `pattern` is set. */
  fileId: z.string().meta(fileWidget).default(""),
  /** Reads every uploaded file whose name matches instead of one file (docs/nodes/file.md, "Many files by name"). */
  pattern: z
    .string()
    .trim()
    .max(200, "A pattern is at most 200 characters.")
    .refine((p) => !/[/\\]/.test(p), "A pattern matches a file name, so it cannot hold / or \\.")
    .default("")
    .describe("Read every uploaded file whose name matches, e.g. orders-*.csv (* any characters, ? one, case-insensitive) instead of the file above; empty reads the file above."),
  onlyNew: z.boolean().default(false).describe("With a pattern: each run reads only the matching files no successful run of this pipeline has read (a file counts as new again when its content changes)."),
  sourceFileColumn: z.boolean().default(false).describe(`With a pattern: add a column ${"_source_file"} holding the name of the file each row came from.`),
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

function resolve(ctx: { nodeId: string; env: PipelineEnvironment }, config: FileSourceConfig): { issues: Issue[]; files?: DataFileInfo[]; file?: DataFileInfo; columns?: Column[] } {
  if (config.pattern !== "") return resolvePattern(ctx, config);
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

const textColumns = (cs: Column[]): Column[] => cs.map((c) => ({ name: c.name, type: "string" }));

/**
 * The files a pattern reads (in a run of an `onlyNew` source, only the new ones, as the run chose them), unioned by
 * column name: every file must have the first one's columns, in any order, with the same types (as text, the same
 * names). No file (or no new file) is not an error: the source has the columns it last had, or none, and reads no rows.
 */
function resolvePattern(ctx: { nodeId: string; env: PipelineEnvironment }, config: FileSourceConfig) {
  const where = { nodeId: ctx.nodeId, field: "pattern" };
  const found = ctx.env.filesMatching?.(ctx.nodeId);
  if (!found) return { issues: [error("FILE_PATTERN_NEEDS_SERVER", "A file name pattern is matched against a server's uploaded files; run this pipeline on a server.", where)] };
  const { files, shape } = found;
  const issues: Issue[] = [];
  for (const f of files) if (f.unreadable) issues.push(error(f.unreadable.code, `File "${f.name}": ${f.unreadable.message}`, where));
  if (issues.length) return { issues };
  // The columns come from the first matching file; with none (or none new) from the first of all matching files.
  const first = files[0] ?? shape;
  if (!first) return { issues: [error("FILE_PATTERN_NO_MATCH", `No uploaded file's name matches "${config.pattern}"; upload one or change the pattern.`, where)] };
  const own = (f: DataFileInfo) => (config.types === "text" ? textColumns(f.columns) : f.columns);
  const columns = own(first);
  const key = (cs: Column[]) => cs.map((c) => `${c.name.toLowerCase()}\u0000${c.type}`).sort().join("\u0001");
  for (const f of files) {
    if (key(own(f)) === key(columns)) continue;
    const describe = (cs: Column[]) => cs.map((c) => (config.types === "text" ? c.name : `${c.name} ${c.type}`)).join(", ");
    issues.push(
      error(
        "FILE_PATTERN_COLUMNS_DIFFER",
        `File "${f.name}" has the columns ${describe(own(f))}, and "${first.name}" has ${describe(columns)}: the files a pattern reads must share their columns${config.types === "text" ? "" : " and types (read them as text to cast them yourself)"}. Fix or delete "${f.name}", or narrow the pattern.`,
        where,
      ),
    );
  }
  if (columns.some((c) => c.name === ROW_ORDER_COLUMN)) issues.push(error("RESERVED_COLUMN_NAME", `File "${first.name}" has a column named "${ROW_ORDER_COLUMN}", a name Sluice reserves; rename it and upload the file again.`, where));
  if (columns.length === 0) issues.push(error("FILE_NO_COLUMNS", `File "${first.name}" has no columns.`, where));
  if (config.sourceFileColumn && columns.some((c) => c.name.toLowerCase() === SOURCE_FILE_COLUMN)) {
    issues.push(error("SOURCE_FILE_COLUMN_TAKEN", `The files already have a column named "${SOURCE_FILE_COLUMN}"; turn off "sourceFileColumn" or rename the column.`, { nodeId: ctx.nodeId, field: "sourceFileColumn" }));
  }
  const out: Column[] = config.sourceFileColumn ? [...columns, { name: SOURCE_FILE_COLUMN, type: "string" }] : columns;
  return { issues, files, columns: out };
}

export const fileSourceNode = defineNode<FileSourceConfig>({
  type: "file",
  // Version 2 added pattern, onlyNew and sourceFileColumn; a version 1 config reads its one file as before.
  version: 2,
  migrations: [{ from: 1, up: (config) => ({ pattern: "", onlyNew: false, sourceFileColumn: false, ...config }) }],
  category: "source",
  label: "File",
  description: "Read an uploaded CSV, TSV, JSON, NDJSON or Parquet file, in file order.",
  inputs: [],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema: fileSourceConfigSchema,
  defaultConfig: { fileId: "", pattern: "", onlyNew: false, sourceFileColumn: false, csv: {}, types: "inferred" },
  summary: (c) =>
    c.pattern !== "" ? `files matching ${c.pattern}${c.onlyNew ? ", new ones only" : ""}` : c.fileId === "" ? "no file chosen" : c.types === "text" ? "all columns as text" : "detected column types",
  inferSchema(ctx, config) {
    const r = resolve(ctx, config);
    if (r.issues.length || !r.columns) return failAll(r.issues);
    return ok({ out: r.columns });
  },
  // Each column is the file's column of that name.
  lineage: (ctx) => ({ out: passThrough(ctx.outputs.out ?? [], [], DATASET_PORT) }),
  // The worker's DuckDB reads the file; a run set to the database copies its rows in first (chooseEngine).
  pushdown: () => ({ ok: false, reason: 'a file is read by the worker\'s DuckDB; set the engine to "database" to copy its rows into the database first' }),
  compile(ctx, config) {
    const r = resolve(ctx, config);
    if (r.files && r.columns && !r.issues.length) {
      const read = { text: config.types === "text", csv: config.csv };
      const names = r.columns.filter((c) => !(config.sourceFileColumn && c.name === SOURCE_FILE_COLUMN)).map((c) => c.name);
      const rows = r.files.map((f) => f.rowCount);
      const known = rows.every((n) => typeof n === "number") ? (rows as number[]).reduce((a, b) => a + b, 0) : undefined;
      return {
        kind: "query",
        outputs: { out: matchingFilesRead(r.files, names, read, { sourceFile: config.sourceFileColumn, types: r.columns }) },
        ...(known !== undefined ? { knownRows: known } : {}),
      };
    }
    if (!r.file || !r.columns || r.issues.length) throw new Error(`file source ${ctx.nodeId} compiled without a valid schema`);
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
