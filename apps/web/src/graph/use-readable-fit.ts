import { useCallback, useEffect, useRef } from "react";
import { useNodesInitialized, useReactFlow, useStore, useStoreApi } from "@xyflow/react";
import { overlayInsets, readableViewport } from "./fit-view.ts";
import { useMinimapShown } from "./minimap-preference.ts";

/** Fits the graph into the canvas at a readable zoom (see fit-view.ts), clear of the zoom buttons and minimap. */
export function useReadableFit(): (duration?: number) => void {
  const flow = useReactFlow();
  const rf = useStoreApi();
  const minimap = useMinimapShown();
  return useCallback(
    (duration = 0) => {
      const { width, height } = rf.getState();
      const nodes = flow.getNodes();
      if (nodes.length === 0 || !width || !height) return;
      void flow.setViewport(readableViewport(flow.getNodesBounds(nodes), { width, height }, overlayInsets(minimap)), { duration });
    },
    [flow, rf, minimap],
  );
}

/** Fits once, as soon as the canvas and every node have been measured (as React Flow's fitView prop does). */
export function useFitOnLoad(enabled: boolean, fit: () => void) {
  const measured = useNodesInitialized();
  const sized = useStore((s) => s.width > 0 && s.height > 0);
  const done = useRef(false);
  useEffect(() => {
    if (!enabled || done.current || !measured || !sized) return;
    done.current = true;
    fit();
  }, [enabled, measured, sized, fit]);
}
