import os from "node:os";
import { median, type MemoryResult, type SizeResult } from "./bench.ts";
import type { Contender } from "./targets.ts";
import type { InDatabaseContender, InDatabaseResult } from "./in-database-case.ts";

const LABEL: Record<Contender, string> = {
  pipeline: "Sluice pipeline (API, queue to finished)",
  floor: "hand-written floor (rows stored, one DuckDB query, Parquet, parallel COPY)",
  elt: "PostgreSQL ELT (COPY raw, INSERT … SELECT)",
  pandas: "pandas script (COPY load, no Parquet)",
};
const SHORT: Record<Contender, string> = { pipeline: "pipeline", floor: "floor", elt: "PostgreSQL ELT", pandas: "pandas" };
const count = (n: number) => n.toLocaleString("en-US");
const mib = (b: number | undefined) => (b === undefined ? "?" : `${count(Math.round(b / 1024 ** 2))} MiB`);
const s2 = (x: number) => x.toFixed(2);
/** Microseconds per order row. */
const perRow = (seconds: number, orders: number) => `${((seconds / orders) * 1e6).toFixed(2)} µs/row`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export function machineLine(): string {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(", ");
  return `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}; load average now ${load}`;
}

/** The figures of one size, as printed. */
export function sizeLines(r: SizeResult): string[] {
  const pipe = r.seconds.pipeline ?? [];
  const lines = [`${count(r.orders)} orders, ${count(r.customers)} customers; ${r.rounds} round(s) alternated; medians (each round in brackets)`];
  for (const who of Object.keys(LABEL) as Contender[]) {
    const xs = r.seconds[who];
    if (!xs) {
      const why = who === "pipeline" ? undefined : r.skipped[who];
      if (why) lines.push(`  ${LABEL[who]}: skipped, ${why}`);
      continue;
    }
    const ratio = who === "pipeline" ? "" : `; pipeline/${SHORT[who]} ${(median(pipe) / median(xs)).toFixed(2)}x (per round ${xs.map((x, i) => `${(pipe[i]! / x).toFixed(2)}x`).join(", ")})`;
    const rows = r.rowsWritten[who] === undefined ? "" : `, ${count(r.rowsWritten[who])} rows written`;
    lines.push(`  ${LABEL[who]}: ${s2(median(xs))} s [${xs.map(s2).join(", ")}], ${perRow(median(xs), r.orders)}${rows}${ratio}`);
  }
  lines.push(`  pipeline execution (worker start to finish) ${s2(r.run.execS)} s; peak RSS of the worker process ${mib(r.workerPeakRssBytes)}; upload + inspect ${s2(r.uploadS)} s`);
  for (const [peer, diffs] of Object.entries(r.differences)) {
    lines.push(`  ${SHORT[peer as Contender]}'s outputs ${diffs.length ? `DIFFER from the pipeline's: ${diffs.join("; ")}` : `equal the pipeline's${peer === "floor" ? " (both tables, and the Parquet file row for row)" : " (both tables)"}`}`);
  }
  const warm = Object.values(r.previews.byNode).flat();
  if (warm.length) lines.push(`  previews: first (cold) ${r.previews.firstMs} ms; warm, every node: p50 ${pct(warm, 50)} ms, p95 ${pct(warm, 95)} ms, max ${Math.max(...warm)} ms`);
  lines.push(`  nodes in the median run: ${r.run.nodes.map((n) => `${n.nodeId} ${n.durationMs ?? "?"} ms`).join(", ")}`);
  return lines;
}

export function memoryLines(m: MemoryResult, base: SizeResult | undefined): string[] {
  if ("error" in m.run) return [`${count(m.orders)} orders with DUCKDB_MEMORY_LIMIT=${m.limit}: FAILED: ${m.run.error} (peak RSS of the worker ${mib(m.workerPeakRssBytes)})`];
  const vs = base ? `; ${(m.run.endToEndS / m.orders / (median(base.seconds.pipeline!) / base.orders)).toFixed(2)}x the time per row of ${count(base.orders)} orders without the limit (median)` : "";
  return [`${count(m.orders)} orders with DUCKDB_MEMORY_LIMIT=${m.limit}: ${s2(m.run.endToEndS)} s, ${perRow(m.run.endToEndS, m.orders)}; peak RSS of the worker process ${mib(m.workerPeakRssBytes)}${vs}`];
}

