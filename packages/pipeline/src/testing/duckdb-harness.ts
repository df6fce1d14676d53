import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Column, Issue } from "@sluice/model";
import type { AnyNodeDefinition, PipelineEnvironment } from "../catalog/node-definition.ts";
import { ROW_ORDER_COLUMN } from "../catalog/node-definition.ts";
import { quoteIdent } from "../sql/quote.ts";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { logicalType } from "../sql/types.ts";
import type { Dialect } from "../sql/dialect.ts";

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

/** One node run as the harness made it on DuckDB, for a differential suite to repeat on another engine. */
export interface ObservedNodeRun {
  def: AnyNodeDefinition;
  /** The parsed config. */
  config: unknown;
  inputs: Record<string, FixtureTable[]>;
  env: PipelineEnvironment;
  outputs: Record<string, Column[]>;
  /** DuckDB's result: rows and types, or the error that stopped the run. */
  result: NodeRunResult;
}

let observer: ((run: ObservedNodeRun) => Promise<void>) | undefined;

/**
 * Has every later runNode that got as far as running its SQL on DuckDB also call `observe` (which may throw to fail
 * the test). The differential suite (differential.setup.ts) uses it to run each node test's fixtures on PostgreSQL.
 */
export function observeNodeRuns(observe: ((run: ObservedNodeRun) => Promise<void>) | undefined): void {
  observer = observe;
}

/** A SELECT of a fixture table's rows, numbered in the row-order column, in `d`'s SQL. */
export function tableSql(table: FixtureTable, d: Dialect = duckdbDialect): string {
  const cols = [...table.columns.map((c) => quoteIdent(c.name)), quoteIdent(ROW_ORDER_COLUMN)].join(", ");
  if (table.rows.length === 0) {
    const typed = table.columns.map((c) => `${d.literal(null, c)} AS ${quoteIdent(c.name)}`);
    return `SELECT ${[...typed, `CAST(NULL AS BIGINT) AS ${quoteIdent(ROW_ORDER_COLUMN)}`].join(", ")} LIMIT 0`;
  }
  const values = table.rows.map(
    (row, i) => `(${[...table.columns.map((c, j) => d.literal(row[j], c)), `CAST(${i + 1} AS BIGINT)`].join(", ")})`,
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
  const result = await runOnDuckDb(def, rawConfig, inputs, env);
  if (observer && (result.run.ok || result.run.stage === "execute")) {
    await observer({ def, config: result.config, inputs, env, outputs: result.outputs, result: result.run });
  }
  return result.run;
}

async function runOnDuckDb(
  def: AnyNodeDefinition,
  rawConfig: unknown,
  inputs: Record<string, FixtureTable[]>,
  env: PipelineEnvironment,
): Promise<{ run: NodeRunResult; config?: unknown; outputs: Record<string, Column[]> }> {
  const none = {};
  const parsed = def.configSchema.safeParse(rawConfig);
  if (!parsed.success) {
    const run: NodeRunResult = {
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
    return { run, outputs: none };
  }
  const config = parsed.data;
  const inputSchemas = Object.fromEntries(Object.entries(inputs).map(([p, ts]) => [p, ts.map((t) => t.columns)]));
  const inferred = def.inferSchema({ nodeId: "n1", inputs: inputSchemas, env }, config);
  if (!inferred.ok) return { run: { ok: false, stage: "infer", issues: inferred.issues }, config, outputs: none };

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
      const unnumbered = step.kind === "query" ? step.unnumbered?.[port] : undefined;
      if (unnumbered) await sameWhenNumberedByPosition(conn, port, view, unnumbered);
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
    return { run: { ok: true, schemas: inferred.value, rows, actualTypes, failing }, config, outputs: inferred.value };
  } catch (e) {
    return { run: { ok: false, stage: "execute", issues: [], message: e instanceof Error ? e.message : String(e) }, config, outputs: inferred.value };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * A run stores an output's `unnumbered` form and numbers its rows by position (engine's createNumbered): that must
 * give exactly the rows, row order values and order of the numbered query.
 */
async function sameWhenNumberedByPosition(conn: DuckDBConnection, port: string, numbered: string, unnumbered: string): Promise<void> {
  const rows = quoteIdent(`unnumbered_${port}`);
  const row = quoteIdent(ROW_ORDER_COLUMN);
  await conn.run(`CREATE TABLE ${rows} AS ${unnumbered}`);
  const read = async (sql: string) => JSON.stringify((await conn.runAndReadAll(sql)).getRowObjectsJson());
  const byPosition = await read(`SELECT * FROM (SELECT *, rowid + 1 AS ${row} FROM ${rows}) ORDER BY ${row}`);
  const byWindow = await read(`SELECT * FROM ${numbered} ORDER BY ${row}`);
  if (byPosition !== byWindow) throw new Error(`output ${port}: stored and numbered by position, the unnumbered form gives other rows or another order than the numbered one`);
}

/** Column names that have broken naive SQL generators; every node's tests use them. */
export const HOSTILE_NAMES = ["select", 'a"b', "x; drop table y", "with space", "ünï cödé", "'quoted'"] as const;
