import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import type { DataFileInfo, PipelineEnvironment } from "../catalog/node-definition.ts";
import { DATASET_PORT } from "../catalog/node-lineage.ts";
import { nodeCatalog } from "../catalog/registry.ts";
import { loadPipelineFile } from "../format/load-pipeline-file.ts";
import { analyzeGraph } from "../graph/analyze-graph.ts";
import { edge, graph, inlineSource, node } from "../testing/graph-builders.ts";
import { columnLineage } from "./column-lineage.ts";
import { traceColumn } from "./trace-column.ts";

const none: PipelineEnvironment = { file: () => undefined, sourceColumns: () => undefined };

describe("columnLineage", () => {
  const g = graph(
    [
      inlineSource("src", [
        { name: "a", type: "integer" },
        { name: "b", type: "integer" },
        { name: "weird \"name\"", type: "string" },
      ]),
      node("derive", "derive", {
        derivations: [
          { column: "sum", expression: "a + b" },
          { column: "pick", expression: 'case when sum > 2 then [weird "name"] else \'x\' end' },
          { column: "copy", expression: "a" },
        ],
      }),
      node("keep", "filter", { condition: { kind: "group", op: "and", conditions: [{ kind: "expression", expression: "b > 0" }] } }),
      node("group", "group", { keys: ["pick"], aggregations: [{ column: "sum", fn: "sum", as: "total" }, { fn: "count" }] }),
      node("sink", "file-sink", { name: "out", format: "csv" }),
    ],
    [edge("e1", "src", "derive"), edge("e2", "derive", "keep"), edge("e3", "keep", "group"), edge("e4", "group", "sink")],
  );
  const lineage = columnLineage(g, none);

  it("resolves each node's declaration to upstream columns, kind by kind", () => {
    const derive = lineage.nodes.derive!.ports.out!;
    expect(derive.columns.sum).toEqual([
      { from: { nodeId: "src", port: "out", column: "a" }, transformation: { type: "DIRECT", subtype: "TRANSFORMATION", description: "a + b" } },
      { from: { nodeId: "src", port: "out", column: "b" }, transformation: { type: "DIRECT", subtype: "TRANSFORMATION", description: "a + b" } },
    ]);
    // A derived column read in a CASE condition passes its own origins on, as conditional.
    expect(derive.columns.pick!.map((o) => [o.from.column, o.transformation.type, o.transformation.subtype])).toEqual([
      ['weird "name"', "DIRECT", "TRANSFORMATION"],
      ["a", "INDIRECT", "CONDITIONAL"],
      ["b", "INDIRECT", "CONDITIONAL"],
    ]);
    expect(derive.columns.copy).toEqual([{ from: { nodeId: "src", port: "out", column: "a" }, transformation: { type: "DIRECT", subtype: "IDENTITY" } }]);
    expect(lineage.nodes.keep!.ports.out!.rows).toEqual([{ from: { nodeId: "derive", port: "out", column: "b" }, transformation: { type: "INDIRECT", subtype: "FILTER" } }]);
    const group = lineage.nodes.group!.ports.out!;
    expect(group.columns.total).toEqual([{ from: { nodeId: "keep", port: "out", column: "sum" }, transformation: { type: "DIRECT", subtype: "AGGREGATION", description: "sum" } }]);
    expect(group.columns.count).toEqual([]);
    expect(group.rows.map((o) => [o.from.column, o.transformation.subtype])).toEqual([["pick", "GROUP_BY"]]);
    expect(Object.keys(lineage.nodes.sink!.ports[DATASET_PORT]!.columns)).toEqual(["pick", "total", "count"]);
    // An inline table's values come from no dataset.
    expect(lineage.nodes.src!.ports.out!.columns.a).toEqual([]);
    expect(lineage.nodes.src!.dataset).toBeUndefined();
    expect(lineage.nodes.sink!.dataset).toEqual({ kind: "file-output", access: "write", namespace: "sluice://outputs", name: "out.csv", label: "out.csv" });
  });

  it("traces a column up to its origins and down to the sink, composing the steps", () => {
    const total = traceColumn(lineage, { nodeId: "sink", column: "total" });
    const up = (column: string, nodeId: string) => total.upstream.find((s) => s.nodeId === nodeId && s.column === column);
    expect(total.column).toEqual({ nodeId: "sink", port: DATASET_PORT, column: "total" });
    expect(up("total", "group")?.transformation.subtype).toBe("IDENTITY");
    // sum of (a + b): an aggregation of a transformation is an aggregation.
    expect(up("a", "src")?.transformation).toMatchObject({ type: "DIRECT", subtype: "AGGREGATION" });
    // b also decides which rows are summed (the filter): the direct relation wins.
    expect(up("b", "src")?.transformation.type).toBe("DIRECT");
    expect(up("pick", "derive")?.transformation).toMatchObject({ type: "INDIRECT", subtype: "GROUP_BY" });
    expect(traceColumn(lineage, { nodeId: "sink", column: "total" }, { indirect: false }).upstream.some((s) => s.column === "pick")).toBe(false);

    const a = traceColumn(lineage, { nodeId: "src", column: "a" });
    expect(a.downstream.find((s) => s.nodeId === "sink" && s.column === "total")?.transformation).toMatchObject({ type: "DIRECT", subtype: "AGGREGATION" });
    expect(a.downstream.find((s) => s.nodeId === "sink" && s.column === "pick")?.transformation).toMatchObject({ type: "INDIRECT", subtype: "CONDITIONAL" });
    expect(a.upstream).toEqual([]);
  });

  it("leaves out nodes whose schema is not known, and says why", () => {
    const broken = graph([inlineSource("src"), node("f", "filter", { condition: { kind: "rule", column: "nope", operator: "is_null" } })], [edge("e1", "src", "f")]);
    const l = columnLineage(broken, none);
    expect(Object.keys(l.nodes)).toEqual(["src"]);
    expect(l.problems.length).toBeGreaterThan(0);
  });
});