/** One Markdown table row per size (and the memory-limited run), for docs/benchmarks.md. */
export function markdownTable(sizes: SizeResult[], memory: MemoryResult | undefined): string {
  const cell = (r: SizeResult, who: Contender) => (r.seconds[who] ? `${s2(median(r.seconds[who]))} s` : "–");
  const ratio = (r: SizeResult, who: Contender) => (r.seconds[who] ? `${(median(r.seconds.pipeline!) / median(r.seconds[who])).toFixed(2)}x` : "–");
  const rows = sizes.map(
    (r) =>
      `| ${count(r.orders)} | ${r.rounds} | ${cell(r, "pipeline")} | ${perRow(median(r.seconds.pipeline!), r.orders)} | ${mib(r.workerPeakRssBytes)} | ${cell(r, "floor")} | ${ratio(r, "floor")} | ${cell(r, "elt")} | ${ratio(r, "elt")} | ${cell(r, "pandas")} | ${ratio(r, "pandas")} |`,
  );
  if (memory) {
    const t = "error" in memory.run ? "failed" : `${s2(memory.run.endToEndS)} s`;
    const per = "error" in memory.run ? "–" : perRow(memory.run.endToEndS, memory.orders);
    rows.push(`| ${count(memory.orders)}, DuckDB limited to ${memory.limit} | 1 | ${t} | ${per} | ${mib(memory.workerPeakRssBytes)} | | | | | | |`);
  }
  return [
    "| orders | rounds | pipeline | per row | worker peak RSS | floor | pipeline/floor | PostgreSQL ELT | pipeline/ELT | pandas | pipeline/pandas |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

const IN_DATABASE_LABEL: Record<InDatabaseContender, string> = {
  database: "pipeline inside PostgreSQL (engine: database)",
  sql: "hand-written SQL (one INSERT … SELECT per target)",
  duckdb: "pipeline on DuckDB (engine: duckdb)",
};

/** The figures of the data-in-PostgreSQL case at one size, as printed: every contender against the hand-written SQL. */
export function inDatabaseLines(r: InDatabaseResult): string[] {
  const sql = r.seconds.sql ?? [];
  const lines = [
    `data in PostgreSQL, ${count(r.orders)} orders, ${count(r.customers)} customers (loaded in ${s2(r.loadS)} s); ${r.rounds} round(s) alternated; medians (each round in brackets)`,
  ];
  for (const who of ["database", "sql", "duckdb"] as const) {
    const xs = r.seconds[who];
    if (!xs) continue;
    const ratio = who === "sql" ? "" : `; ${who}/SQL ${(median(xs) / median(sql)).toFixed(2)}x (per round ${xs.map((x, i) => `${(x / sql[i]!).toFixed(2)}x`).join(", ")})`;
    const rows = r.rowsWritten[who] === undefined ? "" : `, ${count(r.rowsWritten[who])} rows written`;
    lines.push(`  ${IN_DATABASE_LABEL[who]}: ${s2(median(xs))} s [${xs.map(s2).join(", ")}], ${perRow(median(xs), r.orders)}${rows}${ratio}`);
  }
  for (const [who, diffs] of Object.entries(r.differences)) {
    lines.push(`  ${who === "sql" ? "hand-written SQL" : "DuckDB path"}'s outputs ${diffs.length ? `DIFFER from the run in the database: ${diffs.join("; ")}` : "equal the run in the database's (both tables)"}`);
  }
  for (const who of ["database", "duckdb"] as const) {
    const run = r.runs[who];
    if (run) lines.push(`  nodes in the median ${who} run: ${run.nodes.map((n) => `${n.nodeId} ${n.durationMs ?? "?"} ms`).join(", ")}`);
  }
  return lines;
}

/** One Markdown table row per size of the data-in-PostgreSQL case. */
export function inDatabaseTable(results: InDatabaseResult[]): string {
  const cell = (r: InDatabaseResult, who: InDatabaseContender) => (r.seconds[who] ? `${s2(median(r.seconds[who]))} s` : "–");
  const ratio = (r: InDatabaseResult, who: InDatabaseContender) => (r.seconds[who] && r.seconds.sql ? `${(median(r.seconds[who]) / median(r.seconds.sql)).toFixed(2)}x` : "–");
  return [
    "| orders (in PostgreSQL) | rounds | in the database | hand-written SQL | database/SQL | DuckDB path | DuckDB/SQL |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...results.map((r) => `| ${count(r.orders)} | ${r.rounds} | ${cell(r, "database")} | ${cell(r, "sql")} | ${ratio(r, "database")} | ${cell(r, "duckdb")} | ${ratio(r, "duckdb")} |`),
  ].join("\n");
}
