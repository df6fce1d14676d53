import { LOAD_LEDGER_TABLE, quoteIdent } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import { connectPostgres } from "../postgres-connection.ts";

/**
 * Whether a PostgreSQL sink of a run committed its load: the sink records (run, node) in the ledger table of the
 * target's schema inside the load's own transaction, so the row is there exactly when the rows are. Used after a
 * run died to tell whether the range its incremental sources read has been delivered (docs/incremental.md).
 * Throws when the database cannot be asked; the caller must not guess then.
 */
export async function loadsRecorded(settings: PostgresConnectionSettings, schema: string, runId: string, nodeId: string): Promise<boolean> {
  const client = await connectPostgres(settings);
  try {
    const ledger = `${quoteIdent(schema)}.${quoteIdent(LOAD_LEDGER_TABLE)}`;
    const exists = await client.query<{ ok: boolean }>("SELECT pg_catalog.to_regclass($1) IS NOT NULL AS ok", [ledger]);
    if (!exists.rows[0]?.ok) return false;
    const r = await client.query(`SELECT 1 FROM ${ledger} WHERE run_id = $1 AND node_id = $2`, [runId, nodeId]);
    return (r.rowCount ?? 0) > 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}
