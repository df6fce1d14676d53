import { DuckDBInstance } from "@duckdb/node-api";
import type { Column, Issue } from "@sluice/model";
import type { AnyNodeDefinition, PipelineEnvironment } from "../catalog/node-definition.ts";
import { ROW_ORDER_COLUMN } from "../catalog/node-definition.ts";
import { quoteIdent } from "../sql/quote.ts";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { typedLiteral, duckType, logicalType } from "../sql/types.ts";

/** A small hand-written table for node fixtures. */
export interface FixtureTable {
  columns: Column[];
  rows: unknown[][];
}

export type NodeRunResult =
  | {
      ok: true;
      schemas: Record<string, Column[]>;
      rows: Record<string, Record<string, unknown>[]>;
      actualTypes: Record<string, Column[]>;
      /** Check nodes: per rule with a failing-rows query, the 1-based positions of the input rows that fail it. */
      failing: Record<number, number[]>;
    }
  | { ok: false; stage: "config" | "infer" | "execute"; issues: Issue[]; message?: string };

export const emptyEnv: PipelineEnvironment = { file: () => undefined, sourceColumns: () => undefined };

function tableSql(table: FixtureTable): string {
  const cols = [...table.columns.map((c) => quoteIdent(c.name)), quoteIdent(ROW_ORDER_COLUMN)].join(", ");
  if (table.rows.length === 0) {
    const typed = table.columns.map((c) => `CAST(NULL AS ${duckType(c)}) AS ${quoteIdent(c.name)}`);
    return `SELECT ${[...typed, `CAST(NULL AS BIGINT) AS ${quoteIdent(ROW_ORDER_COLUMN)}`].join(", ")} LIMIT 0`;
  }
  const values = table.rows.map(
    (row, i) => `(${[...table.columns.map((c, j) => typedLiteral(row[j], c)), `CAST(${i + 1} AS BIGINT)`].join(", ")})`,
  );
  return `SELECT * FROM (VALUES ${values.join(", ")}) AS t(${cols})`;
}

/**
 * Runs one node on in-memory DuckDB exactly as the engine would: inputs become relations with a
 * row-order column, the node's config is parsed by its schema, its schema inferred, its SQL executed.
 * Rows come back in the node's output order, as JSON-friendly values.
 */
export async function runNode(
  def: AnyNodeDefinition,
  rawConfig: unknown,
  inputs: Record<string, FixtureTable[]>,
  env: PipelineEnvironment = emptyEnv,
): Promise<NodeRunResult> {
  const parsed = def.configSchema.safeParse(rawConfig);
  if (!parsed.success) {
    return {
      ok: false,
      stage: "config",
      issues: parsed.error.issues.map((i) => ({
        severity: "error" as const,
        code: "INVALID_CONFIG",
        message: i.message,
        nodeId: "n1",
        field: i.path.join("."),
      })),
    };
  }
  const config = parsed.data;
  const inputSchemas = Object.fromEntries(Object.entries(inputs).map(([p, ts]) => [p, ts.map((t) => t.columns)]));
  const inferred = def.inferSchema({ nodeId: "n1", inputs: inputSchemas, env }, config);
  if (!inferred.ok) return { ok: false, stage: "infer", issues: inferred.issues };

  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const relations: Record<string, string[]> = {};
    for (const [port, tables] of Object.entries(inputs)) {
      relations[port] = [];
      for (const [i, t] of tables.entries()) {
        const name = quoteIdent(`in_${port}_${i}`);
        await conn.run(`CREATE TABLE ${name} AS ${tableSql(t)}`);
        relations[port].push(name);
      }
    }
    const step = def.compile({ nodeId: "n1", inputs: inputSchemas, env, relations, outputs: inferred.value, dialect: duckdbDialect }, config);
    const queries: Record<string, string> =
      step.kind === "query" ? step.outputs : step.kind === "sink" ? { in: step.input } : {};
    const rows: Record<string, Record<string, unknown>[]> = {};
    const actualTypes: Record<string, Column[]> = {};
    for (const [port, sql] of Object.entries(queries)) {
      const view = quoteIdent(`out_${port}`);
      await conn.run(`CREATE VIEW ${view} AS ${sql}`);
      const reader = await conn.runAndReadAll(
        `SELECT * EXCLUDE (${quoteIdent(ROW_ORDER_COLUMN)}) FROM ${view} ORDER BY ${quoteIdent(ROW_ORDER_COLUMN)}`,
      );
      rows[port] = reader.getRowObjectsJson() as Record<string, unknown>[];
      const names = reader.columnNames();
      const types = reader.columnTypes();
      actualTypes[port] = names.map((name, i) => ({ name, ...logicalType(String(types[i])) }));
    }
    const failing: Record<number, number[]> = {};
    for (const c of step.kind === "query" ? (step.checks ?? []) : []) {
      if (c.failingRows === undefined) continue;
      const reader = await conn.runAndReadAll(`SELECT ${quoteIdent(ROW_ORDER_COLUMN)} FROM (${c.failingRows}) ORDER BY 1`);
      failing[c.index] = reader.getRows().map((r) => Number(r[0]));
    }
    return { ok: true, schemas: inferred.value, rows, actualTypes, failing };
  } catch (e) {
    return { ok: false, stage: "execute", issues: [], message: e instanceof Error ? e.message : String(e) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Column names that have broken naive SQL generators; every node's tests use them. */
export const HOSTILE_NAMES = ["select", 'a"b', "x; drop table y", "with space", "ünï cödé", "'quoted'"] as const;
