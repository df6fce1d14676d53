import type { PipelineGraph } from "@sluice/model";
import type { Size } from "./free-spot.ts";

/** The cards' sizes as React Flow measured them (pass its `useReactFlow()`); cards not yet measured are left out. */
export function measuredSizes(flow: { getInternalNode(id: string): { measured: { width?: number; height?: number } } | undefined }, graph: PipelineGraph): Record<string, Size> {
  const sizes: Record<string, Size> = {};
  for (const n of graph.nodes) {
    const m = flow.getInternalNode(n.id)?.measured;
    if (m?.width && m.height) sizes[n.id] = { width: m.width, height: m.height };
  }
  return sizes;
}
