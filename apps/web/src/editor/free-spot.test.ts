import { describe, expect, it } from "vitest";
import { emptyGraph } from "@sluice/model";
import { DEFAULT_NODE_SIZE, freeShift, freeSpot, inView, occupiedRects, type Rect } from "./free-spot.ts";

const card = (x: number, y: number): Rect => ({ x, y, ...DEFAULT_NODE_SIZE });
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("freeSpot", () => {
  it("keeps the intended point when it is free", () => {
    expect(freeSpot({ x: 0, y: 0 }, [card(400, 0)])).toEqual({ x: 0, y: 0 });
  });

  it("moves off a card to the nearest free point, with room between them", () => {
    const taken = [card(0, 0)];
    const p = freeSpot({ x: 0, y: 0 }, taken);
    expect(overlap(card(p.x, p.y), { ...card(0, 0), width: 240, height: 120 })).toBe(false);
    expect(p).toEqual({ x: 0, y: 120 });
  });

  it("finds a free point among many cards, each time a new one", () => {
    const taken: Rect[] = [];
    for (let i = 0; i < 12; i++) {
      const p = freeSpot({ x: 100, y: 100 }, taken);
      expect(taken.some((t) => overlap(card(p.x, p.y), t))).toBe(false);
      taken.push(card(p.x, p.y));
    }
  });
});

describe("freeShift", () => {
  it("moves a group by one shift that clears all of it", () => {
    const group = [card(0, 0), card(260, 0)];
    const d = freeShift(group, [card(300, 40)], { x: 40, y: 40 });
    for (const g of group) expect(overlap({ ...g, x: g.x + d.x, y: g.y + d.y }, card(300, 40))).toBe(false);
  });

  it("keeps the preferred shift when nothing is in the way", () => {
    expect(freeShift([card(0, 0)], [], { x: 40, y: 40 })).toEqual({ x: 40, y: 40 });
  });
});

describe("occupiedRects", () => {
  it("uses measured sizes where known", () => {
    const g = { ...emptyGraph(), nodes: [{ id: "a", type: "inline", position: { x: 5, y: 6 }, config: {} }] };
    expect(occupiedRects(g, { a: { width: 300, height: 50 } })).toEqual([{ x: 5, y: 6, width: 300, height: 50 }]);
  });
});

describe("inView", () => {
  it("says whether a card is wholly on screen under the viewport", () => {
    const size = { width: 900, height: 500 };
    expect(inView(card(600, 0), { x: 0, y: 0, zoom: 1 }, size)).toBe(true);
    expect(inView(card(700, 0), { x: 0, y: 0, zoom: 1 }, size)).toBe(false);
    expect(inView(card(700, 0), { x: -100, y: 0, zoom: 1 }, size)).toBe(true);
    expect(inView(card(1200, 0), { x: 0, y: 0, zoom: 0.5 }, size)).toBe(true);
  });
});
