import type { Request, Response } from "express";
import type { NodeRunInfo, RunEvent } from "@sluice/model";
import type { RunRepository } from "./run.repository.ts";

const POLL_MS = 400;
/** How often (in polls) the stream asks again whether its caller may still read the workspace: every 2 s. */
const RECHECK_EVERY = 5;

/**
 * Server-sent events for one run. Progress is read back from PostgreSQL rather than pushed in-process,
 * because the worker running it may be another process on another machine. Finished runs replay and end.
 * A run may go on for hours: the stream ends as soon as `stillAllowed` says its caller lost access (a token
 * revoked, a session ended, a member removed), as any new request of theirs would be refused.
 */
export async function streamRunEvents(runs: RunRepository, workspaceId: string, runId: string, req: Request, res: Response, stillAllowed: () => Promise<boolean>) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  let closed = false;
  req.on("close", () => {
    closed = true;
  });
  const send = (e: RunEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);

  let lastRun = "";
  const lastNodes = new Map<string, string>();
  let lastLogId = 0;
  let idleTicks = 0;
  let polls = 0;
  while (!closed) {
    if (++polls % RECHECK_EVERY === 0 && !(await stillAllowed())) break;
    const run = await runs.get(workspaceId, runId);
    if (!run) break;
    const runJson = JSON.stringify(run.summary);
    if (runJson !== lastRun) {
      lastRun = runJson;
      send({ type: "run", run: run.summary });
    }
    for (const node of run.nodes) {
      const json = JSON.stringify(node);
      if (lastNodes.get(node.nodeId) !== json) {
        lastNodes.set(node.nodeId, json);
        send({ type: "node", node: node satisfies NodeRunInfo });
      }
    }
    for (let logs = await runs.logsAfter(runId, lastLogId); logs.length; logs = await runs.logsAfter(runId, lastLogId)) {
      for (const log of logs) send({ type: "log", log });
      lastLogId = logs[logs.length - 1]!.id;
    }
    if (runs.isTerminal(run.summary.status)) {
      send({ type: "end", status: run.summary.status });
      break;
    }
    // A comment line now and then keeps proxies from closing an idle stream.
    if (++idleTicks % 25 === 0) res.write(": keep-alive\n\n");
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  res.end();
}
