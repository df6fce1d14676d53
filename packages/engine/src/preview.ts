import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { error, type Column, type Issue, type ParameterValues, type PreviewResponse, type PreviewResult } from "@sluice/model";
import { chooseEngine, compileUpTo, postgresDialect, quoteIdent, ROW_ORDER_COLUMN, validateGraph, type CompiledPipeline, type PipelineEnvironment } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "./connector.ts";
import type { Connectors } from "./connectors/connectors.ts";
import { openSession, type DuckSession, type EngineOptions } from "./duckdb-session.ts";
import { profileTable } from "./column-profile.ts";
import { jsonSafeRows } from "./json-values.ts";
import { PreviewCache, type CacheEntry } from "./preview-cache.ts";
import { computeSteps, type ComputeOutcome } from "./preview-compute.ts";
import { fileStamps, nonDrivingSources, stepKeys, type SamplingPolicy } from "./preview-keys.ts";
import { describeDuckError } from "./duck-error.ts";
import { becameNullIssues } from "./became-null.ts";
import { previewInDatabase } from "./database/database-preview.ts";
import { previewTarget } from "./preview-target.ts";

export interface PreviewOptions {
  engine: EngineOptions;
  /** Loads stage their files in a private folder made under this one (inside engine.allowedDirectories). */
  workDir: string;
  connectors: Connectors;
  connection(id: string): Promise<PostgresConnectionSettings>;
  /** How long a preview may compute on whole sources before it falls back to samples. Default 1 s, so a first preview stays under 2 s. */
  budgetMs?: number;
  /**
   * Sources known to hold more rows than this (files count theirs at upload) are sampled at once, without first trying
   * them whole. Default 250,000: on 2 cores a preview at the end of the benchmark pipeline over 1,000,000 orders ran
   * out of its 1 s budget and then took 0.8 s sampled (1.8 s in all), so anything near that size is sampled at once.
   */
  wholeRows?: number;
  /** How long the sampled attempt may take before the preview gives up. Default 30 s. */
  maxMs?: number;
  /** Rows each driving source is cut to when sampling. Default 100,000. */
  sampleRows?: number;
  /** Rows a load (postgres, http) may bring into a preview; ten times that on a join's non-driving side. Default 100,000. */
  loadRows?: number;
  /** How long loaded (remote) data, and what was computed from it, is reused. Default 5 minutes. */
  loadTtlMs?: number;
  /** Cached step results kept at most, least recently used dropped first. Default 200. */
  cacheSize?: number;
  /** Rows kept in cached results at most, across all of them. Default 50 million. */
  cacheRows?: number;
}

export interface PreviewRequest {
  graph: unknown;
  nodeId: string;
  /** Output port to show; default the node's first output (for a sink: the rows it would write). */
  port?: string | undefined;
  /** Rows to return, 1 to 1,000; default 100. */
  limit?: number | undefined;
  env: PipelineEnvironment;
  /** Parameter values; the rest take their defaults. */
  params?: ParameterValues | undefined;
  /** Aborting it stops the preview (e.g. the client went away). */
  signal?: AbortSignal | undefined;
}

/** A computed preview: the model's preview result (the shape the server and web app check), always counted. */
export type NodePreview = PreviewResult & { rowCount: number };

export interface CompiledPreviewRequest {
  compiled: CompiledPipeline;
  nodeId: string;
  port?: string | undefined;
  limit?: number | undefined;
  signal?: AbortSignal | undefined;
}

export type PreviewOutcome = { ok: true; value: NodePreview } | { ok: false; nodeId: string; code: string; message: string };

const ORDER = quoteIdent(ROW_ORDER_COLUMN);
const MAX_LIMIT = 1000;

const clampLimit = (limit: number | undefined) => Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit ?? 100)));
const typeLabel = (c: Column) => (c.type === "decimal" ? `decimal(${c.precision ?? 18},${c.scale ?? 3})` : c.type);

