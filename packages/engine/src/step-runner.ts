import type { Column, Issue } from "@sluice/model";
import { quoteIdent, ROW_ORDER_COLUMN, type CompiledNodeStep } from "@sluice/pipeline";
import type { LoadContext, PostgresConnectionSettings } from "./connector.ts";
import type { Connectors } from "./connectors/connectors.ts";
import type { WatermarkMove, WatermarkRange } from "./connectors/postgres-watermark.ts";
import type { DuckSession } from "./duckdb-session.ts";
import { describeDuckError } from "./duck-error.ts";

/** What every step gets from the run or preview it belongs to. */
export interface StepEnvironment {
  session: DuckSession;
  connectors: Connectors;
  workDir: string;
  /** Aborted when the work must stop; connectors watch it. */
  signal: AbortSignal;
  connection(id: string): Promise<PostgresConnectionSettings>;
  log(level: "info" | "warn" | "error", message: string, nodeId: string): void;
  /** A run's incremental sources, by node id: where each reads from. */
  watermarks?: ReadonlyMap<string, WatermarkRange> | undefined;
}

export type StepResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export const stepFailed = <T>(code: string, message: string): StepResult<T> => ({ ok: false, code, message });

/** A thrown error (from DuckDB or a connector's bug) as a failed step; DuckDB's errors are already translated. */
export function failedFrom<T>(e: unknown, session: DuckSession): StepResult<T> {
  const d = describeDuckError(e, { memoryLimit: session.memoryLimit });
  return { ok: false, code: d.code, message: d.message };
}

const issuesText = (issues: Issue[]) => issues.map((i) => i.message).join(" ");

/** How a run stored a relation: "numbered" is a table of rows in row order under a view adding the row order column. */
export type RelationKind = "table" | "view" | "numbered";

/** The table holding a numbered relation's rows. */
const numberedRows = (relation: string) => `${relation.slice(0, -1)}#rows"`;

/** Stores rows that come in row order, numbering them by position (rowid) instead of by a window while reading. */
export async function createNumbered(session: Pick<DuckSession, "run">, relation: string, unnumbered: string): Promise<void> {
  await session.run(`CREATE TABLE ${numberedRows(relation)} AS ${unnumbered}`);
  await session.run(`CREATE VIEW ${relation} AS SELECT *, rowid + 1 AS ${quoteIdent(ROW_ORDER_COLUMN)} FROM ${numberedRows(relation)}`);
}

export async function dropRelation(session: DuckSession, relation: string, kind: RelationKind | undefined): Promise<void> {
  await session.run(`DROP ${kind === "table" || kind === undefined ? "TABLE" : "VIEW"} IF EXISTS ${relation}`);
  if (kind === "numbered") await session.run(`DROP TABLE IF EXISTS ${numberedRows(relation)}`);
}

export async function countRows(session: DuckSession, relation: string): Promise<number> {
  const rows = await session.query(`SELECT count(*)::BIGINT AS n FROM ${relation}`);
  return Number(rows[0]?.n ?? 0);
}

function connectorContext(env: StepEnvironment, s: CompiledNodeStep) {
  return {
    duck: env.session.duck,
    workDir: env.workDir,
    signal: env.signal,
    nodeId: s.nodeId,
    connection: env.connection,
    log: (level: "info" | "warn" | "error", message: string) => env.log(level, message, s.nodeId),
  };
}

/**
 * A load step through the injected loader: it creates `table` (with the row order column). `rowLimit` asks
 * the loader for at most that many rows (previews); loaders that cannot stop early are cut afterwards.
 */
export async function loadStep(
  env: StepEnvironment,
  s: CompiledNodeStep,
  table: string,
  o: { rowLimit?: number | undefined } = {},
): Promise<StepResult<{ rows: number; watermark?: WatermarkMove }>> {
  if (s.step.kind !== "load") throw new Error(`step ${s.nodeId} is not a load step`);
  const columns: Column[] = Object.values(s.outputs)[0] ?? [];
  // rowLimit is an extension of LoadContext that loaders may honour; the cut below holds either way.
  const watermark = env.watermarks?.get(s.nodeId);
  const ctx: LoadContext & { rowLimit?: number } = { ...connectorContext(env, s), table, columns, ...(watermark ? { watermark } : {}), ...(o.rowLimit !== undefined ? { rowLimit: o.rowLimit } : {}) };
  try {
    const r = await env.connectors.load(s.step.source, ctx, s.step.spec);
    if (!r.ok) return stepFailed(r.issues[0]?.code ?? "LOAD_FAILED", issuesText(r.issues));
    let rows = r.value.rowsLoaded;
    if (o.rowLimit !== undefined && rows > o.rowLimit) {
      await env.session.run(`DELETE FROM ${table} WHERE ${quoteIdent(ROW_ORDER_COLUMN)} > ${Math.floor(o.rowLimit)}`);
      rows = await countRows(env.session, table);
    }
    return { ok: true, value: { rows, ...(r.value.watermark ? { watermark: r.value.watermark } : {}) } };
  } catch (e) {
    return failedFrom(e, env.session);
  }
}

/** A sink step through the injected sink: it writes the step's SELECT (ordered, without the row order column). */
export async function sinkStep(
  env: StepEnvironment,
  s: CompiledNodeStep,
  loadKey: { runId: string; nodeId: string },
  /** The input is stored or cheap to compute: if it comes in row order, the sink can skip sorting it. */
  inputIsCheap = false,
): Promise<StepResult<{ rowsWritten: number; output?: { name: string; bytes: number } }>> {
  if (s.step.kind !== "sink") throw new Error(`step ${s.nodeId} is not a sink step`);
  const columns = Object.values(s.inputs)[0]?.[0] ?? [];
  try {
    const relation = s.inputRelations.in?.[0];
    const asStored = inputIsCheap && s.step.inputAsStored && relation && (await storedInRowOrder(env.session, relation));
    const select = asStored ? s.step.inputAsStored! : s.step.input;
    const r = await env.connectors.sink(s.step.target, { ...connectorContext(env, s), select, columns, loadKey }, s.step.spec);
    if (!r.ok) return stepFailed(r.issues[0]?.code ?? "SINK_FAILED", issuesText(r.issues));
    return { ok: true, value: { rowsWritten: r.value.rowsWritten, ...(r.value.output ? { output: r.value.output } : {}) } };
  } catch (e) {
    return failedFrom(e, env.session);
  }
}

/**
 * Whether a relation's rows, read as stored, are already in row order. Tables are written in the order
 * their query produced and read back in that order (DuckDB preserves insertion order), and most steps keep
 * their input's order, so this is usually true: one streaming pass over a column instead of a sort.
 */
export async function storedInRowOrder(session: DuckSession, table: string): Promise<boolean> {
  const row = quoteIdent(ROW_ORDER_COLUMN);
  const r = await session.query(`SELECT count(*) FILTER (WHERE ${row} < previous) AS n FROM (SELECT ${row}, lag(${row}) OVER () AS previous FROM ${table})`);
  return Number(r[0]?.n ?? 1) === 0;
}

/**
 * Finds which streamed (view) step really caused a failure seen downstream: computes every column of
 * each candidate view in order, without storing anything, and names the first that fails. A count alone
 * would not do: DuckDB skips computing columns that a count does not need.
 */
export async function firstFailingView(session: DuckSession, views: { nodeId: string; relation: string }[]): Promise<string | undefined> {
  for (const v of views) {
    try {
      await session.query(`SELECT count(*) AS n, bit_xor(hash(probe)) AS h FROM ${v.relation} AS probe`);
    } catch {
      return v.nodeId;
    }
  }
  return undefined;
}
