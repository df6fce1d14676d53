import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Column } from "@sluice/model";
import type { CompiledNodeStep, CompiledPipeline } from "@sluice/pipeline";
import { quoteIdent, ROW_ORDER_COLUMN } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "./connector.ts";
import type { Connectors } from "./connectors/connectors.ts";
import { openSession, readableDuckError, type DuckSession, type EngineOptions } from "./duckdb-session.ts";

export interface PreviewOptions {
  engine: EngineOptions;
  workDir: string;
  connectors: Connectors;
  connection(id: string): Promise<PostgresConnectionSettings>;
  /** Above this many rows a source is sampled, so a preview stays interactive on big data. */
  sampleRows?: number;
  /** At most this many cached step results are kept; the least recently used are dropped. */
  cacheSize?: number;
}

export interface ColumnProfile {
  nulls: number;
  distinct: number;
  min: unknown;
  max: unknown;
}

export interface NodePreview {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  profile: Record<string, ColumnProfile>;
  rowCount: number;
  sampled: { sourceRows: number } | null;
  elapsedMs: number;
}

export type PreviewOutcome = { ok: true; value: NodePreview } | { ok: false; nodeId: string; message: string };

const ORDER = quoteIdent(ROW_ORDER_COLUMN);

/**
 * Previews on one long-lived DuckDB. Each step's result is cached under a hash of its SQL and of its
 * inputs' hashes, so editing a node recomputes only that node and what lies downstream of it. Sources
 * larger than `sampleRows` are cut to their first rows, except sources on the right side of a join, so
 * a sampled join still finds its matches; the result then says it was sampled.
 */
export class PreviewService {
  private session: Promise<DuckSession> | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, { sourceRows: number | null; sampled: boolean }>();
  private readonly sampleRows: number;
  private readonly cacheSize: number;
  /** How many steps were computed (not served from cache); for tests and diagnostics. */
  computed = 0;

  constructor(private readonly o: PreviewOptions) {
    this.sampleRows = o.sampleRows ?? 200_000;
    this.cacheSize = o.cacheSize ?? 200;
    mkdirSync(o.workDir, { recursive: true });
  }

