import { ControlButton, Controls, MiniMap, Panel, useReactFlow } from "@xyflow/react";
import { MINIMAP, OVERLAY_GAP as GAP, TOGGLE_HEIGHT } from "./fit-view.ts";
import { setMinimapShown, useMinimapShown } from "./minimap-preference.ts";
import { useFitOnLoad, useReadableFit } from "./use-readable-fit.ts";
import "./canvas.css";

/**
 * Zoom buttons, fit view and a small minimap that can be hidden. The minimap neither pans nor zooms by drag or wheel:
 * a connection drag pressed on its edge once sent the view thousands of pixels away. A click on it centres the view
 * there. Rendered inside a ReactFlow; with `fitOnLoad`, it fits the graph at a readable zoom once it is measured.
 */
export function CanvasControls({ fitOnLoad }: { fitOnLoad: boolean }) {
  const flow = useReactFlow();
  const shown = useMinimapShown();
  const fit = useReadableFit();
  useFitOnLoad(fitOnLoad, fit);
  return (
    <>
      <Controls showInteractive={false} showFitView={false} orientation="horizontal" style={{ margin: GAP }}>
        <ControlButton onClick={() => fit(200)} title="Fit view" aria-label="Fit view">
          <svg viewBox="0 0 16 16" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6">
            <path d="M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4" />
          </svg>
        </ControlButton>
      </Controls>
      {shown && (
        <MiniMap
          ariaLabel="Minimap"
          pannable={false}
          zoomable={false}
          onClick={(_e, p) => void flow.setCenter(p.x, p.y, { zoom: flow.getZoom(), duration: 200 })}
          style={{ ...MINIMAP, margin: `0 ${GAP}px ${GAP + TOGGLE_HEIGHT + 4}px 0` }}
          className="!rounded border border-slate-200"
        />
      )}
      <Panel position="bottom-right" style={{ margin: GAP }}>
        <button
          type="button"
          onClick={() => setMinimapShown(!shown)}
          className="h-6 rounded border border-slate-200 bg-white px-2 text-xs text-slate-700 shadow-sm hover:bg-slate-50"
        >
          {shown ? "Hide minimap" : "Show minimap"}
        </button>
      </Panel>
    </>
  );
}
