import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startLineageReceiver, type LineageReceiver } from "../testing/lineage-receiver.ts";
import type { RunEvent } from "./openlineage.types.ts";

let t: TestApp | undefined;
let receiver: LineageReceiver;

beforeAll(async () => {
  receiver = await startLineageReceiver();
  // A grace of 1 ms: stop() gives up on the run at once and marks it failed itself, as it does for a step that
  // ignores its stop switch on a busy machine.
  t = await createTestApp({
    startWorker: true,
    worker: { stopGraceMs: 1 },
    openLineage: { endpoint: `${receiver.url}/lineage`, apiKey: undefined, namespace: "ops", timeoutMs: 2000 },
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const eventsOf = (runId: string) => receiver.requests.map((r) => r.body as RunEvent).filter((e) => e.run.runId === runId);

describe("a worker stopped while a run outlasts the stop's grace", () => {
  it("marks the run failed and sends its FAIL before the process would exit", async () => {
    const app = t!;
    const p = await request(app.app).post("/api/pipelines").send({ name: "Outlasts the grace", graph: slowPipelineGraph("ol_grace", { sleepSeconds: 120 }) });
    const runId = (await request(app.app).post(`/api/pipelines/${p.body.id}/runs`).send({})).body.runId as string;
    const end = Date.now() + 60_000;
    while (!eventsOf(runId).some((e) => e.eventType === "START")) {
      if (Date.now() > end) throw new Error(`no START: ${app.logs.join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    t = undefined;
    await app.close();
    expect(app.logs.join("\n")).toMatch(/did not stop within 1 ms; marking it failed/);
    expect(eventsOf(runId).map((e) => e.eventType)).toEqual(["START", "FAIL"]);
    expect(eventsOf(runId)[1]!.run.facets?.errorMessage?.message).toMatch(/The worker was stopped \(shutdown\) during the run/);
  }, 120_000);
});
