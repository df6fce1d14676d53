import { useEffect } from "react";
import { useConnections } from "../api/connections.queries.ts";
import type { EditorStore } from "./editor.store.ts";
import { newNodeConfig } from "./new-node-defaults.ts";

/** Keeps the store's settings for new nodes in step with the workspace's connections and the pipeline's name. */
export function useNewNodeDefaults(store: EditorStore, pipelineName: string) {
  const connections = useConnections(true).data?.connections;
  useEffect(() => {
    store.getState().setNewNodeConfig(newNodeConfig(connections, pipelineName));
  }, [store, connections, pipelineName]);
}
