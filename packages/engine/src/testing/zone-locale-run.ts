// Run by zone-locale.test.ts in a child process with a given TZ and LANG: the same pipeline, through the same
// paths the server takes (inspection at upload, loadPipeline, preview, run), printing everything a user would
// see as one JSON document on stdout. Results must not depend on the process's zone or locale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ExecutionEvent } from "../execution-events.ts";
import { loadPipeline, compileGraph, type DataFileInfo } from "@sluice/pipeline";
import { createConnectors } from "../connectors/connectors.ts";
import { inspectFile } from "../connectors/file-inspector.ts";
import { executePipeline } from "../executor.ts";
import { PreviewService } from "../preview.ts";
import type { EngineOptions } from "../duckdb-session.ts";

const [dir] = process.argv.slice(2);
if (!dir) throw new Error("usage: zone-locale-run.ts <folder with files/, work/, outputs/, spill/>");
const folders = { files: path.join(dir, "files"), work: path.join(dir, "work"), outputs: path.join(dir, "outputs"), spill: path.join(dir, "spill") };
const engine: EngineOptions = { allowedDirectories: [folders.files, folders.work, folders.outputs], spillDirectory: folders.spill, memoryLimit: "1GB", threads: 2 };

// Naive timestamps beside ones with offsets, amounts with a decimal comma and thousands points, and junk, in
// more than a thousand rows so that counts in messages have a thousands separator too.
const csv = path.join(folders.files, "orders.csv");
const lines = ["id,at,amount"];
for (let i = 0; i < 1500; i++) {
  const at = ["2024-06-01 12:00:00", "2024-06-01 12:00:00+02:00", "2024-01-15 08:30:00", "2024-06-01T12:00:00Z"][i % 4];
  lines.push(`${i + 1},${at},"${i % 3 === 0 ? "n/a" : `${1 + (i % 7)}.${String(i % 1000).padStart(3, "0")},${i % 100}`}"`);
}
writeFileSync(csv, lines.join("\n") + "\n");

const inspected = await inspectFile(csv, { name: "orders.csv" });
if (!inspected.ok) throw new Error(JSON.stringify(inspected.issues));
const file: DataFileInfo = { id: "f1", name: "orders.csv", path: csv, format: inspected.value.format, columns: inspected.value.columns, options: inspected.value.options, rowCount: inspected.value.rowCount };
const env = { file: (id: string) => (id === "f1" ? file : undefined), sourceColumns: () => undefined };

const loaded = loadPipeline({
  formatVersion: 1,
  nodes: [
    { id: "text", type: "file", position: { x: 0, y: 0 }, config: { fileId: "f1", types: "text" } },
    {
      id: "types",
      type: "retype",
      typeVersion: 2,
      position: { x: 1, y: 0 },
      config: { columns: [{ column: "at", to: "timestamp" }, { column: "amount", to: "double" }], decimalSeparator: ",", thousandsSeparator: "." },
    },
    { id: "typed", type: "file-sink", position: { x: 2, y: 0 }, config: { name: "typed", format: "csv" } },
    // The same file with the types detected at upload: a column mixing naive and offset timestamps is sniffed as TIMESTAMPTZ.
    { id: "inferred", type: "file", position: { x: 0, y: 1 }, config: { fileId: "f1" } },
    { id: "as-read", type: "file-sink", position: { x: 1, y: 1 }, config: { name: "as-read", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "text", target: "types" },
    { id: "e2", source: "types", target: "typed" },
    { id: "e3", source: "inferred", target: "as-read" },
  ],
});
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));

const preview = new PreviewService({ engine, workDir: folders.work, connectors: createConnectors({ http: {}, outputDir: folders.outputs }), connection: async () => Promise.reject(new Error("none")) });
const previews = [];
for (const nodeId of ["types", "inferred"]) {
  const p = await preview.preview({ graph: loaded.graph, nodeId, env, limit: 8 });
  previews.push({ nodeId, columns: p.columns, rows: p.rows, becameNull: p.becameNull, problems: p.problems });
}
await preview.close();

const compiled = compileGraph(loaded.graph, env);
if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
const events: ExecutionEvent[] = [];
const outputDir = path.join(folders.outputs, "run-1");
const run = await executePipeline(compiled.value, {
  engine,
  workDir: path.join(folders.work, "run-1"),
  connectors: createConnectors({ http: {}, outputDir }),
  connection: async () => Promise.reject(new Error("none")),
  runId: "run-1",
  onEvent: (e) => void events.push(e),
});
const outputs = Object.fromEntries(readdirSync(outputDir).sort().map((f) => [f, readFileSync(path.join(outputDir, f), "utf8")]));
const logs = events.flatMap((e) => (e.type === "log" ? [`${e.level} ${e.nodeId ?? ""} ${e.message}`] : []));
process.stdout.write(JSON.stringify({ inspected: inspected.value.columns, previews, ok: run.ok, outputs, logs }));
