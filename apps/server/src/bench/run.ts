import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { existsSync, mkdirSync, openAsBlob, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createApp } from "../http/app.ts";
import { networkPolicy } from "../http/network-policy.ts";
import { createPrisma } from "../db/prisma.ts";
import { createRuntime } from "../runtime.ts";
import { createTestDatabase } from "../testing/test-database.ts";
import { dropWarehouse } from "../testing/test-warehouse.ts";
import { startBuiltInWarehouse } from "../warehouse/built-in-warehouse.ts";
import { repoRoot } from "../config.ts";
import { generateBenchData } from "./generate-data.ts";
import { benchGraph } from "./bench-pipeline.ts";
import { handWrittenFloor } from "./floor.ts";

/**
 * `npm run bench [-- --orders N --customers N --previews N --repeat N]`: builds the benchmark pipeline through
 * the API on generated messy data, runs it, and prints end-to-end time, rows per second, peak memory and
 * per-node preview times, next to the same work written by hand as DuckDB SQL plus COPY (the floor). Runs and
 * floors alternate `repeat` times and their medians are compared.
 */
const { values: args } = parseArgs({
  options: {
    orders: { type: "string", default: "5000000" },
    customers: { type: "string", default: "200000" },
    previews: { type: "string", default: "20" },
    /** Runs and floors alternate this many times; the medians are compared, as one pair moves with the machine's noise. */
    repeat: { type: "string", default: "3" },
    "sink-parallelism": { type: "string", default: "1" },
    out: { type: "string", default: path.join(repoRoot, "docs/benchmarks.md") },
  },
});
const size = { orders: Number(args.orders), customers: Number(args.customers) };
const log = (m: string) => console.log(`[bench] ${m}`);
const BEGIN = "<!-- bench figures: written by npm run bench -->";
const END = "<!-- end of bench figures -->";

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const work = path.join(os.tmpdir(), `sluice-bench-${randomBytes(4).toString("hex")}`);
mkdirSync(work, { recursive: true, mode: 0o755 });
log(`generating ${size.orders.toLocaleString("en-US")} orders and ${size.customers.toLocaleString("en-US")} customers in ${work}`);
let t0 = Date.now();
const data = await generateBenchData(work, size);
log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const database = await createTestDatabase();
const secretKey = randomBytes(32);
const db = createPrisma(database.url);
const runtime = await createRuntime({
  db,
  databaseUrl: database.url,
  config: { dataDir: path.join(work, "data"), uploadBytes: 8 * 1024 ** 3, runTimeoutSeconds: 3600, duckdbMemoryLimit: undefined, duckdbThreads: undefined, sinkParallelism: Number(args["sink-parallelism"]), httpAllowlist: [] },
  secretKey,
  workerId: "bench",
  startWorker: true,
  version: "bench",
  log: () => {},
});
// As at server start with an external DATABASE_URL: a warehouse database and role of its own, dropped at the end.
await startBuiltInWarehouse({ metadataUrl: database.url, secretKey, connections: runtime.deps.connections, log });
const server = createApp(runtime.deps, { bodyLimit: "10mb", network: networkPolicy({ listenHost: "127.0.0.1" }) }).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
// The bench calls the API as automation does: with an owner token of the Default workspace.
const benchToken = (await runtime.deps.tokens.create(db, { workspaceId: DEFAULT_WORKSPACE_ID, name: "bench", role: "owner", createdBy: null })).token;
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${benchToken}`, ...(body !== undefined && !(body instanceof FormData) ? { "content-type": "application/json" } : {}) },
    ...(body instanceof FormData ? { body } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${json.error?.message}`);
  return json;
}
async function upload(file: string, name: string) {
  const form = new FormData();
  form.append("file", await openAsBlob(file), name);
  return api<{ id: string; rowCount: number }>("POST", "/files", form);
}

