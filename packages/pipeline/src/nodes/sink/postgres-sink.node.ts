import { z } from "zod";
import { error, failAll, ok, type Column, type Issue } from "@sluice/model";
import { defineNode } from "../../catalog/node-definition.ts";
import { unknownColumns } from "../../catalog/columns.ts";
import { sinkInputAsStoredSql } from "./sink-input.ts";
import { columnsWidget, connectionWidget } from "../../catalog/widgets.ts";
import { isSystemSchema, systemSchemaIssue } from "../system-schemas.ts";
import { DATASET_PORT, passThrough } from "../../catalog/node-lineage.ts";

/** The table in the target schema where the sink records each delivered load. */
export const LOAD_LEDGER_TABLE = "_sluice_loads";
/** Large loads fill a table with this prefix first; ones left by a killed worker are dropped by the next load. */
export const LOAD_STAGE_PREFIX = "_sluice_stage_";
/** Postgres silently truncates longer identifiers, which could merge two names. */
const MAX_IDENTIFIER_BYTES = 63;

export const postgresSinkConfigSchema = z.object({
  connectionId: z.string().meta(connectionWidget).default(""),
  schema: z.string().default("public"),
  table: z.string().default(""),
  /**
   * create: a new table, failing if it exists; replace: drop and recreate it; append: insert rows (creating
   * the table if missing); upsert: insert, updating rows whose keys already exist.
   */
  mode: z
    .enum(["create", "replace", "append", "upsert"])
    .default("create")
    .describe("create: a new table (fails if it exists); replace: drop and recreate it; append: insert into it; upsert: insert, or update rows with the same keys."),
  /** Required for upsert. When the sink creates the table and keys are given, it adds a unique index on them. */
  keys: z.array(z.string().min(1)).default([]).meta(columnsWidget()),
});
export type PostgresSinkConfig = z.infer<typeof postgresSinkConfigSchema>;
export type PostgresSinkSpec = PostgresSinkConfig;

const bytes = (s: string) => new TextEncoder().encode(s).length;

function check(input: Column[], config: PostgresSinkConfig, nodeId: string): Issue[] {
  const issues: Issue[] = [];
  const at = (field: string) => ({ nodeId, field });
  if (config.connectionId === "") issues.push(error("CONNECTION_NOT_SELECTED", "Choose a database connection.", at("connectionId")));
  if (config.schema === "") issues.push(error("SCHEMA_REQUIRED", "Name the schema to write to.", at("schema")));
  else if (isSystemSchema(config.schema)) issues.push(systemSchemaIssue(config.schema, at("schema")));
  if (config.table === "") issues.push(error("TABLE_REQUIRED", "Name the table to write to.", at("table")));
  if (config.table === LOAD_LEDGER_TABLE) {
    issues.push(error("RESERVED_TABLE_NAME", `"${LOAD_LEDGER_TABLE}" is where Sluice records its loads; choose another table name.`, at("table")));
  } else if (config.table.startsWith(LOAD_STAGE_PREFIX)) {
    issues.push(error("RESERVED_TABLE_NAME", `Names starting with "${LOAD_STAGE_PREFIX}" are Sluice's staging tables, which it drops; choose another table name.`, at("table")));
  }
  for (const field of ["schema", "table"] as const) {
    if (bytes(config[field]) > MAX_IDENTIFIER_BYTES) {
      issues.push(error("IDENTIFIER_TOO_LONG", `PostgreSQL names are at most ${MAX_IDENTIFIER_BYTES} bytes long.`, at(field)));
    }
    if (config[field].includes("\u0000")) issues.push(error("INVALID_NAME", "PostgreSQL names cannot contain the NUL character (U+0000); remove it.", at(field)));
  }
  if (config.mode === "upsert" && config.keys.length === 0) {
    issues.push(error("KEYS_REQUIRED", "Upsert needs the key columns that identify a row.", at("keys")));
  }
  issues.push(...unknownColumns(input, config.keys, nodeId, (i) => `keys.${i}`));
  if (new Set(config.keys).size !== config.keys.length) issues.push(error("DUPLICATE_KEY", "A key column is listed twice.", at("keys")));
  if (input.length === 0) issues.push(error("NO_COLUMNS", "The input has no columns to write.", { nodeId, port: "in" }));
  for (const c of input) {
    if (bytes(c.name) > MAX_IDENTIFIER_BYTES) {
      issues.push(error("IDENTIFIER_TOO_LONG", `Column "${c.name}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes; rename it before this sink.`, { nodeId, port: "in" }));
    }
  }
  return issues;
}

export const postgresSinkNode = defineNode<PostgresSinkConfig>({
  type: "postgres-sink",
  version: 1,
  category: "sink",
  label: "PostgreSQL table",
  description: "Write rows to a PostgreSQL table in one transaction: create, replace, append or upsert.",
  inputs: [{ name: "in", label: "Rows" }],
  outputs: [],
  configSchema: postgresSinkConfigSchema,
  defaultConfig: { connectionId: "", schema: "public", table: "", mode: "create", keys: [] },
  summary: (c) => (c.table === "" ? "no table chosen" : `${c.mode} ${c.schema}.${c.table}${c.mode === "upsert" ? ` on ${c.keys.join(", ")}` : ""}`),
  /** A sink has no output ports, so there is nothing to infer beyond checking the config against the input. */
  inferSchema(ctx, config) {
    const issues = check(ctx.inputs.in?.[0] ?? [], config, ctx.nodeId);
    return issues.length ? failAll(issues) : ok({});
  },
  // The table's columns are the input's, written as they are.
  lineage: (ctx) => ({ [DATASET_PORT]: passThrough(ctx.inputs.in?.[0] ?? []) }),
  // A table has no row order (docs/nodes/postgres-sink.md), so the rows go in as they come, unsorted.
  rowOrder: () => "ignores",
  compile(ctx, config) {
    const [relation, columns] = [ctx.relations.in![0]!, ctx.inputs.in?.[0] ?? []];
    return { kind: "sink", target: "postgres", spec: { ...config }, input: sinkInputAsStoredSql(relation, columns) };
  },
});
