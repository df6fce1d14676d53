import request from "supertest";
import type { Express } from "express";
import type { RunDetail } from "@sluice/model";

const FINISHED = ["succeeded", "failed", "cancelled"];

/** Polls GET /api/runs/:id until the run reaches one of `statuses` (default: finished). */
export async function waitForRun(app: Express, runId: string, statuses: string[] = FINISHED, timeoutMs = 30_000): Promise<RunDetail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(`/api/runs/${runId}`);
    if (statuses.includes(res.body.status)) return res.body as RunDetail;
    if (Date.now() > until) throw new Error(`run ${runId} is still ${res.body.status} after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
