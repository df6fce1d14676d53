import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { emptyEnv, HOSTILE_NAMES } from "../../testing/duckdb-harness.ts";
import { inferSink } from "./sink-test-helper.ts";
import { fileSinkNode, outputFileName } from "./file-sink.node.ts";

const columns: Column[] = HOSTILE_NAMES.map((name) => ({ name, type: "string" as const }));
const input = { columns, rows: [HOSTILE_NAMES.map((n) => n)] };

describe("file sink", () => {
  it("accepts safe names and adds the extension once", async () => {
    const r = inferSink(fileSinkNode, { name: "sales-2024.q1_final", format: "parquet" }, input);
    expect(r.ok && r.schemas).toEqual({});
    expect(outputFileName({ name: "sales-2024.q1_final", format: "parquet" })).toBe("sales-2024.q1_final.parquet");
    expect(outputFileName({ name: "report.CSV", format: "csv" })).toBe("report.CSV");
    expect(outputFileName({ name: "report", format: "json" })).toBe("report.json");
  });

  it("rejects names that could be paths or hidden files", () => {
    for (const name of ["../x", "a/b", "a\\b", ".hidden", "x..y", "x.", "con:x", "ünï", "a b", "x".repeat(101)]) {
      expect(fileSinkNode.configSchema.safeParse({ name, format: "csv" }).success, name).toBe(false);
    }
  });

  it("requires a name", async () => {
    const r = inferSink(fileSinkNode, {}, input);
    expect(!r.ok && r.issues.map((i) => [i.code, i.field])).toEqual([["OUTPUT_NAME_REQUIRED", "name"]]);
  });

  it("compiles to a file sink step over its ordered input", () => {
    const step = fileSinkNode.compile({ nodeId: "n1", inputs: { in: [columns] }, env: emptyEnv, dialect: duckdbDialect, relations: { in: ['"up"'] }, outputs: {} }, { name: "out", format: "csv" });
    expect(step).toEqual({
      kind: "sink",
      target: "file",
      spec: { name: "out", format: "csv" },
      input: `SELECT "select", "a""b", "x; drop table y", "with space", "ünï cödé", "'quoted'" FROM "up" ORDER BY "__sluice_row"`,
      inputAsStored: `SELECT "select", "a""b", "x; drop table y", "with space", "ünï cödé", "'quoted'" FROM "up"`,
    });
  });
});