  preview(compiled: CompiledPipeline, nodeId: string, limit: number, port?: string): Promise<PreviewOutcome> {
    const run = this.lock.then(() => this.previewLocked(compiled, nodeId, limit, port));
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async previewLocked(compiled: CompiledPipeline, nodeId: string, limit: number, port?: string): Promise<PreviewOutcome> {
    const started = Date.now();
    this.session ??= openSession(this.o.engine);
    const session = await this.session;
    const keys = new Map<string, string>();
    const unsampled = rightSideSources(compiled);
    let sampled: number | null = null;
    for (const s of compiled.steps) {
      const key = stepKey(s, keys);
      for (const p of Object.keys(s.relations)) keys.set(s.relations[p]!, `${key}_${p}`);
      if (s.step.kind === "sink") continue;
      try {
        // The step's SQL names its inputs by node; point those names at the cached tables.
        for (const rel of Object.values(s.inputRelations).flat()) {
          await session.duck.run(`CREATE OR REPLACE TEMP VIEW ${rel} AS SELECT * FROM ${quoteIdent(`c_${keys.get(rel)}`)}`);
        }
        const hit = this.cache.get(key);
        if (hit) {
          this.cache.delete(key);
          this.cache.set(key, hit); // most recently used last
          if (hit.sampled && hit.sourceRows !== null) sampled = Math.max(sampled ?? 0, hit.sourceRows);
          continue;
        }
        this.computed++;
        const entry = await this.computeStep(session, s, key, !unsampled.has(s.nodeId));
        if (entry.sampled && entry.sourceRows !== null) sampled = Math.max(sampled ?? 0, entry.sourceRows);
        this.cache.set(key, entry);
        await this.evict(session);
      } catch (e) {
        return { ok: false, nodeId: s.nodeId, message: readableDuckError(e) };
      }
    }
    const target = compiled.steps.find((s) => s.nodeId === nodeId);
    if (!target) return { ok: false, nodeId, message: `Node "${nodeId}" is not in the graph.` };
    // A sink shows the rows it would write: its input.
    const rel =
      target.step.kind === "sink"
        ? target.inputRelations.in?.[0]
        : target.relations[port ?? Object.keys(target.relations)[0] ?? "out"];
    const columns: Column[] =
      target.step.kind === "sink" ? (target.inputs.in?.[0] ?? []) : (target.outputs[port ?? Object.keys(target.outputs)[0] ?? "out"] ?? []);
    if (!rel || !keys.has(rel)) return { ok: false, nodeId, message: `Node "${nodeId}" has no output "${port ?? "out"}".` };
    const table = quoteIdent(`c_${keys.get(rel)}`);
    try {
      const names = columns.map((c) => quoteIdent(c.name));
      const rows = columns.length
        ? jsonSafe(await session.duck.query(`SELECT ${names.join(", ")} FROM ${table} ORDER BY ${ORDER} LIMIT ${Math.max(0, Math.floor(limit))}`), columns)
        : [];
      const { rowCount, profile } = await profileTable(session, table, columns);
      return {
        ok: true,
        value: {
          columns: columns.map((c) => ({ name: c.name, type: c.type === "decimal" ? `decimal(${c.precision ?? 18},${c.scale ?? 3})` : c.type })),
          rows,
          profile,
          rowCount,
          sampled: sampled === null ? null : { sourceRows: sampled },
          elapsedMs: Date.now() - started,
        },
      };
    } catch (e) {
      return { ok: false, nodeId, message: readableDuckError(e) };
    }
  }

  private async computeStep(session: DuckSession, s: CompiledNodeStep, key: string, maySample: boolean) {
    const step = s.step;
    let sourceRows: number | null = null;
    let sampled = false;
    if (step.kind === "query") {
      for (const [p, sql] of Object.entries(step.outputs)) {
        const table = quoteIdent(`c_${key}_${p}`);
        const isSource = Object.keys(s.inputRelations).length === 0;
        await session.duck.run(`CREATE OR REPLACE TABLE ${table} AS ${sql}`);
        if (isSource && maySample) {
          sourceRows = Number((await session.duck.query(`SELECT count(*)::BIGINT AS n FROM ${table}`))[0]?.n ?? 0);
          if (sourceRows > this.sampleRows) {
            sampled = true;
            await session.duck.run(`DELETE FROM ${table} WHERE ${ORDER} > ${this.sampleRows}`);
          }
        }
      }
    } else if (step.kind === "load") {
      const table = quoteIdent(`c_${key}_${Object.keys(s.relations)[0] ?? "out"}`);
      await session.duck.run(`DROP TABLE IF EXISTS ${table}`);
      const r = await this.o.connectors.load(
        step.source,
        {
          duck: session.duck,
          workDir: this.o.workDir,
          signal: new AbortController().signal,
          nodeId: s.nodeId,
          connection: this.o.connection,
          log: () => {},
          table,
          columns: Object.values(s.outputs)[0] ?? [],
        },
        step.spec,
      );
      if (!r.ok) throw new Error(r.issues.map((i) => i.message).join(" "));
    }
    return { sourceRows, sampled };
  }

  private async evict(session: DuckSession) {
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      const tables = await session.duck.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE ${`'c_${oldest}_%'`}`);
      for (const t of tables) await session.duck.run(`DROP TABLE IF EXISTS ${quoteIdent(String(t.table_name))}`);
    }
  }

  async close() {
    const s = await this.session;
    s?.close();
    this.session = undefined;
  }
}

/** A step's cache key: its own compiled form plus its inputs' keys, so any upstream change shows. */
function stepKey(s: CompiledNodeStep, keys: Map<string, string>): string {
  const inputs = Object.entries(s.inputRelations).map(([p, rels]) => [p, rels.map((r) => keys.get(r) ?? r)]);
  return createHash("sha256").update(JSON.stringify([s.type, s.step, inputs])).digest("hex").slice(0, 24);
}

/** Source nodes whose rows reach a join's right side: never sampled, so sampled left rows still match. */
function rightSideSources(compiled: CompiledPipeline): Set<string> {
  const byRelation = new Map<string, CompiledNodeStep>();
  for (const s of compiled.steps) for (const rel of Object.values(s.relations)) byRelation.set(rel, s);
  const out = new Set<string>();
  const visit = (rel: string) => {
    const s = byRelation.get(rel);
    if (!s || out.has(s.nodeId)) return;
    out.add(s.nodeId);
    for (const r of Object.values(s.inputRelations).flat()) visit(r);
  };
  for (const s of compiled.steps) for (const r of s.inputRelations.right ?? []) visit(r);
  return out;
}

/** Whole numbers as JSON numbers while they are exact; larger ones stay strings so no digit is lost. */
function jsonSafe(rows: Record<string, unknown>[], columns: Column[]) {
  const whole = columns.filter((c) => c.type === "bigint" || c.type === "integer").map((c) => c.name);
  if (!whole.length) return rows;
  for (const row of rows) {
    for (const name of whole) {
      const v = row[name];
      if (typeof v === "string" && Number.isSafeInteger(Number(v))) row[name] = Number(v);
    }
  }
  return rows;
}

async function profileTable(session: DuckSession, table: string, columns: Column[]) {
  const parts = [`count(*)::BIGINT AS "n"`];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    const comparable = c.type !== "json" && c.type !== "boolean";
    parts.push(`(count(*) - count(${col}))::BIGINT AS "n${i}"`, `approx_count_distinct(${col})::BIGINT AS "d${i}"`);
    parts.push(comparable ? `min(${col})::VARCHAR AS "lo${i}", max(${col})::VARCHAR AS "hi${i}"` : `NULL AS "lo${i}", NULL AS "hi${i}"`);
  });
  const [row] = await session.duck.query(`SELECT ${parts.join(", ")} FROM ${table}`);
  const profile: Record<string, ColumnProfile> = {};
  columns.forEach((c, i) => {
    profile[c.name] = { nulls: Number(row?.[`n${i}`] ?? 0), distinct: Number(row?.[`d${i}`] ?? 0), min: row?.[`lo${i}`] ?? null, max: row?.[`hi${i}`] ?? null };
  });
  return { rowCount: Number(row?.n ?? 0), profile };
}
