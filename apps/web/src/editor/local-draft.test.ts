import { describe, expect, it } from "vitest";
import { emptyGraph, type PipelineGraph } from "@sluice/model";
import { draftKey, draftOffer, readDraft, removeDraft, writeDraft } from "./local-draft.ts";

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
};
const graph: PipelineGraph = { ...emptyGraph(), nodes: [{ id: "people", type: "inline", typeVersion: 1, position: { x: 0, y: 0 }, config: { columns: [], rows: [] } }] };

describe("local draft", () => {
  it("writes, reads back and removes a draft per workspace and pipeline", () => {
    const s = memory();
    const key = draftKey("w1", "p1");
    expect(key).not.toBe(draftKey("w2", "p1"));
    writeDraft(s, key, { baseVersion: 3, savedAt: 1000, graph });
    expect(readDraft(s, key)).toMatchObject({ baseVersion: 3, savedAt: 1000, graph: { nodes: [{ id: "people" }] } });
    removeDraft(s, key);
    expect(readDraft(s, key)).toBeNull();
  });

  it("ignores what it cannot read", () => {
    const s = memory();
    for (const text of ["{", "42", JSON.stringify({ baseVersion: "3", savedAt: 1, graph }), JSON.stringify({ baseVersion: 3, savedAt: 1, graph: { nodes: "x" } })]) {
      s.setItem("k", text);
      expect(readDraft(s, "k"), text).toBeNull();
    }
  });

  it("is offered when it differs from the pipeline, and says when the pipeline was saved since", () => {
    const draft = { baseVersion: 2, savedAt: 1, graph };
    expect(draftOffer(draft, { graph, currentVersion: 2 })).toBeNull();
    expect(draftOffer(draft, { graph: emptyGraph(), currentVersion: 2 })).toEqual({ draft, older: false });
    expect(draftOffer(draft, { graph: emptyGraph(), currentVersion: 4 })).toEqual({ draft, older: true });
    expect(draftOffer(null, { graph, currentVersion: 2 })).toBeNull();
  });
});
