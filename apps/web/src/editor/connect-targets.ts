import { useCallback, useState } from "react";
import type { OnConnectStartParams } from "@xyflow/react";
import type { PipelineGraph } from "@sluice/model";
import { handleKey, type ConnectTargets } from "../graph/connect-target.ts";
import type { LooseEnd } from "./connect-new-node.ts";
import { acceptedEdges } from "./connection-targets.ts";
import { useEditorStore } from "./editor-context.ts";

/** Every handle on the other side of the drag that the canvas would accept from the handle being dragged. */
export function connectTargets(graph: PipelineGraph, from: LooseEnd): ConnectTargets {
  const handles = new Set<string>();
  const nodes = new Set<string>();
  for (const e of acceptedEdges(graph, from)) {
    const [node, port] = from.side === "source" ? [e.target, e.targetPort] : [e.source, e.sourcePort];
    handles.add(handleKey(node, port));
    nodes.add(node);
  }
  return { from, handles, nodes };
}

/** For the canvas: `start` on onConnectStart works out the targets once per drag, `end` on onConnectEnd clears them. */
export function useConnectTargetsWhileDragging() {
  const store = useEditorStore();
  const [targets, setTargets] = useState<ConnectTargets | null>(null);
  const start = useCallback(
    (_e: MouseEvent | TouchEvent, p: OnConnectStartParams) => {
      if (!p.nodeId || !p.handleType) return;
      const port = p.handleId ?? (p.handleType === "source" ? "out" : "in");
      setTargets(connectTargets(store.getState().graph, { nodeId: p.nodeId, port, side: p.handleType }));
    },
    [store],
  );
  const end = useCallback(() => setTargets(null), []);
  return { targets, start, end };
}
