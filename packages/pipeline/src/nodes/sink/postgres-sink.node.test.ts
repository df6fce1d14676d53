import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { emptyEnv, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { inferSink } from "./sink-test-helper.ts";
import { quoteIdent } from "../../sql/quote.ts";
import { ROW_ORDER_COLUMN } from "../../catalog/node-definition.ts";
import { postgresSinkNode } from "./postgres-sink.node.ts";

const columns: Column[] = [{ name: "id", type: "integer" }, ...HOSTILE_NAMES.map((name) => ({ name, type: "string" as const }))];
const input = { columns, rows: [[1, "a", "b", "c", "d", "e", "f"]] };
const base = { connectionId: "c1", table: "target" };

describe("postgres sink", () => {
  it("checks its config against the input and has no outputs", async () => {
    const r = inferSink(postgresSinkNode, { ...base, mode: "upsert", keys: ["id", 'a"b'] }, input);
    expect(r.ok && r.schemas).toEqual({});
  });

  it("compiles to a sink step whose input lacks the row order column and is not sorted (a table has no row order)", async () => {
    const config = postgresSinkNode.configSchema.parse({ ...base, mode: "append" });
    const step = postgresSinkNode.compile({ nodeId: "n1", inputs: { in: [columns] }, env: emptyEnv, dialect: duckdbDialect, relations: { in: ['"up"'] }, outputs: {} }, config);
    expect(step.kind === "sink" && step.target).toBe("postgres");
    expect(step.kind === "sink" && step.spec).toEqual({ connectionId: "c1", schema: "public", table: "target", mode: "append", keys: [] });

    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const cols = columns.map((c) => quoteIdent(c.name)).join(", ");
      await conn.run(`CREATE TABLE up AS SELECT * FROM (VALUES (2, 'x', 'x', 'x', 'x', 'x', 'x', 2), (1, 'y', 'y', 'y', 'y', 'y', 'y', 1)) t(${cols}, ${quoteIdent(ROW_ORDER_COLUMN)})`);
      const reader = await conn.runAndReadAll(step.kind === "sink" ? step.input : "");
      expect(reader.columnNames()).toEqual(columns.map((c) => c.name));
      expect(reader.getRowObjectsJson().map((row) => row.id).sort()).toEqual([1, 2]);
      expect(step.kind === "sink" && step.input).not.toContain("ORDER BY");
      expect(postgresSinkNode.rowOrder?.(config)).toBe("ignores");
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("requires keys for upsert, known key columns, and a table", async () => {
    const r = inferSink(postgresSinkNode, { connectionId: "c1", mode: "upsert" }, input);
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["TABLE_REQUIRED", "table"],
      ["KEYS_REQUIRED", "keys"],
    ]);
    const unknown = inferSink(postgresSinkNode, { ...base, mode: "upsert", keys: ["ID"] }, input);
    expect(!unknown.ok && unknown.issues.map((i) => [i.code, i.field])).toEqual([["UNKNOWN_COLUMN", "keys.0"]]);
  });

  it("refuses the ledger table and names Postgres would truncate", async () => {
    const ledger = inferSink(postgresSinkNode, { ...base, table: "_sluice_loads" }, input);
    expect(!ledger.ok && ledger.issues.map((i) => i.code)).toEqual(["RESERVED_TABLE_NAME"]);
    const stage = inferSink(postgresSinkNode, { ...base, table: "_sluice_stage_mine" }, input);
    expect(!stage.ok && stage.issues.map((i) => [i.code, i.field])).toEqual([["RESERVED_TABLE_NAME", "table"]]);
    const long = "é".repeat(32);
    const r = inferSink(postgresSinkNode, { ...base, table: long }, { columns: [{ name: long, type: "string" }], rows: [] });
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual(["IDENTIFIER_TOO_LONG", "IDENTIFIER_TOO_LONG"]);
  });

  it("refuses to write into PostgreSQL's or Sluice's own schemas", async () => {
    for (const schema of ["pg_catalog", "information_schema", "pg_toast", "pg_temp_1", "pgboss", "PG_Catalog"]) {
      const r = inferSink(postgresSinkNode, { ...base, schema }, input);
      expect(!r.ok && r.issues.map((i) => [i.code, i.field]), schema).toEqual([["SYSTEM_SCHEMA_REFUSED", "schema"]]);
    }
    expect(inferSink(postgresSinkNode, { ...base, schema: "pg" }, input).ok).toBe(true);
    const nul = inferSink(postgresSinkNode, { ...base, schema: "a\u0000b" }, input);
    expect(!nul.ok && nul.issues.map((i) => [i.code, i.field])).toEqual([["INVALID_NAME", "schema"]]);
  });
});
