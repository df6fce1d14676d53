import { createContext, useContext } from "react";

/** While a connection is being dragged on the editor's canvas: which handles would take it (the canvas works it out). */
export interface ConnectTargets {
  from: { nodeId: string; side: "source" | "target" };
  /** handleKey(nodeId, port) of each handle that accepts the connection. */
  handles: ReadonlySet<string>;
  /** Nodes with at least one such handle. */
  nodes: ReadonlySet<string>;
}

export const handleKey = (nodeId: string, port: string) => `${nodeId}\u0000${port}`;

/** Null when no connection is being dragged, and always on the run page. */
export const ConnectTargetsContext = createContext<ConnectTargets | null>(null);

/**
 * For a node card (no port) or one of its handles during a connection drag: "valid" when it can take the
 * connection, "invalid" when it cannot, undefined when no drag is on, for the node it started from, and for
 * handles on the same side as the one dragged.
 */
export function useConnectTarget(nodeId: string | null, port?: string, side?: "in" | "out"): "valid" | "invalid" | undefined {
  const t = useContext(ConnectTargetsContext);
  if (!t || nodeId === null || nodeId === t.from.nodeId) return undefined;
  if (port === undefined) return t.nodes.has(nodeId) ? "valid" : "invalid";
  if ((side === "in") !== (t.from.side === "source")) return undefined;
  return t.handles.has(handleKey(nodeId, port)) ? "valid" : "invalid";
}
