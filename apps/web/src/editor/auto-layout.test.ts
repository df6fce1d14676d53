import { describe, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH } from "./auto-layout.ts";

const n = (id: string) => ({ id, type: "filter", position: { x: 0, y: 0 }, config: {} });

describe("autoLayout", () => {
  it("puts each node right of what feeds it and keeps siblings apart", () => {
    const g: PipelineGraph = {
      formatVersion: 1,
      nodes: [n("a"), n("b"), n("j"), n("s")],
      edges: [
        { id: "1", source: "a", target: "j" },
        { id: "2", source: "b", target: "j" },
        { id: "3", source: "j", target: "s" },
      ],
    };
    const p = autoLayout(g);
    expect(p.a!.x).toBeLessThan(p.j!.x);
    expect(p.j!.x).toBeLessThan(p.s!.x);
    expect(p.a!.x).toBe(p.b!.x);
    expect(Math.abs(p.a!.y - p.b!.y)).toBeGreaterThanOrEqual(84);
    for (const q of Object.values(p)) expect(q.x % 20).toBe(0);
  });

  it("leaves room between layers for an edge's row count, and between siblings for their edges", () => {
    const g: PipelineGraph = {
      formatVersion: 1,
      nodes: [n("a"), n("b"), n("c"), n("j")],
      edges: [
        { id: "1", source: "a", target: "j" },
        { id: "2", source: "b", target: "j" },
        { id: "3", source: "c", target: "j" },
      ],
    };
    const p = autoLayout(g);
    // "101,000 rows" at 12 px, with the label's padding, is about 90 px wide and 20 px high.
    expect(p.j!.x - (p.a!.x + NODE_WIDTH)).toBeGreaterThanOrEqual(120);
    const ys = [p.a!.y, p.b!.y, p.c!.y].sort((x, y) => x - y);
    expect(ys[1]! - (ys[0]! + NODE_HEIGHT)).toBeGreaterThanOrEqual(40);
    expect(ys[2]! - (ys[1]! + NODE_HEIGHT)).toBeGreaterThanOrEqual(40);
  });
});
