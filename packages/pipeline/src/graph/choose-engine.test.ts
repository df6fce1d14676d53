import { describe, expect, it } from "vitest";
import { ok, type PipelineGraph } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { chooseEngine } from "./choose-engine.ts";
import { canonicalizeGraph } from "./canonicalize-graph.ts";

const env: PipelineEnvironment = {
  file: (id) => (id === "f1" ? { id, name: "orders.csv", path: "/data/orders.csv", format: "csv", columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }] } : undefined),
  sourceColumns: () => ok([{ name: "id", type: "integer" }, { name: "name", type: "string" }]),
};
const source = (id: string, connectionId = "c1", extra: object = {}) => node(id, "postgres", { connectionId, schema: "public", table: "orders", ...extra });
const sink = (id: string, connectionId = "c1") => node(id, "postgres-sink", { connectionId, schema: "public", table: "out", mode: "replace" });
const upper = node("up", "clean", { columns: [{ column: "name", operations: [{ op: "case", to: "upper" }] }] });
const title = node("title", "clean", { columns: [{ column: "name", operations: [{ op: "case", to: "title" }] }] });
const chain = (nodes: object[], engine?: PipelineGraph["engine"]): PipelineGraph => {
  const ids = nodes.map((n) => (n as { id: string }).id);
  return { ...graph(nodes, ids.slice(1).map((id, i) => edge(`e${i}`, ids[i]!, id))), ...(engine ? { engine } : {}) };
};

describe("chooseEngine", () => {
  it("auto runs in the database when every source and sink is on one connection and every node can run there", () => {
    const r = chooseEngine(chain([source("src"), upper, sink("out")]), env);
    expect(r.ok && r.value).toMatchObject({ engine: "database", setting: "auto", connectionId: "c1", notPushable: [] });
  });

  it("auto stays on DuckDB and says why: a node PostgreSQL cannot match, two connections, a file sink, a query source", () => {
    const cases: [PipelineGraph, string, string[]][] = [
      [chain([source("src"), title, sink("out")]), "1 node cannot run in the database", ["title"]],
      [chain([source("src"), upper, sink("out", "c2")]), "use 2 different connections", ["src", "out"]],
      [chain([source("src"), upper, fileSink("out")]), "1 node cannot run in the database", ["out"]],
      [chain([source("src", "c1", { mode: "query", sql: "SELECT 1" }), upper, sink("out")]), "1 node cannot run in the database", ["src"]],
      [chain([inlineSource("src"), fileSink("out")]), "no source or sink is a PostgreSQL table", ["out"]],
      [chain([inlineSource("src"), upper, sink("out")]), "source src is not on the PostgreSQL connection", []],
    ];
    for (const [g, why, nodes] of cases) {
      const r = chooseEngine(g, env);
      expect(r.ok && r.value.engine).toBe("duckdb");
      expect(r.ok && r.value.reason).toContain(why);
      expect(r.ok && r.value.notPushable.map((n) => n.nodeId)).toEqual(nodes);
    }
  });

  it("'duckdb' always runs in the worker; 'database' is refused with the reasons when it cannot run there", () => {
    const r = chooseEngine(chain([source("src"), upper, sink("out")], "duckdb"), env);
    expect(r.ok && r.value.engine).toBe("duckdb");
    const inline = chooseEngine(chain([inlineSource("src"), upper, sink("out")], "database"), env);
    expect(inline.ok && inline.value).toMatchObject({ engine: "database", connectionId: "c1" });
    const d = chooseEngine(chain([source("src"), title, sink("out")], "database"), env);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.issues[0]).toMatchObject({ code: "ENGINE_DATABASE_UNAVAILABLE", field: "engine" });
    expect(!d.ok && d.issues[0]?.message).toContain("title: title case needs Unicode letter classes");
  });

  it("'database' stages file and HTTP sources with COPY; 'auto' keeps them on DuckDB and says how to stage them", () => {
    const file = node("f", "file", { fileId: "f1" });
    const api = node("api", "http", { url: "https://api.example.com/orders", method: "GET" });
    const join = node("j", "union", {});
    const g = (engine?: PipelineGraph["engine"]): PipelineGraph => ({
      ...graph([file, api, join, sink("out")], [edge("e1", "f", "j"), edge("e2", "api", "j"), edge("e3", "j", "out")]),
      ...(engine ? { engine } : {}),
    });
    const d = chooseEngine(g("database"), env);
    expect(d.ok && d.value).toMatchObject({ engine: "database", connectionId: "c1", notPushable: [], staged: ["f", "api"] });
    expect(d.ok && d.value.reason).toBe("the pipeline is set to run in the database (sources f, api copied in first)");
    const auto = chooseEngine(g(), env);
    expect(auto.ok && auto.value).toMatchObject({ engine: "duckdb", staged: [] });
    expect(auto.ok && auto.value.notPushable.map((n) => n.nodeId)).toEqual(["f", "api"]);
    expect(auto.ok && auto.value.notPushable[0]?.reason).toContain('set the engine to "database" to copy its rows into the database first');
    expect(auto.ok && auto.value.reason).toBe("file and HTTP API sources (f, api) are read by the worker; choose In the database to copy them in first");
    // A file sink still cannot be written by the database: staging is for sources only.
    const fileOut = chooseEngine(chain([file, fileSink("o2")], "database"), env);
    expect(!fileOut.ok && fileOut.issues[0]?.code).toBe("ENGINE_DATABASE_UNAVAILABLE");
  });

  it("'auto' names file sources by their labels and says they are copied in by In the database, not that they cannot run there", () => {
    const orders = { ...node("f", "file", { fileId: "f1" }), label: "Orders" };
    const customers = { ...node("g", "file", { fileId: "f1" }), label: "Customers" };
    const g = graph([orders, customers, node("j", "union", {}), sink("out")], [edge("e1", "f", "j"), edge("e2", "g", "j"), edge("e3", "j", "out")]);
    const r = chooseEngine(g, env);
    expect(r.ok && r.value.engine).toBe("duckdb");
    expect(r.ok && r.value.reason).toBe("file sources (Orders, Customers) are read by the worker; choose In the database to copy them in first");
    const one = chooseEngine(chain([orders, sink("out")]), env);
    expect(one.ok && one.value.reason).toBe("file source (Orders) is read by the worker; choose In the database to copy it in first");
    // Nodes that In the database would not help are named too.
    const mixed = chooseEngine(graph([orders, source("src"), title, node("j", "union", {}), sink("out")], [edge("e1", "f", "j"), edge("e0", "src", "title"), edge("e2", "title", "j"), edge("e3", "j", "out")]), env);
    expect(mixed.ok && mixed.value.reason).toBe("1 node cannot run in the database (title)");
  });

  it("a PostgreSQL table source on the run's connection runs in place; a query source says why it cannot", () => {
    const r = chooseEngine(chain([source("src", "c1", { mode: "query", sql: "SELECT 1" }), upper, sink("out")], "auto"), env);
    expect(r.ok && r.value.notPushable).toEqual([{ nodeId: "src", reason: "a query source runs in a read-only transaction of its own; read a table to run in the database" }]);
  });

  it("the setting is kept in canonical form only when it is not the default", () => {
    expect(canonicalizeGraph(chain([upper], "database")).engine).toBe("database");
    expect("engine" in canonicalizeGraph(chain([upper], "auto"))).toBe(false);
  });
});
