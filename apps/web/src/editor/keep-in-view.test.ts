import { describe, expect, it } from "vitest";
import { KEEP_MARGIN, onScreen, panIntoView } from "./keep-in-view.ts";

const canvas = { width: 800, height: 500 };
const card = { width: 220, height: 84 };

describe("panIntoView", () => {
  it("moves a node that the inspector's opening left past the right edge back inside, by the least pan", () => {
    // The canvas was 1120 wide and the card sat at 860..1080; the inspector took 320 px.
    const { dx, dy } = panIntoView({ x: 860, y: 200, ...card }, canvas);
    expect(dx).toBe(800 - KEEP_MARGIN - 1080);
    expect(dy).toBe(0);
  });

  it("leaves a node that is in view where it is", () => {
    expect(panIntoView({ x: 300, y: 200, ...card }, canvas)).toEqual({ dx: 0, dy: 0 });
  });

  it("brings a node from above or the left, and shows the left part of one wider than the canvas", () => {
    expect(panIntoView({ x: -100, y: -50, ...card }, canvas)).toEqual({ dx: KEEP_MARGIN + 100, dy: KEEP_MARGIN + 50 });
    expect(panIntoView({ x: 400, y: 100, width: 900, height: 84 }, canvas).dx).toBe(KEEP_MARGIN - 400);
  });
});

describe("panIntoView with overlays", () => {
  it("keeps a node brought to the bottom edge clear of the minimap's strip, not under it", () => {
    // The card's bottom at 476 of 500: the plain pan leaves it where the minimap sits.
    expect(panIntoView({ x: 300, y: 392, ...card }, canvas).dy).toBe(0);
    const { dy } = panIntoView({ x: 300, y: 392, ...card }, canvas, KEEP_MARGIN, { bottom: 120 });
    expect(392 + dy + card.height).toBe(500 - 120 - KEEP_MARGIN);
  });
});

describe("onScreen", () => {
  it("applies the viewport's zoom and translation", () => {
    expect(onScreen({ x: 100, y: 50, ...card }, { x: 10, y: 20, zoom: 0.5 })).toEqual({ x: 60, y: 45, width: 110, height: 42 });
  });
});
