import { useCallback, useMemo, useState } from "react";
import { useReactFlow, type FinalConnectionState } from "@xyflow/react";
import { useEditorStore } from "./editor-context.ts";
import { connectableTypes, type LooseEnd } from "./connect-new-node.ts";
import { ConnectPalette } from "./connect-palette.tsx";
import { DEFAULT_NODE_SIZE, freeSpot, occupiedRects } from "./free-spot.ts";
import { measuredSizes } from "./measured-sizes.ts";

const snap = (v: number) => Math.round(v / 20) * 20;

/**
 * A connection dropped on empty canvas opens a palette of the node types that could take it, at the drop point;
 * the one picked is added there (or at the nearest free spot) and connected. `open` is for onConnectEnd: it says
 * whether it took the drop.
 */
export function useConnectDrop(readOnly: boolean, onRefused: (message: string) => void) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const [drop, setDrop] = useState<{ end: LooseEnd; client: { x: number; y: number }; at: { x: number; y: number } } | null>(null);

  const open = useCallback(
    (e: MouseEvent | TouchEvent, s: FinalConnectionState): boolean => {
      if (readOnly || s.isValid || s.toNode || !s.fromHandle) return false;
      const target = e.target instanceof Element ? e.target : null;
      // Over the minimap or the zoom buttons is not "on the canvas".
      if (!target?.closest(".react-flow") || target.closest(".react-flow__panel, .react-flow__node")) return false;
      const point = "changedTouches" in e ? e.changedTouches[0] : e;
      if (!point) return false;
      const side = s.fromHandle.type;
      const end: LooseEnd = { nodeId: s.fromHandle.nodeId, port: s.fromHandle.id ?? (side === "source" ? "out" : "in"), side };
      if (connectableTypes(store.getState().graph, end).length === 0) {
        onRefused(side === "source" ? "Nothing more can be connected to this output." : "This input already has its connection.");
        return true;
      }
      const p = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      // The new card's input (or output) handle where the connection was let go.
      const at = side === "source" ? { x: p.x, y: p.y - 40 } : { x: p.x - DEFAULT_NODE_SIZE.width, y: p.y - 40 };
      setDrop({ end, client: { x: point.clientX, y: point.clientY }, at: { x: snap(at.x), y: snap(at.y) } });
      return true;
    },
    [readOnly, store, flow, onRefused],
  );

  const close = useCallback(() => setDrop(null), []);
  const types = useMemo(() => (drop ? connectableTypes(store.getState().graph, drop.end) : []), [drop, store]);
  const pick = (type: string) => {
    if (!drop) return;
    const graph = store.getState().graph;
    store.getState().addConnectedNode(type, freeSpot(drop.at, occupiedRects(graph, measuredSizes(flow, graph))), drop.end);
    setDrop(null);
  };

  const popup = drop && <ConnectPalette at={drop.client} types={types} onPick={pick} onClose={close} />;
  return { open, popup };
}
