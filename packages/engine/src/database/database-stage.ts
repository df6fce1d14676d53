import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { unlink } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { postgresDialect, quoteIdent, quoteLiteral, ROW_ORDER_COLUMN, STAGED_SOURCE_TYPES, type CompiledNodeStep } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import type { Connectors } from "../connectors/connectors.ts";
import { copyFromFile } from "../connectors/pg-copy.ts";
import { describeDuckError } from "../duck-error.ts";
import { openSession, type DuckSession, type EngineOptions } from "../duckdb-session.ts";
import { StopSwitch } from "../stop-switch.ts";
import { loadStep, type StepResult } from "../step-runner.ts";

/** What reading a file or HTTP source needs: the worker's DuckDB and connectors, exactly as a run on DuckDB has them. */
export interface StagingOptions {
  engine: EngineOptions;
  /** A private folder for the staged rows (inside engine.allowedDirectories); created, and removed by close(). */
  workDir: string;
  connectors: Connectors;
  connection(id: string): Promise<PostgresConnectionSettings>;
  /** DuckDB's share of memory when this opens its own session (previews take less than runs). */
  memoryShare?: number | undefined;
}

const ORDER = quoteIdent(ROW_ORDER_COLUMN);

/** A source a run in the database copies in before the rest runs there (chooseEngine's `staged`). */
export const isStagedSource = (s: CompiledNodeStep): boolean => STAGED_SOURCE_TYPES.has(s.type);

/**
 * Copies file and HTTP sources into a PostgreSQL session. The worker reads each source with DuckDB exactly as a run on
 * DuckDB does (a file with its step's own SQL, an API through its loader), writes the rows as CSV in its work folder
 * and streams that into `COPY … FROM STDIN` of a temporary table named like the source's relation, typed with the
 * PostgreSQL dialect's types and carrying the row order column, so the nodes' SQL reads it as it reads a table source.
 * The CSV is the PostgreSQL sink's format, so values arrive as exactly as a sink writes them. A temporary table is seen
 * by no other session and goes with the transaction (ON COMMIT DROP) or the session.
 */
export class SourceStager {
  private session: DuckSession | undefined;

  constructor(private readonly o: StagingOptions) {}

  /** Fills the temporary table `s.relations.out` in `client`'s session; at most `rowLimit` rows when given. Resolves with the rows copied. */
  async stage(client: pg.Client, s: CompiledNodeStep, signal: AbortSignal, rowLimit?: number): Promise<StepResult<{ rows: number }>> {
    const relation = s.relations.out;
    const columns = s.outputs.out ?? [];
    if (!relation || !isStagedSource(s)) return { ok: false, code: "NOT_PUSHABLE", message: "Only a file or HTTP source is copied into the database." };
    const session = await this.open();
    if (!session.ok) return session;
    const duck = session.value;
    const csv = path.join(this.o.workDir, `stage-${s.nodeId}-${randomUUID()}.csv`);
    const list = [...columns.map((c) => quoteIdent(c.name)), ORDER].join(", ");
    const limit = rowLimit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(rowLimit))}`;
    const stop = new StopSwitch(duck, { signal });
    try {
      try {
        let from: string;
        if (s.step.kind === "query") {
          const sql = s.step.outputs.out;
          if (!sql) return { ok: false, code: "NOT_PUSHABLE", message: "The source has no output." };
          from = `(${sql}) AS src`;
        } else {
          const loaded = await loadStep({ session: duck, connectors: this.o.connectors, workDir: this.o.workDir, signal: stop.signal, connection: this.o.connection, log: () => undefined }, s, relation, rowLimit === undefined ? {} : { rowLimit });
          if (!loaded.ok) return loaded;
          from = relation;
        }
        await duck.run(`COPY (SELECT ${list} FROM ${from} ORDER BY ${ORDER}${limit}) TO ${quoteLiteral(csv)} (FORMAT csv, HEADER false)`);
      } catch (e) {
        const d = describeDuckError(e, { memoryLimit: duck.memoryLimit });
        return { ok: false, code: d.code, message: d.message };
      } finally {
        await duck.run(`DROP TABLE IF EXISTS ${relation}`).catch(() => undefined);
      }
      if (signal.aborted) return { ok: false, code: "RUN_CANCELLED", message: "Cancelled." };
      const defs = [...columns.map((c) => `${quoteIdent(c.name)} ${postgresDialect.type(c)}`), `${ORDER} BIGINT`].join(", ");
      await client.query(`CREATE TEMPORARY TABLE ${relation} (${defs}) ON COMMIT DROP`);
      const rows = await copyFromFile(client, `COPY ${relation} (${list}) FROM STDIN WITH (FORMAT csv)`, csv, signal);
      return { ok: true, value: { rows } };
    } finally {
      stop.dispose();
      await unlink(csv).catch(() => undefined);
    }
  }

  /** Closes DuckDB and removes the work folder. */
  close(): void {
    this.session?.close();
    this.session = undefined;
    rmSync(this.o.workDir, { recursive: true, force: true });
  }

  private async open(): Promise<StepResult<DuckSession>> {
    if (this.session) return { ok: true, value: this.session };
    mkdirSync(this.o.workDir, { recursive: true });
    const opened = await openSession(this.o.engine, this.o.memoryShare === undefined ? {} : { memoryShare: this.o.memoryShare });
    if (!opened.ok) return { ok: false, code: opened.issues[0]?.code ?? "ENGINE_START_FAILED", message: opened.issues[0]?.message ?? "DuckDB could not start." };
    this.session = opened.value;
    return { ok: true, value: opened.value };
  }
}
