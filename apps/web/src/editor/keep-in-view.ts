import { useEffect, useRef } from "react";
import { useReactFlow, useStore } from "@xyflow/react";
import { overlayInsets, type Insets, type Rect, type Viewport } from "../graph/fit-view.ts";
import { useMinimapShown } from "../graph/minimap-preference.ts";
import { useEditor } from "./editor-context.ts";

/** Room kept between a node brought into view and the canvas's edge, in screen pixels. */
export const KEEP_MARGIN = 24;

/**
 * The least pan (screen pixels) that brings `box` (screen coordinates relative to the canvas) inside a canvas of
 * `size`, `margin` from its edges and clear of what `reserve` says overlays (the minimap, the zoom buttons) take at
 * each edge; a box larger than the room left shows its left or top part.
 */
export function panIntoView(box: Rect, size: { width: number; height: number }, margin = KEEP_MARGIN, reserve: Partial<Insets> = {}): { dx: number; dy: number } {
  const r: Insets = { top: 0, right: 0, bottom: 0, left: 0, ...reserve };
  const along = (start: number, length: number, room: number, before: number, after: number) => {
    const first = before + margin;
    const last = room - after - margin;
    if (start < first || length > last - first) return first - start;
    if (start + length > last) return last - (start + length);
    return 0;
  };
  return { dx: along(box.x, box.width, size.width, r.left, r.right), dy: along(box.y, box.height, size.height, r.top, r.bottom) };
}

/** Where a node drawn at `node` (flow coordinates) lands on screen under `viewport`. */
export const onScreen = (node: Rect, v: Viewport): Rect => ({ x: node.x * v.zoom + v.x, y: node.y * v.zoom + v.y, width: node.width * v.zoom, height: node.height * v.zoom });

/**
 * Opening the inspector or a drawer narrows the canvas without moving the view, so a node selected near the right
 * edge ended up under the panel. When the canvas changes size, this pans the one selected node back into it. Only a
 * resize moves the view: panning on selection would move a node away under a pointer that is about to drag it.
 * The node is kept clear of the minimap and zoom buttons too, as fits keep the graph: a node selected at the bottom
 * right was panned to the corner and ended up under the minimap. Rendered inside the editor's ReactFlow.
 */
export function KeepSelectedInView() {
  const minimap = useMinimapShown();
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0]! : null));
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const flow = useReactFlow();
  const last = useRef({ width, height });
  useEffect(() => {
    const was = last.current;
    last.current = { width, height };
    if (!selected || (was.width === width && was.height === height) || !width || !height) return;
    const node = flow.getInternalNode(selected);
    if (!node?.measured.width || !node.measured.height) return;
    const v = flow.getViewport();
    const { x, y } = node.internals.positionAbsolute;
    const { dx, dy } = panIntoView(onScreen({ x, y, width: node.measured.width, height: node.measured.height }, v), { width, height }, KEEP_MARGIN, overlayInsets(minimap));
    if (dx !== 0 || dy !== 0) void flow.setViewport({ x: v.x + dx, y: v.y + dy, zoom: v.zoom }, { duration: 150 });
  }, [selected, width, height, flow, minimap]);
  return null;
}
