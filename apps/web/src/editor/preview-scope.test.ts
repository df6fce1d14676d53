import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { previewScope } from "./preview-scope.ts";

const n = (id: string, x = 0) => ({ id, type: "filter", position: { x, y: 0 }, config: { id } });
const g: PipelineGraph = {
  formatVersion: 1,
  nodes: [n("a"), n("b"), n("c"), n("d")],
  edges: [
    { id: "1", source: "a", target: "b" },
    { id: "2", source: "b", target: "c" },
    { id: "3", source: "d", target: "c" },
  ],
};

describe("previewScope", () => {
  it("keeps the node and its ancestors only", () => {
    expect(previewScope(g, "b")!.nodes.map((x) => x.id)).toEqual(["a", "b"]);
    expect(previewScope(g, "c")!.edges).toHaveLength(3);
    expect(previewScope(g, "zz")).toBeNull();
  });
  it("ignores positions and downstream edits, so the key only changes when the preview would", () => {
    const moved: PipelineGraph = { ...g, nodes: g.nodes.map((x) => ({ ...x, position: { x: 99, y: 9 }, label: "renamed" })) };
    expect(JSON.stringify(previewScope(moved, "b"))).toBe(JSON.stringify(previewScope(g, "b")));
    const downstream: PipelineGraph = { ...g, nodes: g.nodes.map((x) => (x.id === "c" ? { ...x, config: { changed: true } } : x)) };
    expect(JSON.stringify(previewScope(downstream, "b"))).toBe(JSON.stringify(previewScope(g, "b")));
  });
});

describe("previewScope and the engine setting", () => {
  it("carries the pipeline's engine setting, so the preview is computed where runs go", () => {
    expect(previewScope({ ...g, engine: "database" }, "b")!.engine).toBe("database");
    expect(previewScope({ ...g, engine: "duckdb" }, "b")!.engine).toBe("duckdb");
    expect("engine" in previewScope({ ...g, engine: "auto" }, "b")!).toBe(false);
  });
});

describe("previewScope and parameters", () => {
  it("carries the parameters, so a changed default refreshes previews that read it", () => {
    const g = { formatVersion: 1 as const, nodes: [{ id: "a", type: "inline", position: { x: 5, y: 5 }, config: {} }], edges: [] };
    const withParam = { ...g, parameters: [{ name: "since", type: "date" as const, default: "2024-01-01" }] };
    expect(previewScope(withParam, "a")?.parameters).toEqual(withParam.parameters);
    expect(JSON.stringify(previewScope(withParam, "a"))).not.toBe(JSON.stringify(previewScope({ ...withParam, parameters: [{ ...withParam.parameters[0]!, default: "2024-02-01" }] }, "a")));
    expect(previewScope(g, "a")).not.toHaveProperty("parameters");
  });
});
