import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { compileGraph, duckdbDialect, getNodeDefinition, relationName, ROW_ORDER_COLUMN, type CompiledPipeline } from "@sluice/pipeline";
import { createConnectors } from "./connectors/connectors.ts";
import { executePipeline, type ExecuteOptions } from "./executor.ts";
import { storedFile } from "./stored-outputs.ts";
import type { ExecutionProgress } from "./execution-events.ts";
import { engineFolders, environment, eventLog, loadStep, queryStep, rangeSql, recordingConnectors, sinkStep } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
beforeEach(() => {
  f = engineFolders("exec");
});
afterEach(() => f.remove());

const WEIRD = 'we"ird; name';
const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [
    {
      id: "src",
      type: "inline",
      position: { x: 0, y: 0 },
      config: { columns: [{ name: "id", type: "integer" }, { name: WEIRD, type: "string" }], rows: [[3, "c"], [1, "a"], [2, null]] },
    },
    { id: "pick", type: "select", position: { x: 1, y: 0 }, config: { columns: [{ name: WEIRD, rename: "label" }, { name: "id" }] } },
    { id: "calc", type: "derive", position: { x: 2, y: 0 }, config: { derivations: [{ column: "twice", expression: "id * 2" }] } },
    { id: "out", type: "file-sink", position: { x: 3, y: 0 }, config: { name: "result", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "pick" },
    { id: "e2", source: "pick", target: "calc" },
    { id: "e3", source: "calc", target: "out" },
  ],
};

function compiled(g: PipelineGraph = graph): CompiledPipeline {
  const c = compileGraph(g, environment());
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.value;
}

function options(o: Partial<ExecuteOptions> = {}): ExecuteOptions {
  return {
    engine: f.engine,
    workDir: path.join(f.work, "run-1"),
    connectors: createConnectors({ http: {}, outputDir: path.join(f.outputs, "run-1") }),
    connection: async (id) => {
      throw new Error(`no connection ${id}`);
    },
    runId: "run-1",
    onEvent: () => undefined,
    ...o,
  };
}

/** A statement that keeps DuckDB busy for minutes unless interrupted. */
const slowSql = () => `SELECT a.range AS i, a.range + 1 AS "${ROW_ORDER_COLUMN}" FROM range(200000) a, range(200000) b WHERE a.range + b.range = -1`;

