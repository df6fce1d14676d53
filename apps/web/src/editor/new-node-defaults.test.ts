import { describe, expect, it } from "vitest";
import { emptyGraph } from "@sluice/model";
import { createEditorStore } from "./editor.store.ts";
import { newNodeConfig, tableNameFrom } from "./new-node-defaults.ts";

const warehouse = { id: "wh", kind: "postgres" };
const config = (id: string, store: ReturnType<typeof createEditorStore>) => store.getState().graph.nodes.find((n) => n.id === id)?.config;

describe("new nodes' settings from the workspace", () => {
  it("names a table after the pipeline: lower case, one underscore between words, no leading digit, 63 bytes at most", () => {
    expect(tableNameFrom("Messy orders, counted")).toBe("messy_orders_counted");
    expect(tableNameFrom("  Ventes été 2024!")).toBe("ventes_ete_2024");
    expect(tableNameFrom("2024 revenue")).toBe("t_2024_revenue");
    expect(tableNameFrom("_sluice_loads")).toBe("sluice_loads");
    expect(tableNameFrom("数据")).toBe("");
    expect(tableNameFrom(`${"a".repeat(62)} b`)).toBe("a".repeat(62));
  });

  it("chooses the connection only when exactly one PostgreSQL connection is on", () => {
    const graph = emptyGraph();
    expect(newNodeConfig([warehouse, { id: "api", kind: "http" }], "")("postgres", graph)).toEqual({ connectionId: "wh" });
    expect(newNodeConfig([warehouse, { id: "other", kind: "postgres" }], "")("postgres", graph)).toBeUndefined();
    expect(newNodeConfig([warehouse, { id: "off", kind: "postgres", unavailable: "turned off" }], "")("postgres", graph)).toEqual({ connectionId: "wh" });
    expect(newNodeConfig(undefined, "")("postgres-sink", graph)).toBeUndefined();
    expect(newNodeConfig([warehouse], "Sales")("filter", graph)).toBeUndefined();
  });

  it("gives a table sink the pipeline's name, numbered when another sink of the graph already writes there", () => {
    const store = createEditorStore();
    store.getState().setNewNodeConfig(newNodeConfig([warehouse], "Revenue by country"));
    store.getState().addNode("postgres-sink", { x: 0, y: 0 });
    // Mode stays create: it fails rather than replace a table that exists.
    expect(config("postgres-sink", store)).toEqual({ connectionId: "wh", schema: "public", table: "revenue_by_country", mode: "create", keys: [] });
    store.getState().addNode("inline", { x: -300, y: 0 });
    expect(store.getState().addConnectedNode("postgres-sink", { x: 0, y: 300 }, { nodeId: "inline", port: "out", side: "source" })).toBe("postgres-sink_2");
    expect(store.getState().addNodeAfter("postgres-sink", { x: 300, y: 0 }, "inline")).toBe("postgres-sink_3");
    expect(config("postgres-sink_2", store)).toMatchObject({ connectionId: "wh", table: "revenue_by_country_2" });
    expect(config("postgres-sink_3", store)).toMatchObject({ connectionId: "wh", table: "revenue_by_country_3" });
    store.getState().addNode("postgres", { x: 0, y: 600 });
    expect(config("postgres", store)).toMatchObject({ connectionId: "wh", table: "" });
  });
});
