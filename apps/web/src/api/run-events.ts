import { useEffect, useState } from "react";
import { runEventSchema, type NodeRunInfo, type RunLogLine, type RunStatus, type RunSummary } from "@sluice/model";
import { followEventStream } from "./event-stream.ts";

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
    const controller = new AbortController();
    let ended = false;
    const onEvent = (_type: string, raw: string) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return;
      }
      const parsed = runEventSchema.safeParse(json);
      if (!parsed.success) return;
      const e = parsed.data;
      if (e.type === "end") ended = true;
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
            return { ...s, status: e.status, ended: true };
          default: {
            const never: never = e;
            return never;
          }
        }
      });
    };
    void followEventStream(`/runs/${encodeURIComponent(runId)}/events`, onEvent, { signal: controller.signal, isDone: () => ended });
    return () => controller.abort();
  }, [runId]);
  return state;
}
