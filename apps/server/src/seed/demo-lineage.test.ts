import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { columnLineage, DATASET_PORT, nodeCatalog, traceColumn, type DataFileInfo, type LineageEnvironment } from "@sluice/pipeline";
import { demoGraph } from "./demo-graph.ts";

const text = (...names: string[]): Column[] => names.map((name) => ({ name, type: "string" }));
const files: Record<string, DataFileInfo> = {
  "f-orders": { id: "f-orders", name: "orders.csv", path: "", format: "csv", columns: text("order_id", "customer_id", "order_date", "amount", "status") },
  "f-customers": { id: "f-customers", name: "customers.csv", path: "", format: "csv", columns: [...text("customer_id", "name", "country"), { name: "signup_date", type: "date" }] },
};
const env: LineageEnvironment = {
  file: (id) => files[id],
  sourceColumns: () => undefined,
  connection: () => ({ host: "warehouse.internal", port: 5432, database: "sluice" }),
};
const graph = demoGraph({ ordersFileId: "f-orders", customersFileId: "f-customers", connectionId: "conn" });

/** The catalog-wide check on the pipeline every new user sees first (its API twin is in lineage.api.test.ts). */
describe("the demo pipeline's column lineage", () => {
  const lineage = columnLineage(graph, env);

  it("covers every node, each declared by its node type", () => {
    expect(lineage.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(Object.keys(lineage.nodes).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    for (const n of graph.nodes) expect(nodeCatalog.find((d) => d.type === n.type)?.lineage, n.type).toBeTypeOf("function");
    expect(lineage.nodes.orders!.dataset).toEqual({ kind: "file", access: "read", namespace: "sluice://files", name: "f-orders/orders.csv", label: "orders.csv" });
    expect(lineage.nodes.load!.dataset).toEqual({
      kind: "postgres",
      access: "write",
      namespace: "postgres://warehouse.internal:5432",
      name: "sluice.warehouse.revenue_by_country",
      label: "warehouse.revenue_by_country",
    });
  });

  it("leads revenue in the sink table back to orders.csv amount through clean, retype, filter, join and group", () => {
    const trace = traceColumn(lineage, { nodeId: "load", port: DATASET_PORT, column: "revenue" }, { indirect: false });
    const amountPath = trace.upstream.filter((s) => s.column === "amount").map((s) => s.nodeId);
    expect(amountPath).toEqual(["join", "has_amount", "dedupe", "retype", "clean", "orders", "orders"]);
    const file = trace.upstream.at(-1)!;
    expect(file).toMatchObject({ nodeId: "orders", port: DATASET_PORT, column: "amount", transformation: { type: "DIRECT", subtype: "AGGREGATION" } });
    expect(file.dataset?.label).toBe("orders.csv");
    // Revenue is a sum of amount, so nothing but amount flows into it.
    expect(new Set(trace.upstream.map((s) => s.column))).toEqual(new Set(["revenue", "amount"]));
    // What decides its rows: the filter on amount, the join on customer_id, the grouping by country.
    const rows = traceColumn(lineage, { nodeId: "load", column: "revenue" }).upstream.filter((s) => s.transformation.type === "INDIRECT");
    expect(rows.filter((s) => s.port === DATASET_PORT).map((s) => [s.nodeId, s.column, s.transformation.subtype]).sort()).toEqual([
      ["customers", "country", "GROUP_BY"],
      ["customers", "customer_id", "JOIN"],
      ["orders", "customer_id", "JOIN"],
      ["orders", "order_id", "GROUP_BY"],
    ]);
  });
});
