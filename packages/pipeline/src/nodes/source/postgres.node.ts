import { z } from "zod";
import { error, failAll, type Column, type Issue } from "@sluice/model";
import { defineNode } from "../../catalog/node-definition.ts";
import { isSystemSchema, systemSchemaIssue } from "../system-schemas.ts";
import { externalColumns } from "./external-columns.ts";
import { connectionWidget, multilineWidget } from "../../catalog/widgets.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

/**
 * Flat rather than a union on `mode`, so switching modes in the form keeps what was typed in the other.
 * "table" reads schema.table; "query" runs one read-only SELECT, which the engine checks with PostgreSQL's
 * own parser (the server answers validation with its verdict; this package only sees whether there is a query).
 */
export const postgresSourceConfigSchema = z.object({
  connectionId: z.string().meta(connectionWidget).default(""),
  mode: z.enum(["table", "query"]).default("table"),
  schema: z.string().default("public"),
  table: z.string().default(""),
  sql: z.string().meta(multilineWidget).default(""),
  /**
   * Incremental loads: a column whose values only grow (an increasing id, a created-at timestamp). Empty: every run
   * reads every row. Set: a run reads only rows above the watermark the last successful run stored (docs/incremental.md).
   */
  watermarkColumn: z
    .string()
    .default("")
    .describe("Leave empty to read every row each run. Name a column whose values only grow (an increasing id or a timestamp) to read only rows added since the last successful run."),
});
export type PostgresSourceConfig = z.infer<typeof postgresSourceConfigSchema>;

/** What the engine's postgres loader receives: the config, with the field of the other mode emptied. */
export type PostgresSourceSpec = PostgresSourceConfig;

/** Problems with the config itself; an empty list means the source can be asked for its columns. */
export function postgresSourceConfigIssues(config: PostgresSourceConfig, nodeId: string): Issue[] {
  const issues: Issue[] = [];
  if (config.connectionId === "") issues.push(error("CONNECTION_NOT_SELECTED", "Choose a database connection.", { nodeId, field: "connectionId" }));
  if (config.mode === "table") {
    if (config.schema.trim() === "") issues.push(error("SCHEMA_REQUIRED", "Name the schema the table is in.", { nodeId, field: "schema" }));
    else if (isSystemSchema(config.schema)) issues.push(systemSchemaIssue(config.schema, { nodeId, field: "schema" }));
    if (config.table.trim() === "") issues.push(error("TABLE_REQUIRED", "Name the table to read.", { nodeId, field: "table" }));
    for (const field of ["schema", "table"] as const) {
      if (config[field].includes("\u0000")) issues.push(error("INVALID_NAME", "PostgreSQL names cannot contain the NUL character (U+0000); remove it.", { nodeId, field }));
    }
  } else if (config.sql.trim() === "") {
    // Whether the text is one read-only SELECT is for PostgreSQL's parser to say, in the engine: no lexer here decides it.
    issues.push(error("SQL_REQUIRED", "Write a SELECT query.", { nodeId, field: "sql" }));
  }
  if (config.watermarkColumn.includes("\u0000")) issues.push(error("INVALID_NAME", "PostgreSQL names cannot contain the NUL character (U+0000); remove it.", { nodeId, field: "watermarkColumn" }));
  return issues;
}

/** Column types a watermark can be: ordered, and read back exactly from their text form. */
export const WATERMARK_TYPES: readonly Column["type"][] = ["integer", "bigint", "decimal", "date", "timestamp"];

/** The watermark column among the source's columns, or why it cannot be one. */
export function watermarkColumnIssues(config: PostgresSourceConfig, columns: Column[], nodeId: string): Issue[] {
  if (config.watermarkColumn === "") return [];
  const at = { nodeId, field: "watermarkColumn" };
  const column = columns.find((c) => c.name === config.watermarkColumn);
  if (!column) return [error("WATERMARK_COLUMN_NOT_FOUND", `The source has no column "${config.watermarkColumn}"; choose one of its columns, or leave the field empty to read every row.`, at)];
  if (!WATERMARK_TYPES.includes(column.type)) {
    return [error("WATERMARK_COLUMN_TYPE", `Column "${column.name}" is ${column.type}; a watermark must be an integer, decimal, date or timestamp column whose values only grow.`, at)];
  }
  return [];
}

/** The spec for the engine: only the fields of the chosen mode. The engine checks the query itself. */
export function postgresSourceSpec(config: PostgresSourceConfig): PostgresSourceSpec {
  return config.mode === "table" ? { ...config, sql: "" } : config;
}

export const postgresSourceNode = defineNode<PostgresSourceConfig>({
  type: "postgres",
  // Version 2 added watermarkColumn; a version 1 config reads every row each run, as before.
  version: 2,
  migrations: [{ from: 1, up: (config) => ({ watermarkColumn: "", ...config }) }],
  category: "source",
  label: "PostgreSQL",
  description: "Read a table, or the result of a read-only SELECT, from a PostgreSQL database.",
  inputs: [],
  outputs: [{ name: "out", label: "Rows" }],
  configSchema: postgresSourceConfigSchema,
  defaultConfig: { connectionId: "", mode: "table", schema: "public", table: "", sql: "", watermarkColumn: "" },
  summary: (c) => (c.mode === "table" ? (c.table ? `table ${c.schema}.${c.table}` : "no table chosen") : "custom query") + (c.watermarkColumn ? `, new rows by ${c.watermarkColumn}` : ""),
  inferSchema(ctx, config) {
    const issues = postgresSourceConfigIssues(config, ctx.nodeId);
    if (issues.length) return failAll(issues);
    const columns = externalColumns(ctx, "database source");
    if (!columns.ok) return columns;
    const watermark = watermarkColumnIssues(config, columns.value.out ?? [], ctx.nodeId);
    return watermark.length ? failAll(watermark) : columns;
  },
  // A table is read in place when it is on the run's connection (chooseEngine compares the connections).
  pushdown: (c) => (c.mode === "query" ? { ok: false, reason: "a query source runs in a read-only transaction of its own; read a table to run in the database" } : { ok: true }),
  // A table's columns are its own; a query's are whatever its SQL makes of the database, which Sluice does not parse.
  lineage: (ctx, config) => {
    const out = ctx.outputs.out ?? [];
    return { out: config.mode === "table" ? passThrough(out, [], DATASET_PORT) : { columns: Object.fromEntries(out.map((c) => [c.name, []])), rows: [] } };
  },
  compile(_ctx, config) {
    return { kind: "load", source: "postgres", spec: { ...postgresSourceSpec(config) } };
  },
});
