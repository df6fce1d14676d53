import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { describe, expect, it } from "vitest";
import { error, fail, ok, type Column, type Result } from "@sluice/model";
import type { PipelineEnvironment } from "../../catalog/node-definition.ts";
import { HOSTILE_NAMES, runNode } from "../../testing/duckdb-harness.ts";
import { postgresSourceNode } from "./postgres.node.ts";

const envWith = (columns: Result<Column[]> | undefined): PipelineEnvironment => ({ file: () => undefined, sourceColumns: (id) => (id === "n1" ? columns : undefined) });
const columns: Column[] = HOSTILE_NAMES.map((name, i) => ({ name, type: i % 2 ? "string" : "bigint" }));
const table = { connectionId: "c1", mode: "table", schema: "sales", table: 'odd "name"' };

describe("postgres source", () => {
  it("takes its columns from the resolved source and compiles to a load step", async () => {
    const r = await runNode(postgresSourceNode, table, {}, envWith(ok(columns)));
    expect(r.ok && r.schemas.out).toEqual(columns);
    const step = postgresSourceNode.compile(
      { nodeId: "n1", inputs: {}, env: envWith(ok(columns)), dialect: duckdbDialect, relations: {}, outputs: { out: columns } },
      postgresSourceNode.configSchema.parse(table),
    );
    expect(step).toEqual({ kind: "load", source: "postgres", spec: { connectionId: "c1", mode: "table", schema: "sales", table: 'odd "name"', sql: "", watermarkColumn: "" } });
  });

  it("passes a query on as typed, for the engine to check with PostgreSQL's parser", () => {
    const config = postgresSourceNode.configSchema.parse({ connectionId: "c1", mode: "query", schema: "x", table: "y", sql: "  SELECT 1 AS a; -- done\n" });
    const step = postgresSourceNode.compile({ nodeId: "n1", inputs: {}, env: envWith(ok(columns)), dialect: duckdbDialect, relations: {}, outputs: {} }, config);
    expect(step.kind === "load" && step.spec.sql).toBe("  SELECT 1 AS a; -- done\n");
  });

  it("says clearly when the columns have not been resolved", async () => {
    const r = await runNode(postgresSourceNode, table, {}, envWith(undefined));
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "SOURCE_NOT_RESOLVED", nodeId: "n1" })]);
    expect(!r.ok && r.issues[0]?.message).toMatch(/not known yet/);
  });

  it("passes on the problems the server found, attributed to the node", async () => {
    const r = await runNode(postgresSourceNode, table, {}, envWith(fail(error("SOURCE_UNREACHABLE", "Nothing is listening on db:5432."))));
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "SOURCE_UNREACHABLE", nodeId: "n1" })]);
  });

  it("checks the config before asking for columns", async () => {
    const r = await runNode(postgresSourceNode, { mode: "table" }, {}, envWith(ok(columns)));
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([
      ["CONNECTION_NOT_SELECTED", "connectionId"],
      ["TABLE_REQUIRED", "table"],
    ]);
    const q = await runNode(postgresSourceNode, { connectionId: "c", mode: "query", sql: " \n\t" }, {}, envWith(ok(columns)));
    expect(!q.ok && q.issues.map((i) => [i.code, i.field])).toEqual([["SQL_REQUIRED", "sql"]]);
  });

  it("refuses a table in PostgreSQL's or Sluice's own schemas", async () => {
    for (const schema of ["pg_catalog", "information_schema", "pg_toast", "pg_temp_1", "pg_toast_temp_1", "pgboss", "PG_CATALOG"]) {
      const r = await runNode(postgresSourceNode, { ...table, schema, table: "pg_authid" }, {}, envWith(ok(columns)));
      expect(!r.ok && r.issues.map((i) => [i.code, i.field]), schema).toEqual([["SYSTEM_SCHEMA_REFUSED", "schema"]]);
    }
  });

  it("takes a watermark column of the source by its exact (hostile) name, of an ordered type only", async () => {
    const hostile = columns.find((c) => c.type === "bigint")!.name;
    const r = await runNode(postgresSourceNode, { ...table, watermarkColumn: hostile }, {}, envWith(ok(columns)));
    expect(r.ok && r.schemas.out).toEqual(columns);
    const text = columns.find((c) => c.type === "string")!.name;
    const wrongType = await runNode(postgresSourceNode, { ...table, watermarkColumn: text }, {}, envWith(ok(columns)));
    expect(!wrongType.ok && wrongType.issues.map((i) => [i.code, i.field])).toEqual([["WATERMARK_COLUMN_TYPE", "watermarkColumn"]]);
    const missing = await runNode(postgresSourceNode, { ...table, watermarkColumn: hostile.toUpperCase() + "?" }, {}, envWith(ok(columns)));
    expect(!missing.ok && missing.issues.map((i) => [i.code, i.field])).toEqual([["WATERMARK_COLUMN_NOT_FOUND", "watermarkColumn"]]);
  });

  it("refuses a NUL character in a name, which PostgreSQL cannot receive", async () => {
    const r = await runNode(postgresSourceNode, { ...table, table: "t\u0000x" }, {}, envWith(ok(columns)));
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([["INVALID_NAME", "table"]]);
  });

  it("leaves the query's verdict to the server: its issues come back through the resolved columns", async () => {
    const refused = fail(error("SQL_MULTIPLE_STATEMENTS", "Write one statement only.", { field: "sql" }));
    const r = await runNode(postgresSourceNode, { connectionId: "c", mode: "query", sql: "SELECT 1; DELETE FROM t" }, {}, envWith(refused));
    expect(!r.ok && r.issues.map((i) => [i.code, i.field, i.nodeId])).toEqual([["SQL_MULTIPLE_STATEMENTS", "sql", "n1"]]);
  });

  it("rejects column names DuckDB cannot hold together", async () => {
    const dup = await runNode(postgresSourceNode, table, {}, envWith(ok([{ name: "ID", type: "bigint" }, { name: "id", type: "string" }])));
    expect(!dup.ok && dup.issues.map((i) => i.code)).toEqual(["DUPLICATE_COLUMN"]);
    const reserved = await runNode(postgresSourceNode, table, {}, envWith(ok([{ name: "__sluice_row", type: "bigint" }])));
    expect(!reserved.ok && reserved.issues.map((i) => i.code)).toEqual(["RESERVED_COLUMN_NAME"]);
  });
});
