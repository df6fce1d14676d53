import { useCallback, useState } from "react";
import type { OnConnectStartParams } from "@xyflow/react";
import type { PipelineGraph } from "@sluice/model";
import { checkConnection, getNodeDefinition } from "@sluice/pipeline";
import { handleKey, type ConnectTargets } from "../graph/connect-target.ts";
import type { LooseEnd } from "./connect-new-node.ts";
import { useEditorStore } from "./editor-context.ts";

/** Every handle on the other side of the drag that checkConnection accepts from the handle being dragged. */
export function connectTargets(graph: PipelineGraph, from: LooseEnd): ConnectTargets {
  const handles = new Set<string>();
  const nodes = new Set<string>();
  for (const n of graph.nodes) {
    const def = getNodeDefinition(n.type);
    if (!def) continue;
    for (const p of from.side === "source" ? def.inputs : def.outputs) {
      const edge =
        from.side === "source"
          ? { source: from.nodeId, sourcePort: from.port, target: n.id, targetPort: p.name }
          : { source: n.id, sourcePort: p.name, target: from.nodeId, targetPort: from.port };
      if (!checkConnection(graph, edge).ok) continue;
      handles.add(handleKey(n.id, p.name));
      nodes.add(n.id);
    }
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
