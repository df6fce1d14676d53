import { useEffect, useState } from "react";
import { runEventSchema, type NodeRunInfo, type RunStatus } from "@sluice/model";

export interface WatchedRun {
  runId: string;
  status: RunStatus | null;
  error: string | null;
  nodes: Map<string, NodeRunInfo>;
}

/** Follows a run's server-sent events, so the canvas can colour nodes and count rows while it runs. */
export function useRunWatch(runId: string | null): WatchedRun | null {
  const [state, setState] = useState<WatchedRun | null>(null);
  useEffect(() => {
    if (!runId) {
      setState(null);
      return;
    }
    setState({ runId, status: "queued", error: null, nodes: new Map() });
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    const onEvent = (raw: MessageEvent<string>) => {
      const parsed = runEventSchema.safeParse(JSON.parse(raw.data));
      if (!parsed.success) return;
      const e = parsed.data;
      setState((s) => {
        if (!s || s.runId !== runId) return s;
        switch (e.type) {
          case "run":
            return { ...s, status: e.run.status, error: e.run.error };
          case "node":
            return { ...s, nodes: new Map(s.nodes).set(e.node.nodeId, e.node) };
          case "end":
            source.close();
            return { ...s, status: e.status };
          case "log":
            return s;
          default: {
            const never: never = e;
            return never;
          }
        }
      });
    };
    for (const type of ["run", "node", "end"]) source.addEventListener(type, onEvent);
    return () => source.close();
  }, [runId]);
  return state;
}