describe("executePipeline", () => {
  it("runs a graph from the catalog end to end into a file, in row order, with per-node stats", async () => {
    const log = eventLog();
    const r = await executePipeline(compiled(), options({ onEvent: log.onEvent }));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsRead: 3, rowsWritten: 3 });
    expect(readFileSync(path.join(f.outputs, "run-1", "result.csv"), "utf8")).toBe("label,id,twice\nc,3,6\na,1,2\n,2,4\n");
    const byNode = Object.fromEntries(r.nodes.map((n) => [n.nodeId, n]));
    expect(byNode.src).toMatchObject({ status: "succeeded", storage: "table", rowsIn: null, rowsOut: 3 });
    // "pick" (select) streams into "calc": a view, counted because select keeps the row count.
    expect(byNode.pick).toMatchObject({ status: "succeeded", storage: "view", rowsIn: 3, rowsOut: 3 });
    expect(byNode.calc).toMatchObject({ status: "succeeded", storage: "table", rowsIn: 3, rowsOut: 3 });
    expect(byNode.out).toMatchObject({ status: "succeeded", storage: "sink", rowsIn: 3, rowsOut: 3 });
    for (const n of r.nodes) expect(n.durationMs).toBeGreaterThanOrEqual(0);
    for (const id of ["src", "pick", "calc", "out"]) expect(log.statuses(id)).toEqual(["running", "succeeded"]);
    // A streamed node finishes with the step that computes it.
    const order = log.events.flatMap((e) => (e.type === "node" ? [`${e.nodeId}:${e.status}`] : []));
    expect(order).toEqual(["src:running", "src:succeeded", "pick:running", "calc:running", "pick:succeeded", "calc:succeeded", "out:running", "out:succeeded"]);
    expect(existsSync(path.join(f.work, "run-1"))).toBe(false);
    expect(readdirSync(f.spill)).toEqual([]);
  });

  it("counts every node when every step is a table", async () => {
    const r = await executePipeline(compiled(), options({ materialize: "tables" }));
    expect(r.ok).toBe(true);
    expect(r.nodes.map((n) => [n.nodeId, n.storage, n.rowsIn, n.rowsOut])).toEqual([
      ["src", "table", null, 3],
      ["pick", "table", 3, 3],
      ["calc", "table", 3, 3],
      ["out", "sink", 3, 3],
    ]);
  });

  it("hands sinks their rows in row order without the row order column, with the run's load key", async () => {
    const connectors = recordingConnectors({ rows: 4 });
    const steps = [
      loadStep("db", [{ name: "i", type: "bigint" }]),
      queryStep("rev", ([i]) => `SELECT i * 10 AS v, -"${ROW_ORDER_COLUMN}" AS "${ROW_ORDER_COLUMN}" FROM ${i}`, { inputs: ["db"] }),
      sinkStep("sink", "rev", [{ name: "v", type: "bigint" }]),
    ];
    const r = await executePipeline({ steps }, options({ connectors }));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsRead: 4, rowsWritten: 4 });
    // Stored in reverse: the sink sorts.
    expect(connectors.sinks).toEqual([{ nodeId: "sink", rows: [{ v: "30" }, { v: "20" }, { v: "10" }, { v: "0" }], loadKey: { runId: "run-1", nodeId: "sink" }, sorted: true }]);
  });

  it("lets a sink skip the sort when its input table is stored in row order, and only then", async () => {
    const connectors = recordingConnectors({ rows: 4 });
    const steps = [
      loadStep("db", [{ name: "i", type: "bigint" }]),
      queryStep("same", ([i]) => `SELECT i * 10 AS v, "${ROW_ORDER_COLUMN}" FROM ${i}`, { inputs: ["db"] }),
      sinkStep("a", "same", [{ name: "v", type: "bigint" }]),
      sinkStep("b", "same", [{ name: "v", type: "bigint" }]),
    ];
    const r = await executePipeline({ steps }, options({ connectors }));
    expect(r.ok).toBe(true);
    // Written side by side: in either order.
    expect(connectors.sinks.map((s) => [s.nodeId, s.sorted, s.rows.map((x) => x.v).join(",")]).sort()).toEqual([
      ["a", false, "0,10,20,30"],
      ["b", false, "0,10,20,30"],
    ]);
  });

  it("keeps a join's rows in left order, then right order, on data large enough to run in parallel", async () => {
    const join = getNodeDefinition("join")!;
    const cols = { left: [{ name: "id", type: "bigint" as const }, { name: "k", type: "bigint" as const }], right: [{ name: "k", type: "bigint" as const }, { name: "tag", type: "bigint" as const }] };
    const config = join.configSchema.parse({ kind: "left", keys: [{ left: "k", right: "k" }] });
    const ctx = { nodeId: "j", inputs: { left: [cols.left], right: [cols.right] }, env: environment(), relations: { left: [relationName("l", "out")], right: [relationName("r", "out")] } };
    const inferred = join.inferSchema(ctx, config);
    if (!inferred.ok) throw new Error(JSON.stringify(inferred.issues));
    const step = join.compile({ ...ctx, outputs: inferred.value, dialect: duckdbDialect }, config);
    const steps = [
      // Left rows in descending id order; every key matches two right rows (tags 1 and 2), key 0 none.
      queryStep("l", () => `SELECT 300000 - range AS id, range % 5000 AS k, range + 1 AS "${ROW_ORDER_COLUMN}" FROM range(300000)`),
      queryStep("r", () => `SELECT (range // 2) + 1 AS k, (range % 2) + 1 AS tag, 10000 - range AS "${ROW_ORDER_COLUMN}" FROM range(9998)`),
      { ...queryStep("j", () => "", { inputs: ["l", "r"] }), inputRelations: ctx.relations, step },
      queryStep("check", ([j]) => `SELECT count(*) AS n, count(*) FILTER (WHERE id > prev_id OR (id = prev_id AND tag > prev_tag)) AS out_of_order, 1 AS "${ROW_ORDER_COLUMN}"
        FROM (SELECT id, coalesce(tag, 0) AS tag, lag(id) OVER (ORDER BY "${ROW_ORDER_COLUMN}") AS prev_id, lag(coalesce(tag, 0)) OVER (ORDER BY "${ROW_ORDER_COLUMN}") AS prev_tag FROM ${j})`, { inputs: ["j"] }),
      sinkStep("sink", "check", [{ name: "n", type: "bigint" }, { name: "out_of_order", type: "bigint" }]),
    ];
    const connectors = recordingConnectors();
    const r = await executePipeline({ steps }, options({ connectors }));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    // 60 left rows with key 0 match nothing; the rest match two right rows each, tag 2 (earlier in right order) first.
    expect(connectors.sinks[0]?.rows).toEqual([{ n: String(300000 * 2 - 60), out_of_order: "0" }]);
  });

  it("counts a filter streamed over a stored input exactly, and a projection read by several sinks", async () => {
    const connectors = recordingConnectors();
    const steps = [
      queryStep("src", () => rangeSql(10)),
      queryStep("odd", ([s]) => `SELECT * FROM ${s} WHERE i % 2 = 1`, { inputs: ["src"], keepsRowCount: false, recompute: "row-filter" }),
      queryStep("big", ([o]) => `SELECT * FROM ${o} WHERE i > 3`, { inputs: ["odd"], keepsRowCount: false }),
      queryStep("twice", ([b]) => `SELECT i * 2 AS i, "${ROW_ORDER_COLUMN}" FROM ${b}`, { inputs: ["big"], recompute: "projection" }),
      sinkStep("a", "twice", [{ name: "i", type: "bigint" }]),
      sinkStep("b", "twice", [{ name: "i", type: "bigint" }]),
    ];
    const r = await executePipeline({ steps }, options({ connectors }));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 6 });
    expect(r.nodes.map((n) => [n.nodeId, n.storage, n.rowsIn, n.rowsOut])).toEqual([
      ["src", "table", null, 10],
      ["odd", "view", 10, 5],
      ["big", "table", 5, 3],
      ["twice", "view", 3, 3],
      ["a", "sink", 3, 3],
      ["b", "sink", 3, 3],
    ]);
    expect(connectors.sinks.map((s) => [s.sorted, s.rows.map((x) => x.i).join(",")]).sort()).toEqual([
      [false, "10,14,18"],
      [false, "10,14,18"],
    ]);
  });

  it("drops each relation as soon as nothing later reads it", async () => {
    const steps = [
      // Stored as a table numbered by position: both the table and the view over it are dropped.
      queryStep("a", () => rangeSql(5), { unnumbered: "SELECT range AS i FROM range(5)" }),
      queryStep("b", ([a]) => `SELECT * FROM ${a}`, { inputs: ["a"] }),
      queryStep("c", ([b]) => `SELECT * FROM ${b}`, { inputs: ["b"] }),
      // What exists while the last step runs.
      queryStep("seen", () => `SELECT string_agg(table_name, ',' ORDER BY table_name) AS t, 1 AS "${ROW_ORDER_COLUMN}" FROM (SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal) WHERE table_name <> 's_seen_out'`, { inputs: ["c"] }),
      sinkStep("sink", "seen", [{ name: "t", type: "string" }]),
    ];
    const connectors = recordingConnectors();
    const r = await executePipeline({ steps }, options({ connectors, materialize: "tables" }));
    expect(r.ok).toBe(true);
    // "a" and "b" are gone; "c" is still read. ("seen" itself is left out: whether DuckDB lists a table
    // while its CREATE TABLE AS is still running varies from run to run.)
    expect(connectors.sinks[0]?.rows).toEqual([{ t: "s_c_out" }]);
  });

  it("names the streamed node whose data failed, not the step that happened to compute it", async () => {
    const log = eventLog();
    const steps = [
      queryStep("src", () => `SELECT * FROM (VALUES ('1', 1), ('x', 2)) t(a, "${ROW_ORDER_COLUMN}")`),
      queryStep("cast", ([s]) => `SELECT CAST(a AS INTEGER) AS n, "${ROW_ORDER_COLUMN}" FROM ${s}`, { inputs: ["src"] }),
      queryStep("keep", ([c]) => `SELECT * FROM ${c}`, { inputs: ["cast"] }),
      sinkStep("sink", "keep", [{ name: "n", type: "integer" }]),
    ];
    const r = await executePipeline({ steps }, options({ connectors: recordingConnectors(), onEvent: log.onEvent }));
    expect(r).toMatchObject({ ok: false, code: "CONVERSION_FAILED", nodeId: "cast", cancelled: false, transient: false });
    expect(!r.ok && r.error).toBe("cast (cast): A value could not be converted: Could not convert string 'x' to a whole number (integer) when casting from source column a");
    expect(log.statuses("cast")).toEqual(["running", "failed"]);
    expect(log.statuses("keep")).toEqual(["running", "failed"]);
    expect(r.nodes.find((n) => n.nodeId === "keep")?.error).toBe('Stopped because "cast" failed.');
    expect(log.statuses("sink")).toEqual([]);
  });

  it("reports a connector's failure with its code and the node", async () => {
    const connectors = { ...recordingConnectors(), load: async () => ({ ok: false as const, issues: [{ severity: "error" as const, code: "SOURCE_TABLE_NOT_FOUND", message: "relation \"x\" does not exist" }] }) };
    const r = await executePipeline({ steps: [loadStep("db", [{ name: "i", type: "bigint" }])] }, options({ connectors }));
    expect(r).toMatchObject({ ok: false, code: "SOURCE_TABLE_NOT_FOUND", nodeId: "db", error: 'db (db): relation "x" does not exist' });
  });

  it("writes several sinks side by side; when one fails, the others stop without writing", async () => {
    const started: string[] = [];
    const connectors = {
      ...recordingConnectors(),
      sink: async (_t: "postgres" | "file", ctx: { nodeId: string; signal: AbortSignal; duck: { query(sql: string): Promise<unknown[]> }; select: string }) => {
        started.push(ctx.nodeId);
        if (ctx.nodeId === "bad") {
          await new Promise((r) => setTimeout(r, 100));
          return { ok: false as const, issues: [{ severity: "error" as const, code: "SINK_FAILED", message: "the disk is full" }] };
        }
        // Still working when "bad" fails: it sees the stop and commits nothing.
        await ctx.duck.query(ctx.select);
        await new Promise((r) => setTimeout(r, 400));
        if (ctx.signal.aborted) return { ok: false as const, issues: [{ severity: "error" as const, code: "SINK_CANCELLED", message: "Cancelled; nothing was written." }] };
        return { ok: true as const, value: { rowsWritten: 3 } };
      },
    };
    const steps = [queryStep("src", () => rangeSql(3)), sinkStep("good", "src", [{ name: "i", type: "bigint" }]), sinkStep("bad", "src", [{ name: "i", type: "bigint" }])];
    const r = await executePipeline({ steps }, options({ connectors, engine: { ...f.engine, sinkParallelism: 2 } }));
    expect(started.sort()).toEqual(["bad", "good"]);
    expect(r).toMatchObject({ ok: false, code: "SINK_FAILED", nodeId: "bad", error: "bad (bad): the disk is full" });
    expect(r.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ["src", "succeeded"],
      ["good", "cancelled"],
      ["bad", "failed"],
    ]);
    expect(r.nodes.find((n) => n.nodeId === "good")?.error).toContain('Stopped because "bad" failed');
  });

  it("stops within two seconds when cancelled, and cleans up", async () => {
    const log = eventLog();
    const controller = new AbortController();
    const progress: ExecutionProgress[] = [];
    const steps = [queryStep("src", () => rangeSql(10)), queryStep("slow", slowSql, { inputs: ["src"] })];
    const started = Date.now();
    setTimeout(() => controller.abort(), 700);
    const r = await executePipeline({ steps }, options({ signal: controller.signal, onEvent: log.onEvent, onProgress: (p) => progress.push(p) }));
    const stoppedAfter = Date.now() - started - 700;
    expect(r).toMatchObject({ ok: false, code: "RUN_CANCELLED", cancelled: true, timedOut: false, error: "Cancelled.", nodeId: "slow" });
    expect(stoppedAfter).toBeLessThan(2000);
    expect(log.statuses("slow")).toEqual(["running", "cancelled"]);
    expect(progress.some((p) => p.nodeId === "slow" && p.step === 2 && p.steps === 2)).toBe(true);
    expect(existsSync(path.join(f.work, "run-1"))).toBe(false);
    expect(readdirSync(f.spill)).toEqual([]);
  });

  it("does not start a run that is already cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await executePipeline(compiled(), options({ signal: controller.signal }));
    expect(r).toMatchObject({ ok: false, code: "RUN_CANCELLED", cancelled: true });
  });

  it("stops at its timeout and says so", async () => {
    const started = Date.now();
    const r = await executePipeline({ steps: [queryStep("slow", slowSql)] }, options({ timeoutMs: 500 }));
    expect(r).toMatchObject({ ok: false, code: "RUN_TIMED_OUT", timedOut: true, cancelled: false, nodeId: "slow" });
    expect(!r.ok && r.error).toMatch(/^Timed out after 0\.5 s/);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("returns an engine that cannot start as a value", async () => {
    const r = await executePipeline(compiled(), options({ engine: { ...f.engine, memoryLimit: "a lot" } }));
    expect(r).toMatchObject({ ok: false, code: "ENGINE_START_FAILED" });
    expect(existsSync(path.join(f.work, "run-1"))).toBe(false);
  });

  it("keeps each stored node output for a resume while the run goes on, whole once the run returns; pinned sources keep no copy", async () => {
    const saveDir = path.join(f.outputs, "run-1", ".nodes");
    const r = await executePipeline(compiled(), options({ storedOutputs: { saveDir } }));
    expect(r.ok).toBe(true);
    // src is dropped as soon as calc is computed: its file was written first. pick streamed (a view): not kept.
    const kept = JSON.parse(readFileSync(path.join(saveDir, "nodes.json"), "utf8")) as string[];
    expect(kept.sort()).toEqual(["calc", "src"]);
    for (const id of ["src", "calc"]) expect(existsSync(storedFile(saveDir, relationName(id, "out"))), id).toBe(true);
    expect(readdirSync(saveDir).filter((n) => n.endsWith(".part"))).toEqual([]);

    const pinnedDir = path.join(f.outputs, "run-2", ".nodes");
    const p = await executePipeline(compiled(), options({ runId: "run-2", workDir: path.join(f.work, "run-2"), storedOutputs: { saveDir: pinnedDir, pinned: new Set(["src"]) } }));
    expect(p.ok).toBe(true);
    expect((JSON.parse(readFileSync(path.join(pinnedDir, "nodes.json"), "utf8")) as string[]).sort()).toEqual(["calc", "src"]);
    expect(existsSync(storedFile(pinnedDir, relationName("src", "out")))).toBe(false);
  });

  it("keeps a node's SQL inside the sandbox", async () => {
    const r = await executePipeline({ steps: [queryStep("peek", () => `SELECT *, 1 AS "${ROW_ORDER_COLUMN}" FROM read_text('/etc/passwd')`)] }, options());
    expect(r).toMatchObject({ ok: false, code: "ACCESS_DENIED", nodeId: "peek" });
  });
});
