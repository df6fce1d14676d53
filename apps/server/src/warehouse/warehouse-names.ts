import { createHash } from "node:crypto";

/** PostgreSQL truncates identifiers past 63 bytes; names are kept under that so they are used as written. */
const MAX_NAME = 63;
const SUFFIX = "_warehouse";

/**
 * The database and the role Sluice makes for its built-in warehouse, named after its metadata database
 * (`sluice` -> `sluice_warehouse`), so two Sluice installs sharing a PostgreSQL server never share a warehouse.
 * Roles are global to a server, which is why the name carries the metadata database's. A name too long to
 * fit keeps a hash of the whole, so different long names stay different.
 */
export function warehouseNames(metadataDatabase: string): { database: string; role: string } {
  let name = `${metadataDatabase}${SUFFIX}`;
  if (Buffer.byteLength(name) > MAX_NAME) {
    const hash = createHash("sha256").update(metadataDatabase).digest("hex").slice(0, 8);
    let head = metadataDatabase;
    while (Buffer.byteLength(`${head}_${hash}${SUFFIX}`) > MAX_NAME) head = head.slice(0, -1);
    name = `${head}_${hash}${SUFFIX}`;
  }
  return { database: name, role: name };
}
