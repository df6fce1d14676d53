import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../config.ts";
import { CASES, PEERS, runBench, type BenchCase, type Peer } from "./bench.ts";
import { inDatabaseLines, inDatabaseTable, machineLine, markdownTable, memoryLines, sizeLines } from "./report.ts";

const HELP = `npm run bench [-- options]

Runs the benchmark pipeline through the API (a worker process runs it) on generated messy orders, next to the
same work as a hand-written floor, as PostgreSQL ELT and as a pandas script, alternating round by round; checks
that every peer wrote exactly what the pipeline wrote, prints every figure and writes them to docs/benchmarks.md.

  --sizes 1m,5m,20m        orders per size (k and m suffixes); --orders 200k is one size
  --cases files,postgres   files: the pipeline over uploaded files against its peers; postgres (sizes up to 5m):
                           the data already in PostgreSQL tables, the pipeline inside the database (engine:
                           database) and on DuckDB (engine: duckdb) against hand-written SQL in that database
  --customers 200000
  --rounds 3               alternated rounds per size up to 5m
  --rounds-above-5m 1      rounds for larger sizes
  --peers floor,elt,pandas which peers run ("" for none)
  --peers-above-5m floor   which of them also run at sizes above 5m
  --previews 20            warm previews of every node per size (after one cold one)
  --memory-run SIZE        one more run of one of the sizes with DuckDB's memory limited (default the largest;
                           "none" to skip)
  --memory-limit 1GB
  --verify fingerprint     "rows" compares row by row (slower at large sizes)
  --tmp-dir DIR            where the bench's folder goes (default the system's); removed at the end
  --out FILE               default docs/benchmarks.md ("none" to write nothing)`;

const { values: a } = parseArgs({
  options: {
    sizes: { type: "string", default: "1m,5m,20m" },
    cases: { type: "string", default: CASES.join(",") },
    /** One size: the older spelling of --sizes. */
    orders: { type: "string" },
    customers: { type: "string", default: "200000" },
    rounds: { type: "string", default: "3" },
    "rounds-above-5m": { type: "string", default: "1" },
    peers: { type: "string", default: PEERS.join(",") },
    "peers-above-5m": { type: "string", default: "floor" },
    previews: { type: "string", default: "20" },
    "memory-run": { type: "string" },
    "memory-limit": { type: "string", default: "1GB" },
    verify: { type: "string", default: "fingerprint" },
    "tmp-dir": { type: "string", default: os.tmpdir() },
    out: { type: "string", default: path.join(repoRoot, "docs/benchmarks.md") },
    help: { type: "boolean", default: false },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}

/** "1m" → 1,000,000; "200k" → 200,000; "5000" → 5,000. */
function count(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: "${text}" (write e.g. 200k, 1m or 5000)`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === "m" ? 1e6 : m[2] ? 1e3 : 1));
}
const peers = a.peers!.split(",").filter(Boolean);
const peersAbove5M = a["peers-above-5m"]!.split(",").filter(Boolean);
const unknown = [...peers, ...peersAbove5M].filter((p) => !PEERS.includes(p as Peer));
if (unknown.length) throw new Error(`unknown peer ${unknown.join(", ")}; the peers are ${PEERS.join(", ")}`);
const cases = a.cases!.split(",").filter(Boolean);
const unknownCases = cases.filter((c) => !CASES.includes(c as BenchCase));
if (unknownCases.length || !cases.length) throw new Error(`unknown case ${unknownCases.join(", ")}; the cases are ${CASES.join(", ")}`);
if (a.verify !== "fingerprint" && a.verify !== "rows") throw new Error(`--verify is fingerprint or rows, not ${a.verify}`);
const sizes = (a.orders ?? a.sizes!).split(",").map(count);
const memoryOrders = a["memory-run"] === "none" ? undefined : a["memory-run"] ? count(a["memory-run"]) : Math.max(...sizes);
if (memoryOrders !== undefined && !sizes.includes(memoryOrders)) throw new Error(`--memory-run ${a["memory-run"]} is not one of --sizes ${a.sizes}`);

const log = (m: string) => console.log(`[bench] ${m}`);
const loadBefore = os.loadavg()[0]!;
const result = await runBench({
  sizes,
  cases: cases as BenchCase[],
  customers: count(a.customers!),
  rounds: Math.max(1, Number(a.rounds)),
  roundsAbove5M: Math.max(1, Number(a["rounds-above-5m"])),
  peers: peers as Peer[],
  peersAbove5M: peersAbove5M as Peer[],
  previews: Number(a.previews),
  memoryRun: memoryOrders === undefined ? undefined : { orders: memoryOrders, limit: a["memory-limit"]! },
  verify: a.verify,
  tmpDir: a["tmp-dir"]!,
  log,
  handleSignals: true,
});

// The memory-limited run is compared, per row, with the largest size below it (the issue's 20M against 5M), else its own size.
const below = result.sizes.filter((r) => r.orders < (result.memory?.orders ?? 0));
const base = below[below.length - 1] ?? result.sizes.find((r) => r.orders === result.memory?.orders);
const lines = [
  machineLine().replace("load average now", `load average at the start ${loadBefore.toFixed(2)}, at the end`),
  ...result.sizes.flatMap(sizeLines),
  ...(result.memory ? memoryLines(result.memory, base) : []),
  ...result.inDatabase.flatMap(inDatabaseLines),
];
console.log(`\n${lines.join("\n")}\n`);

const BEGIN = "<!-- bench figures: written by npm run bench -->";
const END = "<!-- end of bench figures -->";
if (a.out !== "none") {
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, "");
  const figures =
    `${BEGIN}\nMeasured with \`${command}\` on ${new Date().toISOString().slice(0, 10)}.\n\n` +
    `${result.sizes.length ? `${markdownTable(result.sizes, result.memory)}\n\n` : ""}` +
    `${result.inDatabase.length ? `${inDatabaseTable(result.inDatabase)}\n\n` : ""}\`\`\`\n${lines.join("\n")}\n\`\`\`\n${END}`;
  const before = existsSync(a.out!) ? readFileSync(a.out!, "utf8") : "";
  const at = before.indexOf(BEGIN);
  const end = before.indexOf(END);
  // The figures replace what sits between the markers, so the analysis written around them is kept.
  writeFileSync(a.out!, at >= 0 && end > at ? before.slice(0, at) + figures + before.slice(end + END.length) : `# Benchmarks\n\n${figures}\n`);
  log(`wrote ${a.out}`);
}