/**
 * Previews for the editor on one long-lived, locked-down DuckDB, separate from runs. Never runs sinks:
 * a sink shows the rows it would write. Each step's result is cached as a table under a content key
 * (see stepKeys), so an edit recomputes only the edited node and what is downstream of it. A preview first
 * computes on whole sources within a time budget; past it, it falls back to the first rows of each driving
 * source (a join's other side is kept whole, so matches are still found) and says so. Previews run one at a time.
 */
export class PreviewService {
  private session: Promise<{ ok: true; session: DuckSession; workDir: string } | { ok: false; issue: Issue }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache: PreviewCache;
  /** Full-data keys of steps that ran past the budget: later previews of them go straight to samples. */
  private readonly slow = new Map<string, true>();
  private readonly budgetMs: number;
  private readonly maxMs: number;
  private readonly sampleRows: number;
  private readonly wholeRows: number;
  private readonly loadRows: number;
  private readonly loadTtlMs: number;
  /** How many steps were computed rather than served from the cache; for tests and diagnostics. */
  computed = 0;
  /** Node ids in the order they were computed; for tests and diagnostics (last 1,000). */
  readonly computedNodes: string[] = [];

  constructor(private readonly o: PreviewOptions) {
    this.budgetMs = o.budgetMs ?? 1000;
    this.maxMs = o.maxMs ?? 30_000;
    this.sampleRows = o.sampleRows ?? 100_000;
    this.wholeRows = o.wholeRows ?? 250_000;
    this.loadRows = o.loadRows ?? 100_000;
    this.loadTtlMs = o.loadTtlMs ?? 5 * 60_000;
    this.cache = new PreviewCache({ entries: o.cacheSize ?? 200, rows: o.cacheRows ?? 50_000_000 });
  }

  /** Validates and compiles what the node needs, and previews it; problems come back in the answer. */
  preview(request: PreviewRequest): Promise<PreviewResponse> {
    return this.serialized(() => this.previewGraph(request));
  }

  /** Previews a node of a pipeline the caller compiled (e.g. with compileUpTo); nothing is validated here. */
  previewCompiled(r: CompiledPreviewRequest): Promise<PreviewOutcome> {
    return this.serialized(() => this.run(r.compiled, { nodeId: r.nodeId, port: r.port }, clampLimit(r.limit), new Map(), r.signal));
  }

  /** Cached step results and how many steps were computed so far. */
  stats(): { cachedSteps: number; cachedRows: number; computed: number } {
    return { cachedSteps: this.cache.size, cachedRows: this.cache.totalRows, computed: this.computed };
  }

