import { describe, expect, it } from "vitest";
import type { ConnectionInfo, WorkspaceLineage } from "@sluice/model";
import { connectionTables, datasetNodeId, fileUsers, pipelineNodeId, usersOf, workspaceGraph } from "./workspace-graph.ts";

const table = { namespace: "postgres://db:5432", name: "sluice.warehouse.orders_clean", kind: "postgres" as const, label: "warehouse.orders_clean" };
const file = { namespace: "sluice://files", name: "f1/orders.csv", kind: "file" as const, label: "orders.csv" };
const l: WorkspaceLineage = {
  pipelines: [
    { id: "a", name: "A clean", version: 2 },
    { id: "b", name: "B report", version: 5 },
  ],
  datasets: [file, table],
  edges: [
    { pipelineId: "a", version: 2, access: "read", nodeId: "orders", namespace: file.namespace, name: file.name },
    { pipelineId: "a", version: 2, access: "write", nodeId: "load", namespace: table.namespace, name: table.name },
    { pipelineId: "b", version: 5, access: "read", nodeId: "src", namespace: table.namespace, name: table.name },
    { pipelineId: "b", version: 5, access: "read", nodeId: "src2", namespace: table.namespace, name: table.name },
  ],
};

describe("the workspace lineage graph", () => {
  it("chains pipelines through the datasets they write and read, left to right", () => {
    const g = workspaceGraph(l);
    const x = (id: string) => g.nodes.find((n) => n.id === id)!.position.x;
    expect(g.edges.map((e) => [e.source, e.target])).toEqual([
      [datasetNodeId(file), pipelineNodeId("a")],
      [pipelineNodeId("a"), datasetNodeId(table)],
      [datasetNodeId(table), pipelineNodeId("b")],
    ]);
    expect(x(datasetNodeId(file))).toBeLessThan(x(pipelineNodeId("a")));
    expect(x(pipelineNodeId("a"))).toBeLessThan(x(datasetNodeId(table)));
    expect(x(datasetNodeId(table))).toBeLessThan(x(pipelineNodeId("b")));
  });

  it("says who uses a table, a file and a connection's tables, with versions, once per pipeline and access", () => {
    expect(usersOf(l, table)).toEqual([
      { pipelineId: "a", pipelineName: "A clean", version: 2, access: "write" },
      { pipelineId: "b", pipelineName: "B report", version: 5, access: "read" },
    ]);
    expect(fileUsers(l, "f1").map((u) => u.pipelineName)).toEqual(["A clean"]);
    expect(fileUsers(l, "f2")).toEqual([]);
    const conn = { id: "c", name: "wh", kind: "postgres", settings: { host: "db", port: 5432, database: "sluice", user: "u", sslMode: "prefer" } } as unknown as ConnectionInfo;
    expect(connectionTables(l, conn).map((t) => [t.dataset.label, t.users.length])).toEqual([["warehouse.orders_clean", 2]]);
    expect(connectionTables(l, { ...conn, settings: { ...(conn as { settings: object }).settings, database: "other" } } as ConnectionInfo)).toEqual([]);
  });
});
