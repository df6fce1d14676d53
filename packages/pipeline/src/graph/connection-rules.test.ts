import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { checkConnection } from "./connection-rules.ts";

const node = (id: string, type: string) => ({ id, type, position: { x: 0, y: 0 }, config: {} });
const graph: PipelineGraph = {
  formatVersion: 1,
  nodes: [node("a", "inline"), node("b", "filter"), node("c", "select"), node("j", "join"), node("u", "union")],
  edges: [
    { id: "e1", source: "a", sourcePort: "out", target: "b", targetPort: "in" },
    { id: "e2", source: "b", sourcePort: "out", target: "c", targetPort: "in" },
  ],
};
const edge = (source: string, target: string, targetPort = "in", sourcePort = "out") => ({ source, sourcePort, target, targetPort });

describe("checkConnection", () => {
  it("accepts a free input", () => {
    expect(checkConnection(graph, edge("c", "j", "left"))).toEqual({ ok: true });
    expect(checkConnection(graph, edge("a", "u"))).toEqual({ ok: true });
  });
  it("refuses a loop, directly or through other nodes", () => {
    expect(checkConnection(graph, edge("b", "b"))).toMatchObject({ ok: false, code: "SELF_LOOP" });
    const withSelect: PipelineGraph = { ...graph, edges: graph.edges.filter((e) => e.id !== "e1") };
    expect(checkConnection(withSelect, edge("c", "b"))).toMatchObject({ ok: false, code: "CYCLE" });
  });
  it("refuses a second edge into a one-edge port and names the port", () => {
    const r = checkConnection(graph, edge("c", "b"));
    expect(r).toMatchObject({ ok: false, code: "PORT_FULL" });
    if (!r.ok) expect(r.message).toContain("one connection");
  });
  it("lets a union take many inputs but not the same one twice", () => {
    const g: PipelineGraph = { ...graph, edges: [...graph.edges, { id: "e3", source: "a", sourcePort: "out", target: "u", targetPort: "in" }] };
    expect(checkConnection(g, edge("c", "u"))).toEqual({ ok: true });
    expect(checkConnection(g, edge("a", "u"))).toMatchObject({ ok: false, code: "DUPLICATE_EDGE" });
  });
  it("refuses ports the node does not have", () => {
    expect(checkConnection(graph, edge("a", "j", "middle"))).toMatchObject({ ok: false, code: "UNKNOWN_PORT" });
    expect(checkConnection(graph, edge("a", "j", "left", "rejects"))).toMatchObject({ ok: false, code: "UNKNOWN_PORT" });
  });
});
