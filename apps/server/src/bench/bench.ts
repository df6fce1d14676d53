import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createCleanup } from "./cleanup.ts";
import { startBenchServer, type BenchServer } from "./bench-server.ts";
import { generateBenchData } from "./generate-data.ts";
import { setUpPipeline, type RunFigures } from "./pipeline-run.ts";
import { handWrittenFloor } from "./floor.ts";
import { postgresElt } from "./peer-elt.ts";
import { findPandas, pandasPeer } from "./peer-pandas.ts";
import { fingerprint, parquetDifferences, rowDifferences } from "./compare.ts";
import { tablesOf, withClient, type Contender } from "./targets.ts";
import { runInDatabaseCase, type InDatabaseResult } from "./in-database-case.ts";

export type Peer = Exclude<Contender, "pipeline">;
export const PEERS: Peer[] = ["floor", "elt", "pandas"];
/** files: the pipeline over uploaded files against its peers; postgres: the data already in PostgreSQL (in-database-case.ts). */
export type BenchCase = "files" | "postgres";
export const CASES: BenchCase[] = ["files", "postgres"];

export interface BenchOptions {
  /** Orders per size, in the order run. */
  sizes: number[];
  /** Which cases run at each size; the postgres case only at sizes up to 5M. */
  cases: BenchCase[];
  customers: number;
  /** Alternated rounds (pipeline, then each peer) per size; `roundsAbove5M` for larger sizes. */
  rounds: number;
  roundsAbove5M: number;
  peers: Peer[];
  /** The peers for sizes above 5M (pandas needs about 10 GB of memory at 20M orders). */
  peersAbove5M: Peer[];
  /** Warm previews of every node per size (after one cold one). */
  previews: number;
  /** After the rounds of this size, one more run with DuckDB's memory limited to `limit`. */
  memoryRun: { orders: number; limit: string } | undefined;
  /** Checks that every peer wrote what the pipeline wrote (row for row; the floor's Parquet file too). */
  verify: "fingerprint" | "rows";
  /** The bench's own folder is made inside this one and removed at the end. */
  tmpDir: string;
  log: (m: string) => void;
  /** Ctrl+C cleans up too; tests turn it off. */
  handleSignals: boolean;
}

export interface SizeResult {
  orders: number;
  customers: number;
  rounds: number;
  uploadS: number;
  /** Seconds per round: the pipeline's queue to finished, each peer's whole work. */
  seconds: Partial<Record<Contender, number[]>>;
  /** The pipeline run with the median time. */
  run: RunFigures;
  rowsWritten: Partial<Record<Contender, number>>;
  workerPeakRssBytes: number | undefined;
  previews: { firstMs: number; byNode: Record<string, number[]> };
  /** Per peer: an empty list when its outputs equal the pipeline's, else the differences. */
  differences: Partial<Record<Peer, string[]>>;
  skipped: Partial<Record<Peer, string>>;
}

