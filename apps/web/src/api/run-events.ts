import { useEffect, useState } from "react";
import { runEventSchema, type NodeRunInfo, type RunLogLine, type RunStatus, type RunSummary } from "@sluice/model";

export interface WatchedRun {
  runId: string;
  run: RunSummary | null;
  status: RunStatus | null;
  nodes: Map<string, NodeRunInfo>;
  logs: RunLogLine[];
  ended: boolean;
}

/**
 * Follows a run's server-sent events: live while it runs, a replay once it has finished. The canvas colours
 * nodes and counts rows from it; the run page also shows the log.
 */
export function useRunEvents(runId: string | null): WatchedRun | null {
  const [state, setState] = useState<WatchedRun | null>(null);
  useEffect(() => {
    if (!runId) {
      setState(null);
      return;
    }
    setState({ runId, run: null, status: "queued", nodes: new Map(), logs: [], ended: false });
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    const onEvent = (raw: MessageEvent<string>) => {
      const parsed = runEventSchema.safeParse(JSON.parse(raw.data));
      if (!parsed.success) return;
      const e = parsed.data;
      setState((s) => {
        if (!s || s.runId !== runId) return s;
        switch (e.type) {
          case "run":
            return { ...s, run: e.run, status: e.run.status };
          case "node":
            return { ...s, nodes: new Map(s.nodes).set(e.node.nodeId, e.node) };
          case "log":
            return s.logs.some((l) => l.id === e.log.id) ? s : { ...s, logs: [...s.logs, e.log] };
          case "end":
            source.close();
            return { ...s, status: e.status, ended: true };
          default: {
            const never: never = e;
            return never;
          }
        }
      });
    };
    for (const type of ["run", "node", "log", "end"]) source.addEventListener(type, onEvent);
    return () => source.close();
  }, [runId]);
  return state;
}
