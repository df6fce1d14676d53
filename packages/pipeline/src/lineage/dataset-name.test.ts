import { describe, expect, it } from "vitest";
import { datasetOf, type DatasetEnvironment } from "./dataset-name.ts";

const env: DatasetEnvironment = {
  file: (id) => (id === "f1" ? { id, name: "orders.csv", path: "/secret/place/f1.csv", format: "csv", columns: [] } : undefined),
  connection: (id) => (id === "c1" ? { host: "db.internal", port: 5433, database: "shop" } : id === "c6" ? { host: "::1", port: 5432, database: "x" } : undefined),
};

describe("datasetOf", () => {
  it("names an uploaded file by id and name, never by where it is stored", () => {
    expect(datasetOf({ type: "file", config: { fileId: "f1" } }, env)).toEqual({ kind: "file", access: "read", namespace: "sluice://files", name: "f1/orders.csv", label: "orders.csv" });
    // A deleted file keeps its id.
    expect(datasetOf({ type: "file", config: { fileId: "gone" } }, env)?.name).toBe("gone/gone");
    expect(datasetOf({ type: "file", config: { fileId: "" } }, env)).toBeUndefined();
  });

  it("names a table by its server's address and database.schema.table, for sources and sinks alike", () => {
    const read = datasetOf({ type: "postgres", config: { connectionId: "c1", mode: "table", schema: "sales", table: "Orders" } }, env);
    expect(read).toEqual({ kind: "postgres", access: "read", namespace: "postgres://db.internal:5433", name: "shop.sales.Orders", label: "sales.Orders" });
    const write = datasetOf({ type: "postgres-sink", config: { connectionId: "c1", schema: "sales", table: "Orders", mode: "append" } }, env);
    expect(write).toEqual({ ...read, access: "write" });
    expect(datasetOf({ type: "postgres-sink", config: { connectionId: "c6", schema: "s", table: "t" } }, env)?.namespace).toBe("postgres://[::1]:5432");
    // An unknown connection still names the table, in Sluice's own namespace.
    expect(datasetOf({ type: "postgres", config: { connectionId: "c9", mode: "table", schema: "s", table: "t" } }, env)).toMatchObject({ namespace: "sluice://connections/c9", name: "s.t" });
    // A query's tables are not parsed out of its SQL.
    expect(datasetOf({ type: "postgres", config: { connectionId: "c1", mode: "query", sql: "SELECT 1" } }, env)).toBeUndefined();
  });

  it("names an HTTP endpoint by scheme, host and path, without any secret the URL carries", () => {
    const url = "https://user:pa55@api.example.com:8443/v1/orders?status=open&api_key=k3y&access_token=t0k";
    const d = datasetOf({ type: "http", config: { url } }, env)!;
    expect(d).toEqual({ kind: "http", access: "read", namespace: "https://api.example.com:8443", name: "/v1/orders?status=open", label: "api.example.com:8443/v1/orders?status=open" });
    expect(JSON.stringify(d)).not.toMatch(/pa55|k3y|t0k|user/);
    expect(datasetOf({ type: "http", config: { url: "not a url" } }, env)).toBeUndefined();
  });

  it("names a file output, and nothing for nodes without a dataset", () => {
    expect(datasetOf({ type: "file-sink", config: { name: "report", format: "parquet" } }, env)).toMatchObject({ kind: "file-output", access: "write", namespace: "sluice://outputs", name: "report.parquet" });
    expect(datasetOf({ type: "inline", config: { columns: [], rows: [] } }, env)).toBeUndefined();
    expect(datasetOf({ type: "filter", config: {} }, env)).toBeUndefined();
    expect(datasetOf({ type: "no-such-type", config: {} }, env)).toBeUndefined();
  });
});