  async close(): Promise<void> {
    await this.serialized(async () => {
      const opened = await this.session;
      this.session = undefined;
      if (opened?.ok) {
        await this.cache.clear(opened.session);
        opened.session.close();
        rmSync(opened.workDir, { recursive: true, force: true });
      }
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private open() {
    this.session ??= (async () => {
      // Previews live beside runs in the same process, so by default they take a smaller share of memory.
      const opened = await openSession(this.o.engine, { memoryShare: 0.25 });
      if (!opened.ok) return { ok: false as const, issue: opened.issues[0] ?? error("ENGINE_START_FAILED", "DuckDB could not start.") };
      mkdirSync(this.o.workDir, { recursive: true });
      return { ok: true as const, session: opened.value, workDir: mkdtempSync(path.join(this.o.workDir, "preview-")) };
    })();
    return this.session;
  }

  private async previewGraph(r: PreviewRequest): Promise<PreviewResponse> {
    const started = Date.now();
    const empty = (problems: Issue[]): PreviewResponse => ({ columns: [], rows: [], profile: {}, rowCount: null, sampled: null, elapsedMs: Date.now() - started, problems });
    // A pipeline whose runs execute in the database is previewed there too, so what the preview shows is what a run gives.
    const choice = chooseEngine(r.graph, r.env, { params: r.params });
    const inDatabase = choice.ok && choice.value.engine === "database" ? choice.value.connectionId : undefined;
    const compiled = compileUpTo(r.graph, r.env, r.nodeId, { params: r.params, ...(inDatabase ? { dialect: postgresDialect } : {}) });
    if (!compiled.ok) return empty(compiled.issues);
    const needed = new Set(compiled.value.steps.map((s) => s.nodeId));
    const problems = validateGraph(r.graph, r.env, { params: r.params }).problems.filter((p) => p.severity === "warning" || (p.nodeId !== undefined && needed.has(p.nodeId)));
    const target = { nodeId: r.nodeId, port: r.port };
    const out = inDatabase ? await this.runInDatabase(compiled.value, target, inDatabase, clampLimit(r.limit), r.signal) : await this.run(compiled.value, target, clampLimit(r.limit), fileStamps(r.graph, r.env), r.signal);
    if (!out.ok) return empty([...problems, error(out.code, out.message, { nodeId: out.nodeId })]);
    // Values a conversion nulled are a warning on the node, beside the per-column counts the result carries.
    return { ...out.value, elapsedMs: Date.now() - started, problems: [...problems, ...becameNullIssues(r.nodeId, out.value.becameNull ?? [])] };
  }

  /**
   * In the database of the pipeline's one connection (previewInDatabase), with the same budget and cuts as on DuckDB.
   * Nothing is cached between previews: each runs again in the database.
   */
  private async runInDatabase(compiled: CompiledPipeline, target: { nodeId: string; port?: string | undefined }, connectionId: string, limit: number, signal: AbortSignal | undefined): Promise<PreviewOutcome> {
    let settings: PostgresConnectionSettings;
    try {
      settings = await this.o.connection(connectionId);
    } catch (e) {
      return { ok: false, nodeId: target.nodeId, code: "CONNECTION_NOT_FOUND", message: `Connection ${connectionId} cannot be used: ${(e as Error).message}` };
    }
    const started = Date.now();
    const base = { loadRows: this.loadRows, nonDrivingLoadRows: this.loadRows * 10, nonDriving: nonDrivingSources(compiled) };
    const attempt = (sourceRows: number | undefined, timeoutMs: number) => {
      // Made only if a file or HTTP source is staged, and removed with the attempt.
      const workDir = path.join(this.o.workDir, `preview-db-${randomUUID()}`);
      const staging = { engine: this.o.engine, workDir, connectors: this.o.connectors, connection: this.o.connection, memoryShare: 0.25 };
      return previewInDatabase(compiled, target, { settings, staging, limit, policy: { ...base, sourceRows }, timeoutMs, signal });
    };
    // As on DuckDB: whole sources within the budget, else the first sampleRows rows of each within what is left of maxMs.
    let out = await attempt(undefined, this.budgetMs);
    if (!out.ok && out.timedOut) out = await attempt(this.sampleRows, Math.max(this.budgetMs, this.maxMs - (Date.now() - started)));
    if (!out.ok && out.timedOut) {
      return { ok: false, nodeId: out.nodeId, code: "PREVIEW_TOO_SLOW", message: `This step takes longer than ${Math.round(this.maxMs / 1000)} s to preview in the database, even on the first ${this.sampleRows.toLocaleString("en-US")} rows of each source.` };
    }
    return out;
  }

  private async run(
    compiled: CompiledPipeline,
    target: { nodeId: string; port?: string | undefined },
    limit: number,
    stamps: Map<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<PreviewOutcome> {
    const started = Date.now();
    const nodeId = target.nodeId;
    const fail = (code: string, message: string, at = nodeId): PreviewOutcome => ({ ok: false, nodeId: at, code, message });
    // Aborted while waiting its turn: nothing to do.
    if (signal?.aborted) return fail("PREVIEW_CANCELLED", "The preview was cancelled.");
    const found = previewTarget(compiled, target);
    if ("code" in found) return fail(found.code, found.message);
    const { relation, columns } = found;
    const producer = compiled.steps.find((s) => Object.values(s.relations).includes(relation));
    const producerPort = producer && Object.entries(producer.relations).find(([, rel]) => rel === relation)?.[0];
    if (!producer || !producerPort) return fail("UNKNOWN_PORT", `Node "${nodeId}" has no input to show.`);

    const opened = await this.open();
    if (!opened.ok) {
      this.session = undefined; // try again on the next preview
      return fail(opened.issue.code, opened.issue.message);
    }
    const { session, workDir } = opened;
    const steps = compiled.steps.filter((s) => s.step.kind !== "sink");
    const base = { loadRows: this.loadRows, nonDrivingLoadRows: this.loadRows * 10, nonDriving: nonDrivingSources(compiled) };
    const full: SamplingPolicy = { ...base, sourceRows: undefined };
    const sampled: SamplingPolicy = { ...base, sourceRows: this.sampleRows };
    const compute = (policy: SamplingPolicy, keys: Map<string, string>, timeoutMs: number) =>
      computeSteps({
        session,
        cache: this.cache,
        env: { connectors: this.o.connectors, workDir, connection: this.o.connection, log: () => undefined },
        steps,
        keys,
        policy,
        timeoutMs,
        signal,
        loadTtlMs: this.loadTtlMs,
        onComputed: (id) => {
          this.computed++;
          this.computedNodes.push(id);
          if (this.computedNodes.length > 1000) this.computedNodes.shift();
        },
      });

    const fullKeys = stepKeys(compiled, stamps, full);
    // A source far bigger than what the budget can read would only spend the budget before sampling anyway.
    const tooBig = steps.some((s) => s.step.kind === "query" && (s.step.knownRows ?? 0) > this.wholeRows && !this.cache.has(fullKeys.get(s.nodeId) ?? ""));
    const knownSlow = tooBig || [...fullKeys.values()].some((k) => this.slow.has(k) && !this.cache.has(k));
    let outcome: ComputeOutcome | undefined;
    if (!knownSlow) {
      outcome = await compute(full, fullKeys, this.budgetMs);
      if (!outcome.ok && outcome.reason === "timeout") {
        this.slow.set(outcome.key, true);
        if (this.slow.size > 1000) this.slow.delete(this.slow.keys().next().value as string);
        outcome = undefined;
      }
    }
    outcome ??= await compute(sampled, stepKeys(compiled, stamps, sampled), Math.max(this.budgetMs, this.maxMs - (Date.now() - started)));
    if (!outcome.ok) {
      switch (outcome.reason) {
        case "cancelled":
          return fail("PREVIEW_CANCELLED", "The preview was cancelled.", outcome.nodeId);
        case "timeout":
          return fail("PREVIEW_TOO_SLOW", `This step takes longer than ${Math.round(this.maxMs / 1000)} s to preview, even on the first ${this.sampleRows.toLocaleString("en-US")} rows of each source.`, outcome.nodeId);
        case "error":
          return fail(outcome.code, outcome.message, outcome.nodeId);
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    }
    const entry = outcome.entries.get(producer.nodeId);
    const table = entry?.tables[producerPort];
    if (!entry || !table) return fail("PREVIEW_FAILED", "The step's result is missing.");
    try {
      return { ok: true, value: await this.render(session, entry, producerPort, table, columns, limit, started) };
    } catch (e) {
      const d = describeDuckError(e);
      return fail(d.code, d.message);
    }
  }

  private async render(session: DuckSession, entry: CacheEntry, port: string, table: string, columns: Column[], limit: number, started: number): Promise<NodePreview> {
    const n = Math.min(MAX_LIMIT, Math.max(0, Math.floor(limit)));
    const read = columns.length
      ? await session.read(`SELECT ${columns.map((c) => quoteIdent(c.name)).join(", ")} FROM ${table} ORDER BY ${ORDER} LIMIT ${n}`)
      : { columns: [], rows: [] };
    let profile = entry.profiles.get(port);
    if (!profile) {
      profile = await profileTable(session, table, columns);
      entry.profiles.set(port, profile);
    }
    return {
      columns: columns.map((c) => ({ name: c.name, type: typeLabel(c) })),
      rows: jsonSafeRows(read.rows, read.columns),
      profile: profile.profile,
      rowCount: profile.rowCount,
      sampled: entry.sampledAt === null ? null : { sourceRows: entry.sampledAt },
      elapsedMs: Date.now() - started,
      engine: "duckdb",
      ...(entry.checks ? { checks: entry.checks } : {}),
      ...(entry.becameNull ? { becameNull: entry.becameNull } : {}),
    };
  }
}
