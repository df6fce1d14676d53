import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../config.ts";
import { admin } from "../testing/test-database.ts";
import { runBench, type BenchResult } from "./bench.ts";
import { findPandas } from "./peer-pandas.ts";

const existing = (names: string[]) =>
  admin(async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1)", [names])).rows.map((r) => r.datname));

describe("npm run bench, at a small size", () => {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), "bench-test-"));
  afterAll(() => rmSync(tmpDir, { recursive: true, force: true }));

  it("runs the pipeline and every peer, and the data-in-PostgreSQL case, finds their outputs equal row for row, runs with a memory limit, and leaves nothing", async () => {
    const logs: string[] = [];
    const result: BenchResult = await runBench({
      sizes: [3000],
      cases: ["files", "postgres"],
      customers: 300,
      rounds: 1,
      roundsAbove5M: 1,
      peers: ["floor", "elt", "pandas"],
      peersAbove5M: [],
      previews: 1,
      memoryRun: { orders: 3000, limit: "512MB" },
      verify: "rows",
      tmpDir,
      log: (m) => logs.push(m),
      handleSignals: false,
    });
    const [size] = result.sizes;
    expect(size?.seconds.pipeline).toHaveLength(1);
    expect(size?.seconds.floor).toHaveLength(1);
    expect(size?.seconds.elt).toHaveLength(1);
    expect(size?.differences.floor).toEqual([]);
    expect(size?.differences.elt).toEqual([]);
    if ("python" in findPandas()) expect(size?.differences.pandas).toEqual([]);
    else expect(size?.skipped.pandas).toMatch(/no Python with pandas/);
    // The same rows as the pipeline's sinks: the joined rows twice (PostgreSQL and Parquet) and the totals.
    expect(size?.rowsWritten.floor).toBe(size?.rowsWritten.pipeline);
    expect(size?.workerPeakRssBytes).toBeGreaterThan(0);
    // Data in PostgreSQL: the run inside the database, the DuckDB path and the hand-written SQL wrote the same rows.
    const [inside] = result.inDatabase;
    for (const who of ["database", "sql", "duckdb"] as const) expect(inside?.seconds[who]).toHaveLength(1);
    expect(inside?.differences).toEqual({ duckdb: [], sql: [] });
    expect(inside?.rowsWritten.sql).toBeGreaterThan(0);
    expect(inside?.rowsWritten.database).toBe(inside?.rowsWritten.sql);
    expect(inside?.rowsWritten.duckdb).toBe(inside?.rowsWritten.sql);
    // Nodes ran inside the database: the run recorded each one.
    expect(inside?.runs.database?.nodes.map((n) => n.nodeId)).toContain("dedupe");
    expect(result.memory && "error" in result.memory.run ? result.memory.run.error : undefined).toBeUndefined();
    // Nothing left: not its folder (data, uploads, outputs, DuckDB's spill), nor its databases.
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(result.made.databases).toHaveLength(2);
    expect(await existing(result.made.databases)).toEqual([]);
  }, 240_000);

  it("cleans up on Ctrl+C in the middle of a run", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "apps/server/src/bench/run.ts"), "--sizes", "50k", "--customers", "1000", "--rounds", "5", "--previews", "0", "--memory-run", "none", "--tmp-dir", tmpDir, "--out", "none"],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const until = Date.now() + 120_000;
    while (!out.includes("round 1 of 5")) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`the bench did not start its rounds: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Its folder and databases exist now, and a run is under way in the worker.
    expect(readdirSync(tmpDir).length).toBe(1);
    const database = /database "(sluice_test_[0-9a-f]+)_warehouse"/.exec(out)?.[1];
    expect(database).toBeDefined();
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(out).toContain("SIGINT: cleaning up");
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(await existing([database!, `${database}_warehouse`])).toEqual([]);
  }, 240_000);
});
