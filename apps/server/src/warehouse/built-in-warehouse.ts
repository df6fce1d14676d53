import pg from "pg";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import { provisionWarehouse, WAREHOUSE_SCHEMA, type ProvisionOptions } from "./warehouse-provisioner.ts";
import { warehouseNames } from "./warehouse-names.ts";
import { settingsFromUrl, type WarehouseState } from "./warehouse-settings.ts";

/**
 * At server start: sets up the built-in warehouse, points the built-in connection at it (or turns it off with
 * the reason, for the API and the UI), and says what became of tables earlier versions loaded into the
 * metadata database.
 */
export async function startBuiltInWarehouse(o: ProvisionOptions & { connections: ConnectionRepository }): Promise<WarehouseState> {
  let state: WarehouseState;
  try {
    state = await provisionWarehouse(o);
  } catch (e) {
    // The metadata database answered the migrator a moment ago, so this is unexpected: keep Sluice up, warehouse off.
    const fallback = o.warehouseUrl ?? o.metadataUrl;
    const names = warehouseNames(settingsFromUrl(o.metadataUrl).database);
    const settings = o.warehouseUrl ? settingsFromUrl(fallback) : settingsFromUrl(fallback, { database: names.database, user: names.role });
    state = { available: false, settings, reason: `Sluice could not set up or check the warehouse: ${(e as Error).message}. Restart Sluice to try again.` };
  }
  await o.connections.setBuiltIn(state);
  const where = `database "${state.settings.database}" as role "${state.settings.user}" on ${state.settings.host}:${state.settings.port}`;
  o.log(state.available ? `built-in warehouse: ${where}, schema "${WAREHOUSE_SCHEMA}"` : `built-in warehouse is turned off: ${state.reason}`);
  await reportLegacyTables(o.metadataUrl, state, o.log);
  return state;
}

/**
 * Earlier versions loaded the built-in warehouse into schema `warehouse` of the metadata database. Moving
 * tables between databases is a dump and a restore, which Sluice does not do behind anyone's back: they stay
 * where they are (out of the warehouse role's reach), and every start says so until they are gone.
 */
async function reportLegacyTables(metadataUrl: string, state: WarehouseState, log: (m: string) => void) {
  const client = new pg.Client({ connectionString: metadataUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm')",
      [WAREHOUSE_SCHEMA],
    );
    const n = rows[0]?.n ?? 0;
    if (!n) return;
    const meta = settingsFromUrl(metadataUrl).database;
    log(
      `${n} table(s) in schema "${WAREHOUSE_SCHEMA}" of the metadata database "${meta}" were loaded by an earlier Sluice through the ` +
        `built-in connection. They are left where they are; the built-in connection now loads into database "${state.settings.database}". ` +
        `Copy the ones you still need (e.g. pg_dump --schema=${WAREHOUSE_SCHEMA} --no-owner ${meta} | psql ${state.settings.database}), then drop the schema.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
