import type { PipelineGraph } from "@sluice/model";

/** Where new nodes go: near where they were meant to land, never on top of a node already there. */

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Point, Size {}

/** A card's size before React Flow has measured it (cards are 220 px wide; most are about 90 px tall). */
export const DEFAULT_NODE_SIZE: Size = { width: 220, height: 100 };
/** Space kept free around a card, so neighbours can still be told apart and their handles grabbed. */
const GAP = 20;
const STEP = 20;
/** How far (in steps) to look before giving up and using the intended point. */
const REACH = 40;

/** The boxes the graph's nodes take up, at their measured size where known. */
export function occupiedRects(graph: PipelineGraph, sizes: Record<string, Size> = {}, except: ReadonlySet<string> = new Set()): Rect[] {
  return graph.nodes.filter((n) => !except.has(n.id)).map((n) => ({ ...n.position, ...(sizes[n.id] ?? DEFAULT_NODE_SIZE) }));
}

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/** Shifts to try, nearest first; at equal distance down before right before up before left, so results are stable. */
function shifts(): Point[] {
  const out: Point[] = [];
  for (let i = -REACH; i <= REACH; i++) for (let j = -REACH; j <= REACH; j++) out.push({ x: i * STEP, y: j * STEP });
  const rank = (p: Point) => (p.y > 0 ? 0 : p.x > 0 ? 1 : p.y < 0 ? 2 : 3);
  return out.sort((a, b) => a.x * a.x + a.y * a.y - (b.x * b.x + b.y * b.y) || rank(a) - rank(b));
}
const SHIFTS = shifts();

/**
 * The smallest shift (on the grid) that moves every one of `boxes` clear of `occupied`, starting from `preferred`:
 * one shift for them all, so a pasted group keeps its shape.
 */
export function freeShift(boxes: Rect[], occupied: Rect[], preferred: Point = { x: 0, y: 0 }): Point {
  for (const s of SHIFTS) {
    const d = { x: preferred.x + s.x, y: preferred.y + s.y };
    if (boxes.every((b) => !occupied.some((o) => overlaps({ ...b, x: b.x + d.x, y: b.y + d.y }, o)))) return d;
  }
  return preferred;
}

/** The free position nearest to `want` for a card of `size`. */
export function freeSpot(want: Point, occupied: Rect[], size: Size = DEFAULT_NODE_SIZE): Point {
  const d = freeShift([{ ...want, ...size }], occupied);
  return { x: want.x + d.x, y: want.y + d.y };
}

/** Whether `box` (flow coordinates) is wholly inside the visible part of a canvas of `size` under `viewport`. */
export function inView(box: Rect, viewport: { x: number; y: number; zoom: number }, size: Size): boolean {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  return left >= 0 && top >= 0 && left + box.width * viewport.zoom <= size.width && top + box.height * viewport.zoom <= size.height;
}
