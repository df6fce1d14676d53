import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pipelineFormatJsonSchema, pipelineGraphSchema } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { canonicalizeGraph } from "./canonicalize-graph.ts";
import { validateGraph } from "./validate-graph.ts";
import { loadPipeline } from "../format/load-pipeline.ts";

const doc = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../../docs/pipeline-format.md"), "utf8");
const example: unknown = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "null");
const env: PipelineEnvironment = {
  file: (id) => ({
    id,
    name: "orders.csv",
    path: "/data/orders.csv",
    format: "csv",
    columns: [{ name: "order_id", type: "integer" }, { name: "amount", type: "string" }],
  }),
  sourceColumns: () => undefined,
};

describe("docs/pipeline-format.md", () => {
  it("shows a complete example that is valid, current and already in canonical key order", () => {
    const graph = pipelineGraphSchema.parse(example);
    expect(JSON.stringify(canonicalizeGraph(graph))).toBe(JSON.stringify(example));
    const loaded = loadPipeline(example);
    expect(loaded.ok && JSON.stringify(loaded.graph)).toBe(JSON.stringify(example));
    const r = validateGraph(example, env);
    expect(r.problems).toEqual([]);
    expect(r.schemas.load?.map((c) => c.name)).toEqual(["order_id", "amount_text"]);
  });

  it("documents every problem code the graph checks produce", () => {
    const codes = ["INVALID_GRAPH", "UNKNOWN_NODE_TYPE", "DUPLICATE_NODE_ID", "DUPLICATE_EDGE_ID", "EDGE_MISSING_NODE", "EDGE_UNKNOWN_PORT"];
    codes.push("PORT_INPUT_MISSING", "PORT_TOO_MANY_INPUTS", "CYCLE", "INVALID_CONFIG", "UNKNOWN_COLUMN", "TOO_MANY_COLUMNS", "NO_COLUMNS", "SCHEMA_TOO_LARGE", "TOO_MANY_PROBLEMS", "NO_SINK");
    codes.push("NODE_VERSION_TOO_NEW", "FORMAT_VERSION_TOO_NEW", "NODE_MIGRATION_FAILED", "FORMAT_MIGRATION_FAILED");
    for (const code of codes) expect(doc).toContain(`\`${code}\``);
    expect(doc).toContain("GET /api/pipeline-format.json");
  });

  it("has a JSON Schema that describes the same format", () => {
    const schema = pipelineFormatJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toEqual(["formatVersion", "nodes", "edges"]);
    const props = schema.properties as Record<string, { const?: unknown; items?: { required?: string[] } }>;
    expect(props.formatVersion?.const).toBe(1);
    expect(props.nodes?.items?.required).toEqual(["id", "type", "position", "config"]);
    expect(props.edges?.items?.required).toEqual(["id", "source", "target"]);
  });
});

describe("canonicalizeGraph round trip", () => {
  it("survives JSON and gives the same validation result", () => {
    const messy: unknown = {
      edges: [{ targetPort: "in", target: "s", source: "a", id: "e1" }],
      nodes: [
        { config: { rows: [[1]], columns: [{ type: "integer", name: "n" }] }, position: { y: 0, x: 0 }, type: "inline", id: "a" },
        { position: { x: 1, y: 0 }, id: "s", label: "Pick", type: "select", config: { mode: "keep", columns: [{ rename: "m", name: "n" }] } },
      ],
      formatVersion: 1,
    };
    const canonical = canonicalizeGraph(pipelineGraphSchema.parse(messy));
    const text = JSON.stringify(canonical, null, 2);
    const reread = canonicalizeGraph(pipelineGraphSchema.parse(JSON.parse(text)));
    expect(JSON.stringify(reread, null, 2)).toBe(text);
    expect(reread).toEqual(pipelineGraphSchema.parse(messy));
    expect(text.indexOf('"id": "s"')).toBeLessThan(text.indexOf('"label": "Pick"'));
    expect(validateGraph(reread, env)).toEqual(validateGraph(messy, env));
  });
});
