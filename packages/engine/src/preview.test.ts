import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { relationName, ROW_ORDER_COLUMN, type CompiledNodeStep, type DataFileInfo } from "@sluice/pipeline";
import { PreviewService, type PreviewOptions, type PreviewOutcome } from "./preview.ts";
import { engineFolders, environment, loadStep, queryStep, rangeSql, recordingConnectors, type RecordingConnectors } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
let connectors: RecordingConnectors;
let service: PreviewService;
const open = (o: Partial<PreviewOptions> = {}) => {
  service = new PreviewService({ engine: f.engine, workDir: f.work, connectors, connection: async () => Promise.reject(new Error("none")), ...o });
  return service;
};
beforeEach(() => {
  f = engineFolders("preview");
  connectors = recordingConnectors({ rows: 50 });
});
afterEach(async () => {
  await service?.close();
  f.remove();
});

const O = `"${ROW_ORDER_COLUMN}"`;
const rows = [
  [1, "Ada", "1815-12-10", "2024-01-02 03:04:05", "9007199254740993"],
  [2, null, "1906-12-09", null, "42"],
  [3, "Grace", null, "2024-06-30 23:59:59.5", null],
  [4, "Ada", "1815-12-10", "2023-12-31 00:00:00", "-7"],
];
const graph = (o: { derive?: string; rows?: unknown[][] } = {}): PipelineGraph => ({
  formatVersion: 1,
  nodes: [
    {
      id: "src",
      type: "inline",
      position: { x: 0, y: 0 },
      config: {
        columns: [
          { name: "id", type: "integer" },
          { name: "who", type: "string" },
          { name: "born", type: "date" },
          { name: "seen", type: "timestamp" },
          { name: "big", type: "bigint" },
        ],
        rows: o.rows ?? rows,
      },
    },
    { id: "pick", type: "select", position: { x: 1, y: 0 }, config: { mode: "drop", columns: [{ name: "seen" }] } },
    { id: "calc", type: "derive", position: { x: 2, y: 0 }, config: { derivations: [{ column: "twice", expression: o.derive ?? "id * 2" }] } },
    { id: "out", type: "file-sink", position: { x: 3, y: 0 }, config: { name: "out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "pick" },
    { id: "e2", source: "pick", target: "calc" },
    { id: "e3", source: "calc", target: "out" },
  ],
});
const env = environment();

/** For hand-built steps, through the compiled form. */
const previewSteps = (steps: CompiledNodeStep[], nodeId: string, limit = 10, signal?: AbortSignal): Promise<PreviewOutcome> =>
  service.previewCompiled({ compiled: { steps }, nodeId, limit, signal });

describe("PreviewService", () => {
  it("returns columns, JSON-safe rows, a profile of every column and timing", async () => {
    const r = await open().preview({ graph: graph(), nodeId: "src", limit: 2, env });
    expect(r.problems).toEqual([]);
    expect(r.columns).toEqual([
      { name: "id", type: "integer" },
      { name: "who", type: "string" },
      { name: "born", type: "date" },
      { name: "seen", type: "timestamp" },
      { name: "big", type: "bigint" },
    ]);
    expect(r.rows).toEqual([
      // 2^53 + 1 cannot be a JSON number without losing its last digit, so it stays text.
      { id: 1, who: "Ada", born: "1815-12-10", seen: "2024-01-02T03:04:05", big: "9007199254740993" },
      { id: 2, who: null, born: "1906-12-09", seen: null, big: 42 },
    ]);
    expect(r.rowCount).toBe(4);
    expect(r.sampled).toBeNull();
    expect(r.profile).toEqual({
      id: { nulls: 0, distinct: 4, distinctApproximate: false, min: "1", max: "4" },
      who: { nulls: 1, distinct: 2, distinctApproximate: false, min: "Ada", max: "Grace" },
      born: { nulls: 1, distinct: 2, distinctApproximate: false, min: "1815-12-10", max: "1906-12-09" },
      seen: { nulls: 1, distinct: 3, distinctApproximate: false, min: "2023-12-31T00:00:00", max: "2024-06-30T23:59:59.5" },
      big: { nulls: 1, distinct: 3, distinctApproximate: false, min: "-7", max: "9007199254740993" },
    });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it("shows what a sink would write, and never runs it", async () => {
    const r = await open().preview({ graph: graph(), nodeId: "out", limit: 1000, env });
    expect(r.columns.map((c) => c.name)).toEqual(["id", "who", "born", "big", "twice"]);
    expect(r.rows.map((x) => x.twice)).toEqual([2, 4, 6, 8]);
    expect(connectors.sinks).toEqual([]);
    expect(readdirSync(f.outputs)).toEqual([]);
  });

  it("recomputes only the edited node and what is downstream of it", async () => {
    const s = open();
    await s.preview({ graph: graph(), nodeId: "calc", env });
    expect(s.computedNodes).toEqual(["src", "pick", "calc"]);
    await s.preview({ graph: graph(), nodeId: "out", env });
    expect(s.computedNodes).toHaveLength(3);
    const edited = await s.preview({ graph: graph({ derive: "id * 3" }), nodeId: "calc", env });
    expect(edited.rows.map((x) => x.twice)).toEqual([3, 6, 9, 12]);
    expect(s.computedNodes.slice(3)).toEqual(["calc"]);
    await s.preview({ graph: graph({ rows: rows.slice(0, 2) }), nodeId: "calc", env });
    expect(s.computedNodes.slice(4)).toEqual(["src", "pick", "calc"]);
    expect(s.stats()).toMatchObject({ computed: 7, cachedSteps: 7 });
  });

  it("reads an uploaded file again when it changed in place", async () => {
    const file = path.join(f.files, "people.csv");
    writeFileSync(file, "id,name\n1,a\n2,b\n");
    const info: DataFileInfo = { id: "f1", name: "people.csv", path: file, format: "csv", columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], options: { header: true, delimiter: "," } };
    const g: PipelineGraph = { formatVersion: 1, nodes: [{ id: "people", type: "file", position: { x: 0, y: 0 }, config: { fileId: "f1" } }], edges: [] };
    const s = open();
    expect((await s.preview({ graph: g, nodeId: "people", env: environment([info]) })).rowCount).toBe(2);
    expect((await s.preview({ graph: g, nodeId: "people", env: environment([info]) })).rowCount).toBe(2);
    expect(s.computed).toBe(1);
    writeFileSync(file, "id,name\n1,a\n2,b\n3,c\n");
    expect((await s.preview({ graph: g, nodeId: "people", env: environment([info]) })).rowCount).toBe(3);
  });

  it("samples a file counted at upload as bigger than it tries whole, without spending the time budget first", async () => {
    const file = path.join(f.files, "many.csv");
    writeFileSync(file, `n\n${Array.from({ length: 30 }, (_, i) => i).join("\n")}\n`);
    const info = (rowCount: number): DataFileInfo => ({ id: "f1", name: "many.csv", path: file, format: "csv", columns: [{ name: "n", type: "integer" }], options: { header: true, delimiter: "," }, rowCount });
    const g: PipelineGraph = { formatVersion: 1, nodes: [{ id: "many", type: "file", position: { x: 0, y: 0 }, config: { fileId: "f1" } }], edges: [] };
    const s = open({ wholeRows: 20, sampleRows: 10 });
    expect(await s.preview({ graph: g, nodeId: "many", env: environment([info(30)]) })).toMatchObject({ rowCount: 10, sampled: { sourceRows: 10 } });
    // A count within the limit is read whole.
    expect(await s.preview({ graph: g, nodeId: "many", env: environment([info(20)]) })).toMatchObject({ rowCount: 30, sampled: null });
  });

  it("returns problems on the node instead of rows", async () => {
    const s = open();
    const invalid = await s.preview({ graph: graph({ derive: "nope + 1" }), nodeId: "calc", env });
    expect(invalid.rows).toEqual([]);
    expect(invalid.rowCount).toBeNull();
    expect(invalid.problems[0]).toMatchObject({ nodeId: "calc", severity: "error" });
    const unknown = await s.preview({ graph: graph(), nodeId: "ghost", env });
    expect(unknown.problems[0]?.code).toBe("UNKNOWN_NODE");
    const failing = await previewSteps([queryStep("src", () => `SELECT 'x' AS a, 1 AS ${O}`), queryStep("cast", ([i]) => `SELECT CAST(a AS INTEGER) AS n, ${O} FROM ${i}`, { inputs: ["src"] })], "cast");
    expect(failing).toMatchObject({ ok: false, nodeId: "cast", code: "CONVERSION_FAILED" });
    const peek = await previewSteps([queryStep("peek", () => `SELECT *, 1 AS ${O} FROM read_text('/etc/passwd')`)], "peek");
    expect(peek).toMatchObject({ ok: false, code: "ACCESS_DENIED" });
  });

  it("caps the rows returned at 1,000", async () => {
    const r = await open().preview({ graph: graph(), nodeId: "src", limit: 5000, env });
    expect(r.rows).toHaveLength(4);
    const big = await previewSteps([queryStep("big", () => rangeSql(3000), { columns: [{ name: "i", type: "bigint" }] })], "big", 5000);
    expect(big.ok && big.value.rows.length).toBe(1000);
    expect(big.ok && big.value.rowCount).toBe(3000);
  });

  it("falls back to the first rows of driving sources past its time budget, keeping a join's right side whole", async () => {
    // A budget well above what a loaded machine takes for the cached sample, so the time bounds below tell the paths apart.
    const s = open({ budgetMs: 1500, sampleRows: 1000 });
    const n = 300_000;
    const columns = [{ name: "i", type: "bigint" as const }];
    const left = queryStep("left", () => rangeSql(n), { columns });
    // Quadratic: instant on 1,000 rows, hours on 300,000.
    const heavy = queryStep("heavy", ([l]) => `SELECT * FROM ${l} WHERE (SELECT count(*) FROM ${l} a, ${l} b WHERE a.i + b.i = -1) = 0`, { inputs: ["left"], columns });
    // The right side counts down, so its first 1,000 rows would match none of the left's first 1,000.
    const right = queryStep("right", () => `SELECT ${n - 1} - range AS j, range + 1 AS ${O} FROM range(${n})`, { columns: [{ name: "j", type: "bigint" }] });
    const join: CompiledNodeStep = {
      ...queryStep("join", () => `SELECT l.i, r.j, l.${O} FROM ${relationName("heavy", "out")} l JOIN ${relationName("right", "out")} r ON l.i = r.j`, {
        columns: [...columns, { name: "j", type: "bigint" }],
      }),
      inputRelations: { left: [relationName("heavy", "out")], right: [relationName("right", "out")] },
      inputs: { left: [columns], right: [[{ name: "j", type: "bigint" }]] },
    };
    const started = Date.now();
    const r = await previewSteps([left, heavy, right, join], "join", 3);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.value.sampled).toEqual({ sourceRows: 1000 });
    expect(r.value.rowCount).toBe(1000);
    expect(r.value.rows).toEqual([
      { i: 0, j: 0 },
      { i: 1, j: 1 },
      { i: 2, j: 2 },
    ]);
    // The next preview of the same steps knows they are slow and goes straight to the cached sample.
    const before = s.computed;
    const again = Date.now();
    const second = await previewSteps([left, heavy, right, join], "join", 3);
    expect(second.ok && second.value.sampled).toEqual({ sourceRows: 1000 });
    expect(Date.now() - again).toBeLessThan(1500);
    expect(s.computed).toBe(before);
  });

  it("brings loads in through the loader with a row limit, and reuses them for a while", async () => {
    const s = open({ loadRows: 20 });
    const steps = [loadStep("db", [{ name: "i", type: "bigint" }], { table: "t" })];
    const r = await previewSteps(steps, "db", 5);
    expect(r.ok && r.value).toMatchObject({ rowCount: 20, sampled: { sourceRows: 20 } });
    expect(connectors.loads).toEqual([expect.objectContaining({ nodeId: "db", rowLimit: 21 })]);
    await previewSteps(steps, "db", 5);
    expect(connectors.loads).toHaveLength(1);
    await s.close();
    open({ loadRows: 100, loadTtlMs: 0 });
    const whole = await previewSteps(steps, "db", 5);
    expect(whole.ok && whole.value).toMatchObject({ rowCount: 50, sampled: null });
    await previewSteps(steps, "db", 5);
    expect(connectors.loads).toHaveLength(3);
  });

  it("keeps at most cacheSize results, dropping the least recently used", async () => {
    const s = open({ cacheSize: 2 });
    const chain = (k: number) => [queryStep("a", () => rangeSql(k)), queryStep("b", ([a]) => `SELECT * FROM ${a}`, { inputs: ["a"] })];
    await previewSteps(chain(1), "b");
    await previewSteps(chain(2), "b");
    expect(s.stats().cachedSteps).toBe(2);
    const computed = s.computed;
    await previewSteps(chain(1), "b");
    expect(s.computed - computed).toBe(2);
  });

  it("stops when the caller gives up, and serves the next preview", async () => {
    const s = open({ budgetMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const slow = [queryStep("slow", () => `SELECT a.range AS i, 1 AS ${O} FROM range(200000) a, range(200000) b WHERE a.range + b.range = -1`)];
    const r = await previewSteps(slow, "slow", 10, controller.signal);
    expect(r).toMatchObject({ ok: false, code: "PREVIEW_CANCELLED", nodeId: "slow" });
    // The query would run for hours; the cancel comes after 300 ms.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await s.preview({ graph: graph(), nodeId: "src", env })).rowCount).toBe(4);
  });

});
