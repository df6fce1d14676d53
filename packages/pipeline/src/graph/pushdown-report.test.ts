import { describe, expect, it } from "vitest";
import { duckdbDialect } from "../sql/duckdb-dialect.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";
import { emptyEnv } from "../testing/duckdb-harness.ts";
import { edge, fileSink, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { compileGraph } from "./compile-graph.ts";
import { pushdownReport } from "./pushdown-report.ts";

const g = graph(
  [
    inlineSource("src", [{ name: "name", type: "string" }], [[" ada "]]),
    node("trim", "clean", { columns: [{ column: "name", operations: [{ op: "trim" }] }] }),
    node("title", "clean", { columns: [{ column: "name", operations: [{ op: "case", to: "title" }] }] }),
    node("bad", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "missing", operator: "is_null" }] } }),
    fileSink("out"),
  ],
  [edge("e1", "src", "trim"), edge("e2", "trim", "title"), edge("e3", "title", "out"), edge("e4", "src", "bad")],
);

describe("pushdownReport", () => {
  it("says which nodes run in PostgreSQL with DuckDB's results, and why the others do not", () => {
    expect(pushdownReport(g, emptyEnv, postgresDialect)).toEqual([
      { nodeId: "src", type: "inline", ok: true },
      { nodeId: "trim", type: "clean", ok: true },
      { nodeId: "title", type: "clean", ok: false, reason: "title case needs Unicode letter classes, which PostgreSQL's regular expressions lack" },
      { nodeId: "out", type: "file-sink", ok: false, reason: "a file is written by the worker, not by the database" },
    ]);
  });

  it("changes nothing for DuckDB: every node compiles for it, the not pushable ones included", () => {
    expect(pushdownReport(g, emptyEnv, duckdbDialect).filter((n) => !n.ok).map((n) => n.nodeId)).toEqual(["out"]);
    const without = graph(g.nodes.filter((n) => n.id !== "bad"), g.edges.filter((e) => e.id !== "e4"));
    expect(compileGraph(without, emptyEnv).ok).toBe(true);
  });
});
