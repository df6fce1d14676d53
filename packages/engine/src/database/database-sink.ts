import type pg from "pg";
import { error, fail, ok, type Column, type Result } from "@sluice/model";
import { LOAD_LEDGER_TABLE, quoteIdent } from "@sluice/pipeline";
import { applyMode, checkedTarget, ensureLedger, makesNewTarget, newTarget, serverIssue, SinkProblem, sinkTarget, uniqueIndex } from "../connectors/postgres-sink.ts";
import { asPgError } from "../connectors/postgres-errors.ts";
import { extendedQuery } from "../connectors/pg-extended-query.ts";

/**
 * A postgres sink's write inside the run's one transaction in the database: the same modes and checks as the
 * worker's sink (connectors/postgres-sink.ts), the rows moved by INSERT … SELECT from the input relation instead of
 * COPY, and nothing committed here: the run commits every sink at once, or rolls them all back. A savepoint is not
 * needed, since any failure rolls the whole run back.
 */
export async function writeSinkInDatabase(
  client: pg.Client,
  spec: Record<string, unknown>,
  /** A SELECT of the rows to write, in row order, with exactly `columns`. */
  select: string,
  columns: Column[],
  loadKey: { runId: string; nodeId: string },
): Promise<Result<{ rowsWritten: number; label: string }>> {
  const nodeId = loadKey.nodeId;
  const target = sinkTarget(spec, nodeId);
  if (!target.ok) return target;
  const { config, t } = target.value;
  try {
    const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [config.schema]);
    if (!schema.rowCount) throw new SinkProblem(error("SCHEMA_NOT_FOUND", `Schema "${config.schema}" does not exist.`, { field: "schema" }));
    await ensureLedger(client, config.schema);
    await client.query(`INSERT INTO ${quoteIdent(config.schema)}.${quoteIdent(LOAD_LEDGER_TABLE)} (run_id, node_id) VALUES ($1, $2)`, [loadKey.runId, loadKey.nodeId]);
    const existing = await checkedTarget(client, config, t);
    let rowsWritten: number;
    if (makesNewTarget(config, existing)) {
      const list = columns.map((c) => quoteIdent(c.name)).join(", ");
      await newTarget(client, t, existing, { columns });
      rowsWritten = (await extendedQuery(client, `INSERT INTO ${t.sql} (${list}) ${select}`)).rowCount ?? 0;
      await uniqueIndex(client, t, config.keys);
    } else {
      rowsWritten = await applyMode(client, config, t, columns, existing!, select);
    }
    return ok({ rowsWritten, label: `${t.label} (${config.mode})` });
  } catch (e) {
    if (e instanceof SinkProblem) return fail({ ...e.issue, nodeId });
    if (asPgError(e).code === undefined) throw e;
    return fail({ ...serverIssue(e, t), nodeId });
  }
}