export interface MemoryResult {
  orders: number;
  limit: string;
  /** The run, or why it failed. */
  run: RunFigures | { error: string };
  workerPeakRssBytes: number | undefined;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function differences(s: BenchServer, peer: Peer, verify: BenchOptions["verify"], parquet?: { pipeline: string; peer: string; tmp: string }): Promise<string[]> {
  const found: string[] = [];
  await withClient(s.warehouseUrl, async (c) => {
    for (const k of ["orders", "monthly"] as const) {
      const [a, b] = [tablesOf("pipeline")[k], tablesOf(peer)[k]];
      if (verify === "rows") {
        const d = await rowDifferences(c, a, b);
        found.push(...d.onlyA.map((r) => `${k}: only the pipeline wrote ${r}`), ...d.onlyB.map((r) => `${k}: only ${peer} wrote ${r}`));
      }
      const [fa, fb] = [await fingerprint(c, a), await fingerprint(c, b)];
      if (fa !== fb) found.push(`${k}: pipeline ${fa}; ${peer} ${fb}`);
    }
  });
  if (parquet) found.push(...(await parquetDifferences(parquet.pipeline, parquet.peer, parquet.tmp)));
  return found;
}

/**
 * The benchmark: for each size, the same generated files through the pipeline (via the API, run by a worker
 * process) and each peer, alternated round by round; then checks that the peers wrote what the pipeline wrote.
 * Whatever happens, removes everything it made: files, databases, processes.
 */
export interface BenchResult {
  /** The files case, per size. */
  sizes: SizeResult[];
  /** The data-in-PostgreSQL case, per size. */
  inDatabase: InDatabaseResult[];
  memory: MemoryResult | undefined;
  /** What the bench made (all of it removed by the time it returns): its folder and databases. */
  made: { folder: string; databases: string[] };
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const cleanup = createCleanup(o.log, { onSignal: o.handleSignals });
  const work = path.join(o.tmpDir, `sluice-bench-${randomBytes(4).toString("hex")}`);
  mkdirSync(work, { recursive: true, mode: 0o755 });
  cleanup.add(work, () => rmSync(work, { recursive: true, force: true }));
  const sizes: SizeResult[] = [];
  const inDatabase: InDatabaseResult[] = [];
  let memory: MemoryResult | undefined;
  const made = { folder: work, databases: [] as string[] };
  try {
    const s = await startBenchServer(work, cleanup, o.log);
    made.databases = s.databases;
    const pandas = o.peers.includes("pandas") ? findPandas() : undefined;
    for (const orders of o.sizes) {
      const dir = path.join(work, `orders-${orders}`);
      mkdirSync(dir);
      const count = (n: number) => n.toLocaleString("en-US");
      o.log(`generating ${count(orders)} orders and ${count(o.customers)} customers`);
      const data = await generateBenchData(dir, { orders, customers: o.customers });
      if (o.cases.includes("postgres") && orders <= 5_000_000) {
        inDatabase.push(await runInDatabaseCase(s, data, { orders, customers: o.customers, rounds: o.rounds, verify: o.verify, log: o.log }));
      }
      if (!o.cases.includes("files")) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const pipeline = await setUpPipeline(s, data);
      const result: SizeResult = {
        orders,
        customers: o.customers,
        rounds: orders > 5_000_000 ? o.roundsAbove5M : o.rounds,
        uploadS: pipeline.uploadS,
        seconds: {},
        run: undefined as unknown as RunFigures,
        rowsWritten: {},
        workerPeakRssBytes: undefined,
        previews: await pipeline.previews(o.previews),
        differences: {},
        skipped: pandas && "skipped" in pandas ? { pandas: pandas.skipped } : {},
      };
      const peers = orders > 5_000_000 ? o.peers.filter((p) => o.peersAbove5M.includes(p)) : o.peers;
      const worker = await s.startWorker();
      // Untimed, before each contender: PostgreSQL writes out the pages the one before it dirtied (the ELT and pandas
      // peers write gigabytes), which would otherwise land in the next contender's time as a checkpoint mid-load.
      let checkpoints = true;
      const checkpoint = async () => {
        if (!checkpoints) return;
        await withClient(s.warehouseUrl, (c) => c.query("CHECKPOINT")).catch((e: Error) => {
          checkpoints = false;
          o.log(`  no CHECKPOINT between contenders (${e.message}); each one may pay for the writes of the one before it`);
        });
      };
      const runs: RunFigures[] = [];
      let floorParquet = "";
      const timed = async (who: Contender, task: () => Promise<{ seconds: number; rowsWritten: number }>) => {
        await checkpoint();
        const r = await task();
        (result.seconds[who] ??= []).push(r.seconds);
        result.rowsWritten[who] = r.rowsWritten;
        o.log(`  ${who}: ${r.seconds.toFixed(2)} s`);
      };
      for (let round = 1; round <= result.rounds; round++) {
        o.log(`${count(orders)} orders, round ${round} of ${result.rounds}`);
        await timed("pipeline", async () => {
          const r = await pipeline.run();
          runs.push(r);
          return { seconds: r.endToEndS, rowsWritten: r.rowsWritten };
        });
        const files = { ordersPath: data.ordersPath, customersPath: data.customersPath, warehouseUrl: s.warehouseUrl };
        for (const peer of peers) {
          if (peer === "floor") {
            await timed("floor", async () => {
              const f = await handWrittenFloor({ ...files, workDir: path.join(dir, "floor") });
              floorParquet = f.parquetPath;
              return f;
            });
          } else if (peer === "elt") await timed("elt", () => postgresElt(files));
          else if (pandas && "python" in pandas) await timed("pandas", () => pandasPeer(pandas.python, files, (stop) => cleanup.add("the pandas peer", stop)));
        }
      }
      result.workerPeakRssBytes = (await worker.stop()).peakRssBytes;
      result.run = [...runs].sort((a, b) => a.endToEndS - b.endToEndS)[Math.floor((runs.length - 1) / 2)]!;
      const last = runs[runs.length - 1]!;
      for (const peer of peers.filter((p) => result.seconds[p])) {
        const parquet = peer === "floor" ? { pipeline: path.join(s.dataDir, "outputs", last.runId, "orders.parquet"), peer: floorParquet, tmp: dir } : undefined;
        result.differences[peer] = await differences(s, peer, o.verify, parquet);
        o.log(`  ${peer}: ${result.differences[peer]!.length ? `outputs DIFFER from the pipeline's: ${result.differences[peer]!.join("; ")}` : "outputs equal to the pipeline's"}`);
      }
      if (o.memoryRun?.orders === orders) {
        o.log(`${count(orders)} orders with DUCKDB_MEMORY_LIMIT=${o.memoryRun.limit}`);
        const limited = await s.startWorker({ DUCKDB_MEMORY_LIMIT: o.memoryRun.limit });
        await checkpoint();
        const run = await pipeline.run().catch((e: Error) => ({ error: e.message }));
        memory = { orders, limit: o.memoryRun.limit, run, workerPeakRssBytes: (await limited.stop()).peakRssBytes };
      }
      sizes.push(result);
      await withClient(s.warehouseUrl, async (c) => {
        for (const peer of o.peers) await c.query(`DROP SCHEMA IF EXISTS ${tablesOf(peer).orders.split(".")[0]} CASCADE`);
      });
      await pipeline.remove();
      rmSync(dir, { recursive: true, force: true });
      rmSync(path.join(s.dataDir, "outputs"), { recursive: true, force: true });
      mkdirSync(path.join(s.dataDir, "outputs"));
    }
    return { sizes, inDatabase, memory, made };
  } finally {
    await cleanup.runAll();
    cleanup.detach();
  }
}