/**
 * Catalog-wide: every fixture pipeline (between them, every node type) gets lineage for every node, every output
 * column of every port is declared, and every origin names a column that exists upstream.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures");
const environment = JSON.parse(readFileSync(path.join(FIXTURES, "environment.json"), "utf8")) as {
  files: Record<string, Omit<DataFileInfo, "id" | "path">>;
  sourceColumns: Record<string, Record<string, Column[]>>;
};
const fixtures = readdirSync(path.join(FIXTURES, "pipelines")).filter((f) => f.endsWith(".sluice.json")).sort();

describe("traceColumn over a wide port", () => {
  it("indexes the readers of a column once each, not copying the list per reader", () => {
    // Every column of a filter's output reads the condition's columns: 1,000 columns and 1,000 rules made a million
    // readers, and copying each column's list per reader took 6.8 s (2,000 by 2,000: 148 s) before anything was traced.
    const columns = Array.from({ length: 1000 }, (_, i) => ({ name: `c${i}`, type: "integer" }));
    const conditions = columns.map((c) => ({ kind: "rule", column: c.name, operator: "is_not_null" }));
    const wide = graph([inlineSource("src", columns), node("f", "filter", { condition: { kind: "group", op: "or", conditions } })], [edge("e", "src", "f")]);
    const lineage = columnLineage(wide, none);
    const started = performance.now();
    const trace = traceColumn(lineage, { nodeId: "src", column: "c0" });
    expect(performance.now() - started).toBeLessThan(2000);
    // c0 gives f's c0 directly, and decides the rows of every other column of f.
    expect(trace.downstream).toHaveLength(1000);
    expect(trace.downstream.find((s) => s.nodeId === "f" && s.column === "c0")?.transformation.type).toBe("DIRECT");
    expect(trace.downstream.find((s) => s.nodeId === "f" && s.column === "c999")?.transformation.type).toBe("INDIRECT");
  });
});

describe("lineage over the fixture corpus", () => {
  const typesSeen = new Set<string>();

  it.each(fixtures)("%s: every node, port and column has its lineage, naming columns that exist", (file) => {
    const loaded = loadPipelineFile(JSON.parse(readFileSync(path.join(FIXTURES, "pipelines", file), "utf8")), file);
    if (!loaded.ok) return expect.fail(`${file} does not load`);
    const g = loaded.pipelines[0]!.graph;
    const env: PipelineEnvironment = {
      file: (id) => {
        const f = environment.files[id];
        return f && { ...f, id, path: `/fixtures/data/${f.name}` };
      },
      sourceColumns: (nodeId) => {
        const columns = environment.sourceColumns[file]?.[nodeId];
        return columns && { ok: true, value: columns };
      },
    };
    const schemas = analyzeGraph(g, env).portSchemas;
    const lineage = columnLineage(g, env);
    const inputOf = (nodeId: string) => {
      const e = g.edges.find((x) => x.target === nodeId)!;
      return schemas.get(e.source)![e.sourcePort ?? "out"]!;
    };
    for (const n of g.nodes) {
      const def = nodeCatalog.find((d) => d.type === n.type)!;
      const l = lineage.nodes[n.id];
      expect(l, `${file}: node ${n.id} (${n.type}) has lineage`).toBeDefined();
      typesSeen.add(n.type);
      const ports = def.category === "sink" ? { [DATASET_PORT]: inputOf(n.id) } : schemas.get(n.id)!;
      expect(Object.keys(l!.ports).sort(), `${n.id} ports`).toEqual(Object.keys(ports).sort());
      for (const [port, columns] of Object.entries(ports)) {
        expect(Object.keys(l!.ports[port]!.columns), `${file}: ${n.id}.${port} declares each column, in order`).toEqual(columns.map((c) => c.name));
        const origins = [...Object.values(l!.ports[port]!.columns).flat(), ...l!.ports[port]!.rows];
        for (const o of origins) {
          const upstream = o.from.port === DATASET_PORT ? schemas.get(o.from.nodeId)?.out : schemas.get(o.from.nodeId)?.[o.from.port];
          expect(upstream?.map((c) => c.name), `${file}: ${n.id}.${port} reads ${o.from.nodeId}.${o.from.port}.${o.from.column}`).toContain(o.from.column);
          if (o.from.port === DATASET_PORT) expect(o.from.nodeId).toBe(n.id);
        }
      }
    }
  });

  it("covered every node type of the catalog", () => {
    expect(nodeCatalog.map((d) => d.type).filter((t) => !typesSeen.has(t))).toEqual([]);
  });
});
