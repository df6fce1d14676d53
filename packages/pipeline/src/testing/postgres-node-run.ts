import { isDeepStrictEqual } from "node:util";
import pg from "pg";
import type { Column } from "@sluice/model";
import { ROW_ORDER_COLUMN, type CompiledStep, type CompileContext } from "../catalog/node-definition.ts";
import { pushdown } from "../catalog/pushdown.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";
import { quoteIdent } from "../sql/quote.ts";
import { tableSql, type NodeRunResult, type ObservedNodeRun } from "./duckdb-harness.ts";

export type DifferentialOutcome = { kind: "equal" } | { kind: "not-pushable"; reason: string } | { kind: "differs"; detail: string };

/** Values as the pg driver would give them, but as text where JavaScript numbers would lose digits or dates a zone. */
const TEXT_TYPES = [20, 1700, 1082, 1114, 1184];

/** A client whose session has the dialect's helper functions. */
export async function connectDifferential(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    // A query PostgreSQL plans or runs far slower than DuckDB fails its test instead of holding a core. 30 s: the
    // deepest derive node allowed (400 chained derivations, 400 nested SELECTs) takes PostgreSQL 7-10 s to plan here.
    options: "-c statement_timeout=30000",
    types: { getTypeParser: (oid, format) => (TEXT_TYPES.includes(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format)) },
  });
  await client.connect();
  for (const statement of postgresDialect.prelude) await client.query(statement);
  return client;
}

/** PostgreSQL's type of a result column as a Sluice type (the DuckDB side reads its own with logicalType). */
function sluiceType(field: { dataTypeID: number; dataTypeModifier: number }): Omit<Column, "name"> | { type: string } {
  switch (field.dataTypeID) {
    case 25:
    case 1043:
      return { type: "string" };
    case 21:
    case 23:
      return { type: "integer" };
    case 20:
      return { type: "bigint" };
    case 700:
    case 701:
      return { type: "double" };
    case 1700: {
      const m = field.dataTypeModifier - 4;
      return m < 0 ? { type: "numeric without precision" } : { type: "decimal", precision: m >> 16, scale: m & 0xffff };
    }
    case 16:
      return { type: "boolean" };
    case 1082:
      return { type: "date" };
    case 1114:
    case 1184:
      return { type: "timestamp" };
    case 114:
    case 3802:
      return { type: "json" };
    default:
      return { type: `PostgreSQL type ${field.dataTypeID}` };
  }
}

/** JSON values compared as values: PostgreSQL's jsonb orders keys and spaces its text its own way. */
function canonicalJson(v: unknown): unknown {
  const parsed = typeof v === "string" ? JSON.parse(v) : v;
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, y]) => [k, sort(y)])) : x;
  return sort(parsed);
}

/** One cell in a form both engines' results can be compared in, by the column's declared type. */
function normalize(v: unknown, type: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "bigint":
      return BigInt(String(v)).toString();
    case "integer":
    case "double":
      return Number(v);
    case "json":
      return canonicalJson(v);
    case "timestamp":
      return String(v).replace("T", " ");
    default:
      return v;
  }
}

/** Rows in a fixed order whatever order they came in, to compare outputs whose order nobody observes. */
const sortedRows = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

/**
 * The node compiled as a run compiles it when nothing downstream observes its row order (graph/row-order.ts),
 * where that changes its SQL: PostgreSQL gives the same rows as DuckDB's ordered result, in any order.
 */
async function unobservedOnPostgres(
  client: pg.Client,
  run: ObservedNodeRun,
  duck: Extract<NodeRunResult, { ok: true }>,
  ctx: CompileContext,
  observed: CompiledStep,
): Promise<DifferentialOutcome> {
  const step = run.def.compile({ ...ctx, orderObserved: false }, run.config);
  if (step.kind !== "query" || observed.kind !== "query") return { kind: "equal" };
  for (const [port, sql] of Object.entries(step.outputs)) {
    if (sql === observed.outputs[port]) continue;
    const declared = run.outputs[port] ?? [];
    const got = sortedRows(rowsOf((await client.query(sql)).rows as Record<string, unknown>[], declared));
    const want = sortedRows(rowsOf(duck.rows[port] ?? [], declared));
    if (!isDeepStrictEqual(got, want)) return { kind: "differs", detail: `port ${port}, order unobserved: rows ${JSON.stringify(got)} on PostgreSQL, ${JSON.stringify(want)} on DuckDB` };
  }
  return { kind: "equal" };
}

const rowsOf = (rows: Record<string, unknown>[], columns: Column[]) =>
  rows.map((r) => Object.fromEntries(columns.map((c) => [c.name, normalize(r[c.name], c.type)])));

/**
 * Runs the observed node on PostgreSQL with the same inputs, inside a transaction that is rolled back (nothing is
 * left), and compares with DuckDB's result: column names and types, every value, and the row order (every
 * relation is in row order, so order is compared wherever the node defines one and, today, everywhere).
 * `textCollation`: the collation the inputs' text columns get, as a user's table has its database's (en_US, ICU)
 * where the suite's scratch database orders by code point.
 */
