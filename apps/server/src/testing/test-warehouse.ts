import { quoteIdent } from "@sluice/pipeline";
import { warehouseNames } from "../warehouse/warehouse-names.ts";
import { admin } from "./test-database.ts";

/**
 * Drops the warehouse database and role Sluice made for metadata database `metadataDatabase`. Roles belong to
 * the whole PostgreSQL server, so a test that leaves one behind leaves it for every later run.
 */
export async function dropWarehouse(metadataDatabase: string): Promise<void> {
  const names = warehouseNames(metadataDatabase);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(names.database)} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${quoteIdent(names.role)}`);
  });
}
