import { randomUUID } from "node:crypto";
import type pg from "pg";
import { LOAD_STAGE_PREFIX, quoteIdent } from "@sluice/pipeline";
import type { PostgresConnectionSettings } from "../connector.ts";
import { connectPostgres } from "../postgres-connection.ts";
import type { CsvPiece } from "./csv-row-ranges.ts";
import { copyFromFile } from "./pg-copy.ts";

/**
 * A committed staging table that several connections fill at once; the load's transaction then renames it
 * to the target. The session that made it holds an advisory lock on its name for as long as it exists, so
 * a table whose lock nobody holds was left by a load that died (a killed worker) and may be dropped.
 */
export interface Stage {
  name: string;
  /** schema.name, quoted. */
  sql: string;
  lockKey: string;
}

export async function createStage(client: pg.Client, schema: string, columnDefs: string): Promise<Stage> {
  await dropAbandonedStages(client, schema);
  const name = `${LOAD_STAGE_PREFIX}${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const stage = { name, sql: `${quoteIdent(schema)}.${quoteIdent(name)}`, lockKey: `${schema}.${name}` };
  // The lock comes first, so no sweeper can ever see the table unlocked.
  await client.query("SELECT pg_advisory_lock(hashtext($1))", [stage.lockKey]);
  try {
    await client.query(`CREATE TABLE ${stage.sql} (${columnDefs})`);
  } catch (e) {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [stage.lockKey]).catch(() => undefined);
    throw e;
  }
  return stage;
}

/**
 * Drops the stage unless it became the target, and lets go of its lock. When the load's own connection is
 * gone (a cancel closes it) a new one drops the stage; if even that fails, the next load's sweep will.
 */
export async function releaseStage(client: pg.Client, stage: Stage, o: { drop: boolean; settings: PostgresConnectionSettings }): Promise<void> {
  try {
    if (o.drop) await client.query(`DROP TABLE IF EXISTS ${stage.sql}`);
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [stage.lockKey]);
    return;
  } catch {
    if (!o.drop) return;
  }
  const fresh = await connectPostgres(o.settings).catch(() => undefined);
  if (!fresh) return;
  try {
    await fresh.query("SET lock_timeout = '5s'");
    await fresh.query(`DROP TABLE IF EXISTS ${stage.sql}`);
  } catch {
    // Left to the next load's sweep.
  } finally {
    await fresh.end().catch(() => undefined);
  }
}

async function dropAbandonedStages(client: pg.Client, schema: string): Promise<void> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND left(c.relname, length($2)) = $2`,
    [schema, LOAD_STAGE_PREFIX],
  );
  for (const { name } of r.rows) {
    const key = `${schema}.${name}`;
    const got = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [key]);
    if (!got.rows[0]?.ok) continue; // a load is filling it
    try {
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(name)}`);
    } catch {
      // Not ours to drop (another owner): leave it.
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    }
  }
}

/**
 * COPYs the pieces into the stage over up to `connections` connections at once, each taking the next piece
 * from a queue when its last is done; resolves with the rows copied. The first failure stops the others, and
 * is the one reported.
 */
export async function copyPiecesInParallel(
  settings: PostgresConnectionSettings,
  copySql: string,
  pieces: CsvPiece[],
  connections: number,
  signal: AbortSignal,
): Promise<number> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  // Cancelled before the listener was added: no piece is copied.
  if (signal.aborted) stop.abort();
  const clients: pg.Client[] = [];
  try {
    for (let k = 0; k < Math.min(connections, pieces.length); k++) clients.push(await connectPostgres(settings));
    const queue = [...pieces];
    let first: unknown;
    let rows = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (!stop.signal.aborted) {
          const piece = queue.shift();
          if (!piece) return;
          try {
            // Not `rows += await …`: that reads `rows` before the wait, losing what the other connections added meanwhile.
            const copied = await copyFromFile(client, copySql, piece.file, stop.signal, piece.range);
            rows += copied;
          } catch (e) {
            first ??= e;
            stop.abort();
          }
        }
      }),
    );
    if (first !== undefined) throw first;
    return rows;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
