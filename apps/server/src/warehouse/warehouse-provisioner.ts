import pg from "pg";
import { quoteIdent } from "@sluice/pipeline";
import { connectPostgres, DEFAULT_CONNECTION_POLICY, trustingHost } from "@sluice/engine";
import type { PostgresSettings } from "@sluice/model";
import { setRolePassword } from "../db/role-password.ts";
import { describeMetadata, isolationProblem, type MetadataSide } from "./warehouse-isolation.ts";
import { warehouseNames } from "./warehouse-names.ts";
import { passwordFromUrl, settingsFromUrl, warehousePassword, type WarehouseState } from "./warehouse-settings.ts";

/** The schema the demo pipeline and the editor's defaults load into. */
export const WAREHOUSE_SCHEMA = "warehouse";

/** Serialises provisioning between Sluice processes starting at once on the same metadata database. */
const LOCK_KEY = 72_001_338;

export interface ProvisionOptions {
  /** Sluice's metadata database, as Sluice's own user. */
  metadataUrl: string;
  /** WAREHOUSE_URL: a warehouse someone else set up; Sluice only checks it. */
  warehouseUrl?: string | undefined;
  secretKey: Buffer;
  log: (m: string) => void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Connects as the warehouse role. Its host is the administrator's (DATABASE_URL's or WAREHOUSE_URL's), never a
 * user's, so the address policy lets it through as resolve() does for the built-in connection.
 */
function connectWarehouse(settings: PostgresSettings, password: string): Promise<pg.Client> {
  return connectPostgres({ ...settings, password, addressPolicy: trustingHost(DEFAULT_CONNECTION_POLICY, settings.host) });
}

/**
 * Sets up the built-in warehouse: a database and a role of its own, never Sluice's metadata database or user.
 * With WAREHOUSE_URL, that database as that user; otherwise Sluice makes `<metadata>_warehouse` (database and
 * role) when its own user may create roles and databases. Either way the result is checked from the warehouse
 * role's side (see isolationProblem); anything unsafe or impossible turns the warehouse off with the reason.
 * Safe to run at every start and from several processes at once.
 */
export async function provisionWarehouse(o: ProvisionOptions): Promise<WarehouseState> {
  const meta = new pg.Client({ connectionString: o.metadataUrl });
  meta.on("error", () => {});
  await meta.connect();
  try {
    const side = await describeMetadata(meta);
    if (o.warehouseUrl) return await useConfigured(side, o.warehouseUrl, o.log);
    await meta.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    return await makeOwn(meta, side, o);
  } finally {
    await meta.end().catch(() => undefined);
  }
}

/**
 * Logs in as the warehouse role, checks it from that side (see isolationProblem) and makes its schema: the
 * warehouse is then available, or off with the reason. `source` names it in a refusal; `unreachable` says what
 * to do when the role cannot log in.
 */
async function checkWarehouse(
  side: MetadataSide,
  settings: PostgresSettings,
  password: string,
  o: { source: string; unreachable: (why: string) => string; log: (m: string) => void },
): Promise<WarehouseState> {
  const off = (reason: string): WarehouseState => ({ available: false, settings, reason });
  let wh: pg.Client;
  try {
    wh = await connectWarehouse(settings, password);
  } catch (e) {
    return off(o.unreachable(message(e)));
  }
  try {
    const problem = await isolationProblem(side, wh, o.source);
    if (problem) return off(problem);
    await ensureSchema(wh, o.log);
    return { available: true, settings, password };
  } finally {
    await wh.end().catch(() => undefined);
  }
}

function useConfigured(side: MetadataSide, url: string, log: (m: string) => void): Promise<WarehouseState> {
  const settings = settingsFromUrl(url);
  return checkWarehouse(side, settings, passwordFromUrl(url), {
    source: "WAREHOUSE_URL",
    unreachable: (why) => `Sluice cannot connect to WAREHOUSE_URL (${settings.user}@${settings.host}:${settings.port}/${settings.database}): ${why}. Fix it and restart Sluice.`,
    log,
  });
}

async function makeOwn(meta: pg.Client, side: MetadataSide, o: ProvisionOptions): Promise<WarehouseState> {
  const names = warehouseNames(side.database);
  const settings = settingsFromUrl(o.metadataUrl, { database: names.database, user: names.role });
  const password = warehousePassword(o.secretKey, names.role);
  const off = (reason: string): WarehouseState => ({ available: false, settings, reason });
  const { rows } = await meta.query<{ super: boolean; createrole: boolean; createdb: boolean; version: number }>(
    "SELECT rolsuper AS super, rolcreaterole AS createrole, rolcreatedb AS createdb, current_setting('server_version_num')::int AS version FROM pg_roles WHERE rolname = current_user",
  );
  const me = rows[0]!;
  if (!me.super && !(me.createrole && me.createdb)) {
    return off(
      `Sluice's database user "${side.user}" may not create roles and databases, so Sluice cannot give the warehouse ` +
        `a database and a role of its own (it never loads into its metadata database). Set WAREHOUSE_URL to a database ` +
        `and a user that is not a superuser and cannot connect to "${side.database}", or grant CREATEROLE and CREATEDB ` +
        `to "${side.user}", and restart Sluice.`,
    );
  }
  try {
    const taken = await ensureRole(meta, names.role, password);
    if (taken) return off(taken);
  } catch (e) {
    return off(`Sluice could not set up the warehouse role "${names.role}": ${message(e)}. Drop that role, or set WAREHOUSE_URL, and restart Sluice.`);
  }
  try {
    const owner = await ensureDatabase(meta, names, me.super, me.version);
    if (owner !== names.role) {
      return off(`A database "${names.database}" already exists and belongs to "${owner}", not to the warehouse role "${names.role}". Drop or rename it, or set WAREHOUSE_URL, and restart Sluice.`);
    }
  } catch (e) {
    return off(`Sluice could not set up the warehouse database "${names.database}": ${message(e)}. Set WAREHOUSE_URL instead, and restart Sluice.`);
  }
  try {
    await closeMetadata(meta, side.database, names.role, o.log);
  } catch (e) {
    return off(
      `Sluice cannot stop other roles from connecting to its metadata database "${side.database}" (${message(e)}). ` +
        `Have its owner run REVOKE CONNECT ON DATABASE "${side.database}" FROM PUBLIC, or set WAREHOUSE_URL, and restart Sluice.`,
    );
  }
  return checkWarehouse(side, settings, password, {
    source: `The warehouse database "${names.database}"`,
    unreachable: (why) => `Sluice made the warehouse role "${names.role}" but cannot log in as it: ${why}. Allow it to log in with a password (pg_hba.conf), or set WAREHOUSE_URL.`,
    log: o.log,
  });
}

/**
 * The role, made if missing with no powers, and given the derived password (bound, see setRolePassword).
 * A role of that name with powers is someone else's: Sluice neither demotes it nor changes its password,
 * and says so (the returned reason).
 */
async function ensureRole(meta: pg.Client, role: string, password: string): Promise<string | null> {
  const { rows } = await meta.query<{ powerful: boolean }>(
    "SELECT rolsuper OR rolcreaterole OR rolreplication OR rolbypassrls AS powerful FROM pg_roles WHERE rolname = $1",
    [role],
  );
  if (rows[0]?.powerful) {
    return `A role "${role}" already exists and is a superuser or may create roles, replicate or bypass row security; Sluice will not use or change it. Drop or rename it, or set WAREHOUSE_URL, and restart Sluice.`;
  }
  if (!rows[0]) await meta.query(`CREATE ROLE ${quoteIdent(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`);
  await setRolePassword(meta, role, password);
  return null;
}

/** The database, made if missing and owned by the role; returns its owner. */
async function ensureDatabase(meta: pg.Client, names: { database: string; role: string }, isSuper: boolean, version: number): Promise<string> {
  const found = await meta.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [names.database]);
  if (found.rows[0]) return found.rows[0].owner;
  // Making a database for another role needs membership in it (with SET, from PostgreSQL 16 on).
  if (!isSuper) await meta.query(`GRANT ${quoteIdent(names.role)} TO CURRENT_USER${version >= 160000 ? " WITH SET TRUE" : ""}`);
  await meta.query(`CREATE DATABASE ${quoteIdent(names.database)} OWNER ${quoteIdent(names.role)}`);
  await meta.query(`REVOKE ALL ON DATABASE ${quoteIdent(names.database)} FROM PUBLIC`);
  return names.role;
}

/** Every role may connect to a new database; the metadata database must not let the warehouse role in. */
async function closeMetadata(meta: pg.Client, database: string, role: string, log: (m: string) => void) {
  const { rows } = await meta.query<{ connects: boolean }>("SELECT has_database_privilege($1, current_database(), 'CONNECT') AS connects", [role]);
  if (!rows[0]?.connects) return;
  await meta.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
  log(
    `revoked CONNECT on the metadata database "${database}" from PUBLIC, so the warehouse role "${role}" cannot reach it; ` +
      `grant CONNECT to any other role that should`,
  );
}

async function ensureSchema(wh: pg.Client, log: (m: string) => void) {
  const { rowCount } = await wh.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [WAREHOUSE_SCHEMA]);
  if (rowCount) return;
  try {
    await wh.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(WAREHOUSE_SCHEMA)}`);
  } catch (e) {
    log(`the warehouse has no schema "${WAREHOUSE_SCHEMA}" and its role cannot create one (${message(e)}); the demo pipeline needs it`);
  }
}
