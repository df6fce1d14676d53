/**
 * Fitting a graph into view without making it unreadable. React Flow's fitView shrinks a wide pipeline until it
 * fits (the demo opened at zoom 0.51, card names at 7 px); this never goes below MIN_FIT_ZOOM, and a graph that does
 * not fit at that zoom is shown from its start (left, top), where data enters, for the user to pan on from there.
 */

/** A card's name is 14 px and its summary 12 px: at 0.9 they read as 12.6 and 10.8 px. */
export const MIN_FIT_ZOOM = 0.9;
/** Small graphs are not blown up past this. */
export const MAX_FIT_ZOOM = 1.1;
/** Room kept clear around the graph, in screen pixels. */
export const FIT_MARGIN = 32;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
/** Screen pixels at each edge of the canvas that something drawn on top (minimap, zoom buttons) takes. */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The minimap's size, the gap of the canvas's overlays to its edge, and the height of the minimap's hide/show button. */
export const MINIMAP = { width: 128, height: 80 };
export const OVERLAY_GAP = 12;
export const TOGGLE_HEIGHT = 24;

/**
 * What the zoom buttons (a row at the bottom left) and the minimap (bottom right, above its hide/show button) take
 * of the canvas, for fits to keep the graph clear of them.
 */
export function overlayInsets(minimap: boolean): Partial<Insets> {
  return { bottom: minimap ? OVERLAY_GAP + TOGGLE_HEIGHT + 4 + MINIMAP.height : OVERLAY_GAP + 28 };
}

/** The viewport that shows `bounds` (flow coordinates) in a canvas of `size` (screen pixels), readable first. */
export function readableViewport(bounds: Rect, size: { width: number; height: number }, reserve: Partial<Insets> = {}): Viewport {
  const r: Insets = { top: 0, right: 0, bottom: 0, left: 0, ...reserve };
  const area = {
    x: r.left + FIT_MARGIN,
    y: r.top + FIT_MARGIN,
    width: Math.max(1, size.width - r.left - r.right - 2 * FIT_MARGIN),
    height: Math.max(1, size.height - r.top - r.bottom - 2 * FIT_MARGIN),
  };
  const fits = Math.min(area.width / Math.max(1, bounds.width), area.height / Math.max(1, bounds.height));
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(MIN_FIT_ZOOM, fits));
  // Centred along an axis where the graph fits; from its start where it does not.
  const place = (start: number, room: number, from: number, length: number) =>
    length * zoom <= room ? start + (room - length * zoom) / 2 - from * zoom : start - from * zoom;
  return { x: place(area.x, area.width, bounds.x, bounds.width), y: place(area.y, area.height, bounds.y, bounds.height), zoom };
}