export async function runOnPostgres(client: pg.Client, run: ObservedNodeRun, options: { textCollation?: string } = {}): Promise<DifferentialOutcome> {
  const inputs = Object.fromEntries(Object.entries(run.inputs).map(([p, ts]) => [p, ts.map((t) => t.columns)]));
  const relations = Object.fromEntries(Object.entries(run.inputs).map(([p, ts]) => [p, ts.map((_, i) => quoteIdent(`in_${p}_${i}`))]));
  const ctx = { nodeId: "n1", inputs, env: run.env, relations, outputs: run.outputs, dialect: postgresDialect };
  const can = pushdown(run.def, ctx, run.config);
  if (!can.ok) return { kind: "not-pushable", reason: can.reason };
  const step = run.def.compile(ctx, run.config);
  if (step.kind === "load") return { kind: "not-pushable", reason: "rows come from outside the database" };
  const queries: Record<string, string> = step.kind === "query" ? step.outputs : { in: step.input };
  const row = quoteIdent(ROW_ORDER_COLUMN);
  await client.query("BEGIN");
  try {
    for (const [port, tables] of Object.entries(run.inputs)) {
      for (const [i, t] of tables.entries()) {
        await client.query(`CREATE TEMPORARY TABLE ${relations[port]![i]} AS ${tableSql(t, postgresDialect)}`);
        for (const c of options.textCollation ? t.columns.filter((x) => x.type === "string") : []) {
          await client.query(`ALTER TABLE ${relations[port]![i]} ALTER COLUMN ${quoteIdent(c.name)} TYPE TEXT COLLATE ${quoteIdent(options.textCollation!)}`);
        }
      }
    }
    const got: Record<string, { rows: Record<string, unknown>[]; types: Column[] }> = {};
    let failing: Record<number, number[]> = {};
    try {
      for (const [port, sql] of Object.entries(queries)) {
        const view = quoteIdent(`out_${port}`);
        await client.query(`CREATE TEMPORARY VIEW ${view} AS ${sql}`);
        const hasRow = step.kind === "query";
        const r = await client.query(`SELECT * FROM ${view}${hasRow ? ` ORDER BY ${row}` : ""}`);
        const fields = r.fields.filter((f) => f.name !== ROW_ORDER_COLUMN);
        got[port] = { rows: r.rows as Record<string, unknown>[], types: fields.map((f) => ({ name: f.name, ...sluiceType(f) }) as Column) };
      }
      for (const c of step.kind === "query" ? (step.checks ?? []) : []) {
        if (c.failingRows === undefined) continue;
        const r = await client.query(`SELECT ${row} FROM (${c.failingRows}) AS f ORDER BY 1`);
        failing = { ...failing, [c.index]: r.rows.map((x: Record<string, unknown>) => Number(x[ROW_ORDER_COLUMN])) };
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!run.result.ok) return { kind: "equal" };
      return { kind: "differs", detail: `PostgreSQL failed where DuckDB did not: ${message}` };
    }
    const duck = run.result;
    if (!duck.ok) return { kind: "differs", detail: `DuckDB failed (${duck.message ?? ""}) where PostgreSQL did not` };
    for (const [port, { rows, types }] of Object.entries(got)) {
      // DuckDB's client names a JSON column's type VARCHAR (JSON is an alias of it there): the declared type says which.
      const declaredJson = new Set((run.outputs[port] ?? []).filter((c) => c.type === "json").map((c) => c.name));
      const duckTypes = (duck.actualTypes[port] ?? []).map((c) => (declaredJson.has(c.name) && c.type === "string" ? { ...c, type: "json" as const } : c));
      const clean = (cs: Column[]) => cs.map((c) => ({ name: c.name, type: c.type, ...(c.type === "decimal" ? { precision: c.precision, scale: c.scale } : {}) }));
      if (!isDeepStrictEqual(clean(types), clean(duckTypes))) {
        return { kind: "differs", detail: `port ${port}: types ${JSON.stringify(clean(types))} on PostgreSQL, ${JSON.stringify(clean(duckTypes))} on DuckDB` };
      }
      const declared = run.outputs[port] ?? types;
      const a = rowsOf(rows, declared);
      const b = rowsOf(duck.rows[port] ?? [], declared);
      if (!isDeepStrictEqual(a, b)) {
        return { kind: "differs", detail: `port ${port}: rows ${JSON.stringify(a)} on PostgreSQL, ${JSON.stringify(b)} on DuckDB` };
      }
    }
    if (!isDeepStrictEqual(failing, duck.failing)) {
      return { kind: "differs", detail: `failing rows ${JSON.stringify(failing)} on PostgreSQL, ${JSON.stringify(duck.failing)} on DuckDB` };
    }
    return await unobservedOnPostgres(client, run, duck, ctx, step);
  } finally {
    await client.query("ROLLBACK");
  }
}
