import { describe, expect, it } from "vitest";
import { FIT_MARGIN, MAX_FIT_ZOOM, MIN_FIT_ZOOM, readableViewport } from "./fit-view.ts";

// The editor's canvas at 1440x900 (less navigation, palette, toolbar and preview), and the demo pipeline's extent.
const canvas = { width: 1168, height: 560 };
const demo = { x: 0, y: 0, width: 2600, height: 300 };

describe("readableViewport", () => {
  it("never zooms below the readable minimum, and shows a graph too wide for it from its start", () => {
    const v = readableViewport(demo, canvas);
    expect(v.zoom).toBe(MIN_FIT_ZOOM);
    // The first node's left edge sits at the margin; the graph's height fits, so it is centred vertically.
    expect(v.x).toBe(FIT_MARGIN);
    expect(v.y + (demo.height * v.zoom) / 2).toBeCloseTo(canvas.height / 2);
  });

  it("fits a graph that fits, centred, and does not blow a small one up", () => {
    const mid = readableViewport({ x: 100, y: 50, width: 1000, height: 300 }, canvas);
    expect(mid.zoom).toBeCloseTo((canvas.width - 2 * FIT_MARGIN) / 1000);
    expect(mid.x + (100 + 500) * mid.zoom).toBeCloseTo(canvas.width / 2);
    expect(readableViewport({ x: 0, y: 0, width: 220, height: 84 }, canvas).zoom).toBe(MAX_FIT_ZOOM);
  });

  it("keeps the graph out of the reserved strip (the minimap's)", () => {
    const v = readableViewport({ x: 0, y: 0, width: 600, height: 400 }, canvas, { bottom: 120 });
    expect(v.y + 400 * v.zoom).toBeLessThanOrEqual(canvas.height - 120 - FIT_MARGIN + 1e-9);
  });

  it("shows a graph too tall to read whole from its top", () => {
    const v = readableViewport({ x: -40, y: -300, width: 400, height: 2000 }, canvas);
    expect(v.zoom).toBe(MIN_FIT_ZOOM);
    expect(v.y).toBe(FIT_MARGIN + 300 * MIN_FIT_ZOOM);
  });
});
