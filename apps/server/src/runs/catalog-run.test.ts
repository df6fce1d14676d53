import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { nodeCatalog } from "@sluice/pipeline";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
const sink = (id: string, table: string) => node(id, "postgres-sink", { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace", keys: [] });
const cols = [
  { name: "id", type: "string" },
  { name: "region", type: "string" },
  { name: "qty", type: "string" },
  { name: "day", type: "string" },
];

/** One pipeline that passes through every transform in the catalog, into real PostgreSQL tables. */
const graph = {
  formatVersion: 1,
  nodes: [
    node("a", "inline", { columns: cols, rows: [["1", " north ", "3", "2024-01-05"], ["2", "SOUTH", "n/a", "05/01/2024"], ["2", "SOUTH", "n/a", "05/01/2024"]] }),
    node("b", "inline", { columns: cols.slice(0, 3), rows: [["3", "north", "7"], ["4", "east", "1"]] }),
    node("stack", "union", {}),
    node("tidy", "clean", { columns: [{ column: "region", operations: [{ op: "trim" }, { op: "case", to: "lower" }] }, { column: "qty", operations: [{ op: "null_if", values: ["n/a"] }] }] }),
    node("types", "retype", { columns: [{ column: "qty", to: "integer" }, { column: "day", to: "date", formats: ["%Y-%m-%d", "%d/%m/%Y"] }] }),
    node("once", "dedupe", { keys: ["id"], keep: "first" }),
    node("some", "filter", { condition: { kind: "group", op: "or", conditions: [{ kind: "rule", column: "qty", operator: ">", value: 0 }, { kind: "rule", column: "qty", operator: "is_null" }] } }),
    node("calc", "derive", { derivations: [{ column: "double_qty", expression: "coalesce(qty, 0) * 2" }] }),
    node("ordered", "sort", { keys: [{ column: "double_qty", direction: "desc" }] }),
    node("top", "limit", { count: 3, skip: 0 }),
    node("keep", "select", { mode: "keep", columns: [{ name: "id" }, { name: "region" }, { name: "double_qty", rename: "dq" }] }),
    node("qa", "check", {
      rules: [
        { kind: "not_null", columns: ["id"] },
        { kind: "referential", column: "region", referenceColumn: "region" },
        { kind: "range", column: "dq", max: 10, severity: "warn" },
      ],
    }),
    node("ranked", "aggregate", { mode: "window", orderBy: [{ column: "dq", direction: "desc" }], windows: [{ fn: "row_number", as: "pos" }] }),
    node("regions", "inline", { columns: [{ name: "region", type: "string" }, { name: "manager", type: "string" }], rows: [["north", "Ada"], ["south", "Bo"], ["east", "Cy"]] }),
    node("joined", "join", { kind: "left", keys: [{ left: "region", right: "region" }] }),
    node("per_region", "group", { keys: ["region"], aggregations: [{ column: "qty", fn: "sum", as: "total" }] }),
    node("wide", "pivot", { groupBy: [], pivotColumn: "region", values: ["north", "south", "east"], valueColumn: "total", aggregation: "sum" }),
    node("long", "unpivot", { columns: ["north", "south", "east"], nameColumn: "region", valueColumn: "total" }),
    sink("out_ranked", "cat_ranked"),
    sink("out_joined", "cat_joined"),
    sink("out_long", "cat_long"),
    node("out_file", "file-sink", { name: "ranked", format: "csv" }),
  ],
  edges: [
    ["a", "stack"], ["b", "stack"], ["stack", "tidy"], ["tidy", "types"], ["types", "once"], ["once", "some"], ["some", "calc"],
    ["calc", "ordered"], ["ordered", "top"], ["top", "keep"], ["keep", "qa", "in"], ["regions", "qa", "reference"], ["qa", "ranked"], ["ranked", "out_ranked"], ["ranked", "out_file"],
    ["once", "joined", "left"], ["regions", "joined", "right"], ["joined", "out_joined"],
    ["once", "per_region"], ["per_region", "wide"], ["wide", "long"], ["long", "out_long"],
  ].map(([source, target, targetPort], i) => ({ id: `e${i}`, source: source!, target: target!, ...(targetPort ? { targetPort } : {}), ...(source === "types" ? { sourcePort: "out" } : {}) })),
};

const rows = (sql: string) => sqlRows(t.warehouse.url, sql);

describe("every transform in a real run", () => {
  it("covers the whole catalog but the external sources", () => {
    const used = new Set(graph.nodes.map((n) => n.type));
    const missing = nodeCatalog.map((d) => d.type).filter((ty) => !used.has(ty) && !["file", "postgres", "http"].includes(ty));
    expect(missing).toEqual([]);
  });

  it("loads the expected rows into PostgreSQL", async () => {
    const check = await request(t.app).post("/api/pipelines/validate").send({ graph });
    expect(check.body.problems.filter((p: { severity: string }) => p.severity === "error")).toEqual([]);
    const p = await request(t.app).post("/api/pipelines").send({ name: "Catalog", graph });
    const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
    const run = await waitForRun(t.app, body.runId);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect(await rows("SELECT id, region, dq, pos FROM warehouse.cat_ranked ORDER BY pos")).toEqual([
      { id: "3", region: "north", dq: "14", pos: "1" },
      { id: "1", region: "north", dq: "6", pos: "2" },
      { id: "4", region: "east", dq: "2", pos: "3" },
    ]);
    expect(await rows("SELECT id, manager FROM warehouse.cat_joined ORDER BY id")).toEqual([
      { id: "1", manager: "Ada" },
      { id: "2", manager: "Bo" },
      { id: "3", manager: "Ada" },
      { id: "4", manager: "Cy" },
    ]);
    expect(await rows("SELECT region, total FROM warehouse.cat_long ORDER BY region")).toEqual([
      { region: "east", total: "1" },
      { region: "north", total: "10" },
      { region: "south", total: null },
    ]);
    const detail = (await request(t.app).get(`/api/runs/${body.runId}`)).body;
    expect(detail.checks.map((c: { rule: string; passed: boolean; failingRows: number }) => [c.rule, c.passed, c.failingRows])).toEqual([
      ["id not null", true, 0],
      ["region found in reference region", true, 0],
      ["dq at most 10", false, 1],
    ]);
    expect(detail.checks[2].samples).toEqual([{ id: "3", region: "north", dq: 14 }]);
    // The failed warning is in the run's log; the run went on.
    const warned = await sqlRows(t.database.url, "SELECT message FROM run_logs WHERE run_id = $1 AND level = 'warn' AND node_id = 'qa'", [body.runId]);
    expect(warned.map((r) => r.message)).toEqual(['Quality rule "dq at most 10" failed (warning only): 1 of 3 rows fail.']);
    const outputs = detail.outputs;
    expect(outputs.map((o: { name: string }) => o.name)).toEqual(["ranked.csv"]);
    const file = await request(t.app).get(`/api/runs/${body.runId}/outputs/ranked.csv`);
    expect(file.status).toBe(200);
    expect(file.text.split("\n")[0]).toBe("id,region,dq,pos");
    // Every node reports exact rows, streamed ones included; a node's rows in are its inputs' rows out.
    const nodes = (await request(t.app).get(`/api/runs/${body.runId}`)).body.nodes as { nodeId: string; rowsIn: number | null; rowsOut: number | null }[];
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    for (const n of nodes) expect(n.rowsOut, n.nodeId).not.toBeNull();
    for (const n of graph.nodes) {
      const upstream = graph.edges.filter((e) => e.target === n.id);
      if (upstream.length === 0 || upstream.some((e) => (e.sourcePort ?? "out") !== "out")) continue;
      const expected = upstream.reduce((sum, e) => sum + (byId.get(e.source)?.rowsOut ?? Number.NaN), 0);
      expect(byId.get(n.id)?.rowsIn, n.id).toBe(expected);
    }
  }, 60_000);
});
