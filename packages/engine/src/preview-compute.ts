import { quoteIdent, ROW_ORDER_COLUMN, type CompiledNodeStep } from "@sluice/pipeline";
import type { DuckSession } from "./duckdb-session.ts";
import { PreviewCache, type CacheEntry } from "./preview-cache.ts";
import { rowCapOf, type SamplingPolicy } from "./preview-keys.ts";
import { countBecameNull } from "./became-null.ts";
import { evaluateChecks } from "./quality-checks.ts";
import { StopSwitch, type StopReason } from "./stop-switch.ts";
import { countRows, failedFrom, loadStep, type StepEnvironment, type StepResult } from "./step-runner.ts";

export interface ComputeInput {
  session: DuckSession;
  cache: PreviewCache;
  /** Everything a load step needs but the session and the stop signal. */
  env: Omit<StepEnvironment, "session" | "signal">;
  steps: CompiledNodeStep[];
  keys: Map<string, string>;
  policy: SamplingPolicy;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  loadTtlMs: number;
  /** Called for every step actually computed (not served from the cache). */
  onComputed(nodeId: string): void;
}

export type ComputeOutcome =
  | { ok: true; entries: Map<string, CacheEntry> }
  | { ok: false; reason: StopReason; nodeId: string; key: string }
  | { ok: false; reason: "error"; nodeId: string; code: string; message: string };

const ORDER = quoteIdent(ROW_ORDER_COLUMN);

/**
 * Brings every step's result into the cache, in order, reusing what is there. A step reads its inputs
 * through temporary views named like the relations its SQL expects, pointing at the cached tables.
 * Stops at the deadline or on the caller's signal, naming the step it stopped in.
 */
export async function computeSteps(c: ComputeInput): Promise<ComputeOutcome> {
  const entries = new Map<string, CacheEntry>();
  /** Relation name in the compiled SQL → the cached table and the entry holding it. */
  const relations = new Map<string, { table: string; entry: CacheEntry }>();
  const pinned = new Set(c.keys.values());
  const stop = new StopSwitch(c.session, { signal: c.signal, timeoutMs: c.timeoutMs });
  try {
    for (const s of c.steps) {
      const key = c.keys.get(s.nodeId);
      if (!key) throw new Error(`no preview key for ${s.nodeId}`);
      if (stop.reason) return { ok: false, reason: stop.reason, nodeId: s.nodeId, key };
      const inputs = Object.values(s.inputRelations).flat();
      let entry = c.cache.get(key);
      if (!entry) {
        c.onComputed(s.nodeId);
        const r = await computeStep(c, s, key, inputs, relations, stop.signal);
        if (r.ok) c.cache.put(r.value);
        if (stop.reason) return { ok: false, reason: stop.reason, nodeId: s.nodeId, key };
        if (!r.ok) return { ok: false, reason: "error", nodeId: s.nodeId, code: r.code, message: r.message };
        entry = r.value;
      }
      entries.set(s.nodeId, entry);
      for (const [port, rel] of Object.entries(s.relations)) {
        const table = entry.tables[port];
        if (table) relations.set(rel, { table, entry });
      }
    }
    await c.cache.evict(c.session, pinned);
    return { ok: true, entries };
  } finally {
    stop.dispose();
  }
}

async function computeStep(
  c: ComputeInput,
  s: CompiledNodeStep,
  key: string,
  inputs: string[],
  relations: Map<string, { table: string; entry: CacheEntry }>,
  signal: AbortSignal,
): Promise<StepResult<CacheEntry>> {
  const session = c.session;
  const upstream = inputs.flatMap((rel) => {
    const r = relations.get(rel);
    return r ? [r.entry] : [];
  });
  const cap = rowCapOf(s, c.policy);
  const entry: CacheEntry = {
    key,
    nodeId: s.nodeId,
    tables: {},
    rows: {},
    sampledAt: max(upstream.map((e) => e.sampledAt)),
    expiresAt: min(upstream.map((e) => e.expiresAt)),
    profiles: new Map(),
  };
  try {
    for (const rel of inputs) {
      const table = relations.get(rel)?.table;
      if (!table) return { ok: false, code: "PREVIEW_INPUT_MISSING", message: `The input ${rel} was not computed.` };
      await session.run(`CREATE OR REPLACE TEMP VIEW ${rel} AS SELECT * FROM ${table}`);
    }
    const step = s.step;
    if (step.kind === "query") {
      for (const [port, sql] of Object.entries(step.outputs)) {
        const table = PreviewCache.tableName(key, port);
        // One row more than the cap tells whether the source really had more; LIMIT over a scan stops reading early.
        await session.run(`CREATE OR REPLACE TABLE ${table} AS ${cap === undefined ? sql : `SELECT * FROM (${sql}) LIMIT ${cap + 1}`}`);
        entry.tables[port] = table;
        let rows = await countRows(session, table);
        if (cap !== undefined && rows > cap) {
          await session.run(`DELETE FROM ${table} WHERE ${ORDER} = (SELECT max(${ORDER}) FROM ${table})`);
          rows = cap;
          entry.sampledAt = Math.max(entry.sampledAt ?? 0, cap);
        }
        entry.rows[port] = rows;
      }
      const main = s.inputRelations.in?.[0];
      if (step.checks?.length && main) entry.checks = await evaluateChecks(session, s.nodeId, step.checks, await countRows(session, main));
      if (step.becameNull) entry.becameNull = await countBecameNull(session, step.becameNull, entry.tables[step.becameNull.port]);
    } else if (step.kind === "load") {
      const port = Object.keys(s.relations)[0] ?? "out";
      const table = PreviewCache.tableName(key, port);
      await session.run(`DROP TABLE IF EXISTS ${table}`);
      const r = await loadStep({ ...c.env, session, signal }, s, table, cap === undefined ? {} : { rowLimit: cap + 1 });
      if (!r.ok) return r;
      let rows = r.value.rows;
      if (cap !== undefined && rows > cap) {
        await session.run(`DELETE FROM ${table} WHERE ${ORDER} > ${cap}`);
        rows = cap;
        entry.sampledAt = Math.max(entry.sampledAt ?? 0, cap);
      }
      entry.tables[port] = table;
      entry.rows[port] = rows;
      entry.expiresAt = Date.now() + c.loadTtlMs;
    } else {
      return { ok: false, code: "PREVIEW_SINK", message: "Previews never run sinks." };
    }
    return { ok: true, value: entry };
  } catch (e) {
    // A step with several outputs may have stored some of them: nothing half-done stays behind.
    for (const table of Object.values(entry.tables)) await session.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    return failedFrom(e, session);
  }
}

function max(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}

function min(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
}