try {
  t0 = Date.now();
  const orders = await upload(data.ordersPath, "orders.csv");
  const customers = await upload(data.customersPath, "customers.csv");
  const uploadS = (Date.now() - t0) / 1000;
  log(`uploaded and inspected both files in ${uploadS.toFixed(1)} s`);

  const graph = benchGraph({ ordersFileId: orders.id, customersFileId: customers.id, connectionId: "00000000-0000-4000-8000-00000000c0de" });
  const pipeline = await api<{ id: string }>("POST", "/pipelines", { name: "Benchmark", graph });
  const check = await api<{ valid: boolean; problems: unknown[] }>("POST", "/pipelines/validate", { graph });
  if (!check.valid) throw new Error(`benchmark graph is invalid: ${JSON.stringify(check.problems)}`);

  // Previews: the first one is cold; then every node is previewed repeatedly, warm.
  const previews: Record<string, number[]> = {};
  t0 = Date.now();
  await api("POST", "/preview", { graph, nodeId: graph.nodes[graph.nodes.length - 1]!.id, limit: 100 });
  const firstPreviewMs = Date.now() - t0;
  for (let i = 0; i < Number(args.previews); i++) {
    for (const n of graph.nodes) {
      const s = Date.now();
      await api("POST", "/preview", { graph, nodeId: n.id, limit: 100 });
      (previews[n.id] ??= []).push(Date.now() - s);
    }
  }

  type Run = { status: string; error: string | null; rowsWritten: number | null; startedAt: string | null; finishedAt: string | null; nodes: { nodeId: string; durationMs: number | null; rowsOut: number | null }[] };
  async function timedRun() {
    const started = Date.now();
    const { runId } = await api<{ runId: string }>("POST", `/pipelines/${pipeline.id}/runs`, {});
    let run: Run;
    for (;;) {
      run = await api("GET", `/runs/${runId}`);
      if (["succeeded", "failed", "cancelled"].includes(run.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (run.status !== "succeeded") throw new Error(`run ${run.status}: ${run.error}`);
    return { run, endToEndS: (Date.now() - started) / 1000, execS: (new Date(run.finishedAt!).getTime() - new Date(run.startedAt!).getTime()) / 1000 };
  }

  const runs: Awaited<ReturnType<typeof timedRun>>[] = [];
  const floors: Awaited<ReturnType<typeof handWrittenFloor>>[] = [];
  const repeat = Math.max(1, Number(args.repeat));
  for (let i = 1; i <= repeat; i++) {
    log(`run ${i} of ${repeat}`);
    runs.push(await timedRun());
    log(`timing the same work written by hand (DuckDB SQL + COPY), ${i} of ${repeat}`);
    floors.push(await handWrittenFloor({ ordersPath: data.ordersPath, customersPath: data.customersPath, databaseUrl: database.url, workDir: path.join(work, "floor") }));
  }
  const median = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor((xs.length - 1) / 2)]!;
  const { run, endToEndS, execS } = median(runs, (r) => r.execS);
  const floor = median(floors, (f) => f.seconds);
  const each = (xs: number[]) => (xs.length > 1 ? ` (each: ${xs.map((x) => x.toFixed(2)).join(", ")})` : "");
  const of = repeat > 1 ? `median of ${repeat}: ` : "";

  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const rowsPerS = Math.round(size.orders / execS);
  const lines = [
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`,
    `data: ${size.orders.toLocaleString("en-US")} orders, ${size.customers.toLocaleString("en-US")} customers`,
    `upload + inspect both files: ${uploadS.toFixed(1)} s`,
    `run, end to end (queue to finished), ${of}${endToEndS.toFixed(2)} s; execution ${execS.toFixed(2)} s${each(runs.map((r) => r.execS))}; ${rowsPerS.toLocaleString("en-US")} order rows/s`,
    `hand-written floor (DuckDB SQL + COPY, same process), ${of}${floor.seconds.toFixed(2)} s${each(floors.map((f) => f.seconds))}`,
    `ratio run/floor: ${(execS / floor.seconds).toFixed(2)}x${repeat > 1 ? ` (medians; run after run: ${runs.map((r, i) => `${(r.execS / floors[i]!.seconds).toFixed(2)}x`).join(", ")})` : ""}`,
    `rows written: ${run.rowsWritten?.toLocaleString("en-US")} (floor: ${floor.rowsWritten.toLocaleString("en-US")})`,
    `peak RSS of the process (server, worker and DuckDB together): ${(peakRss / 1024 ** 2).toFixed(0)} MiB`,
    `first preview (cold): ${firstPreviewMs} ms`,
    ...graph.nodes.map((n) => {
      const xs = previews[n.id] ?? [];
      const node = run.nodes.find((x) => x.nodeId === n.id);
      const previewed = xs.length ? `preview p50 ${String(pct(xs, 50)).padStart(4)} ms, p95 ${String(pct(xs, 95)).padStart(4)} ms` : "not previewed (--previews 0)";
      return `node ${n.id.padEnd(10)} ${previewed}; in the run ${node?.durationMs ?? "?"} ms, ${node?.rowsOut?.toLocaleString("en-US") ?? "?"} rows`;
    }),
  ];
  console.log(`\n${lines.join("\n")}\n`);
  // The figures replace what sits between the markers, so the analysis written around them is kept.
  const figures =
    `${BEGIN}\nMeasured with \`npm run bench -- --orders ${size.orders} --customers ${size.customers} --previews ${args.previews} --repeat ${repeat}\` on ${new Date().toISOString().slice(0, 10)}.\n` +
    `The pipeline: ${graph.nodes.map((n) => `${n.id} (${n.type})`).join(" → ")}.\n\n\`\`\`\n${lines.join("\n")}\n\`\`\`\n${END}`;
  const before = existsSync(args.out) ? readFileSync(args.out, "utf8") : "";
  const at = before.indexOf(BEGIN);
  const end = before.indexOf(END);
  writeFileSync(args.out, at >= 0 && end > at ? before.slice(0, at) + figures + before.slice(end + END.length) : `# Benchmarks\n\n${figures}\n`);
  log(`wrote ${args.out}`);
} finally {
  clearInterval(sampler);
  server.close();
  await runtime.stop();
  await db.$disconnect();
  await dropWarehouse(database.name);
  await database.drop();
}
