import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "./load-pipeline-file.ts";

const graph = { formatVersion: 1, nodes: [{ id: "l", type: "dedupe", position: { x: 0, y: 0 }, config: { keep: "last" } }], edges: [] };

describe("loadPipelineFile", () => {
  it("reads an export, a pipeline file and a bare graph alike, each graph loaded", () => {
    const file = { name: "Orders", description: "d", graph };
    const one = loadPipelineFile(file, "fallback");
    expect(one.ok && one.pipelines.map((p) => [p.name, p.description, p.graph.nodes[0]?.typeVersion])).toEqual([["Orders", "d", 1]]);
    const all = loadPipelineFile({ pipelines: [file, { name: "Two", graph }] }, "fallback");
    expect(all.ok && all.pipelines.map((p) => p.name)).toEqual(["Orders", "Two"]);
    const bare = loadPipelineFile(graph, "orders");
    expect(bare.ok && bare.pipelines.map((p) => [p.name, p.description])).toEqual([["orders", ""]]);
  });

  it("says where in the file a problem is", () => {
    const tooNew = { ...graph, nodes: [{ ...graph.nodes[0], typeVersion: 99 }] };
    const r = loadPipelineFile({ pipelines: [{ name: "A", graph }, { name: "B", graph: tooNew }] }, "f");
    expect(r).toMatchObject({ ok: false, issues: [{ code: "NODE_VERSION_TOO_NEW", nodeId: "l", field: "pipelines.1.graph.typeVersion" }] });
    expect(loadPipelineFile({ graph }, "f")).toMatchObject({ ok: false, issues: [{ code: "NOT_A_PIPELINE_FILE", field: "name" }] });
    expect(loadPipelineFile([], "f")).toMatchObject({ ok: false, issues: [{ code: "NOT_A_PIPELINE_FILE" }] });
    expect(loadPipelineFile({ formatVersion: 1, nodes: "x", edges: [] }, "f")).toMatchObject({ ok: false, issues: [{ code: "INVALID_GRAPH", field: "nodes" }] });
  });

  it("refuses a number JSON could only read as Infinity, which would be sent on as null", () => {
    const rows = '{"name":"Big","graph":{"formatVersion":1,"nodes":[{"id":"src","type":"inline","position":{"x":0,"y":0},"config":{"columns":[{"name":"n","type":"double"}],"rows":[[1],[-1e400]]}}],"edges":[]}}';
    expect(loadPipelineFile(JSON.parse(rows), "f")).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: "NUMBER_OUT_OF_RANGE", field: "graph.nodes.0.config.rows.1.0", message: expect.stringMatching(/^graph\.nodes\.0\.config\.rows\.1\.0 is a number too large to represent/) })],
    });
    expect(loadPipelineFile({ pipelines: [{ name: "A", graph }, { name: "B", graph: { ...graph, nodes: [{ ...graph.nodes[0], position: { x: Infinity, y: 0 } }] } }] }, "f")).toMatchObject({
      ok: false,
      issues: [{ code: "NUMBER_OUT_OF_RANGE", field: "pipelines.1.graph.nodes.0.position.x" }],
    });
  });

  it("refuses a file nested deeper than a request may be, naming where, instead of running out of stack", () => {
    const nested = (depth: number) => {
      let text = "1";
      for (let i = 0; i < depth; i++) text = `{"a":${text}}`;
      return JSON.parse(`{"name":"Deep","graph":{"formatVersion":1,"nodes":[{"id":"l","type":"limit","typeVersion":2,"position":{"x":0,"y":0},"config":{"count":1,"skip":0,"x":${text}}}],"edges":[]}}`) as unknown;
    };
    expect(loadPipelineFile(nested(20), "f").ok).toBe(true);
    for (const depth of [100, 100_000]) {
      const r = loadPipelineFile(nested(depth), "f");
      expect(r).toMatchObject({ ok: false, issues: [{ code: "TOO_DEEPLY_NESTED", field: expect.stringMatching(/^graph\.nodes\.0\.config\.x\.a\.a/) }] });
      expect(!r.ok && r.issues[0]?.message).toMatch(/is nested more than 64 levels deep; flatten it\.$/);
    }
  });

  it("refuses a description that is not text or is too long, as the server would, rather than importing it as empty", () => {
    expect(loadPipelineFile({ name: "A", graph }, "f")).toMatchObject({ ok: true, pipelines: [{ description: "" }] });
    for (const description of [null, ["line one", "line two"], 5, "x".repeat(5001)]) {
      expect(loadPipelineFile({ pipelines: [{ name: "A", description, graph }] }, "f"), JSON.stringify(description).slice(0, 20)).toMatchObject({
        ok: false,
        issues: [{ code: "NOT_A_PIPELINE_FILE", field: "pipelines.0.description", message: expect.stringMatching(/^description: /) }],
      });
    }
  });
});
