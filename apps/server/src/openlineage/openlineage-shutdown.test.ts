import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startSluiceProcess, type SluiceProcess } from "../testing/sluice-process.ts";
import { startLineageReceiver, type LineageReceiver } from "../testing/lineage-receiver.ts";
import { openLineageProblems } from "../testing/openlineage-schemas.ts";
import type { RunEvent } from "./openlineage.types.ts";

let t: TestApp;
let receiver: LineageReceiver;
let worker: SluiceProcess | undefined;
const secretKey = randomBytes(32);
// Short, so the lost run is failed soon after the kill; not shorter, so a busy machine's late heartbeat is not taken for a lost worker.
const STALE_SECONDS = 10;
const ENV = { OPENLINEAGE_URL: "", OPENLINEAGE_ENDPOINT: "lineage", OPENLINEAGE_API_KEY: "from-env", OPENLINEAGE_NAMESPACE: "ops", RUN_STALE_SECONDS: String(STALE_SECONDS) };

beforeAll(async () => {
  receiver = await startLineageReceiver();
  // The API process runs no pipelines; its reaper fails a run whose worker is lost within a few seconds.
  t = await createTestApp({
    startWorker: false,
    secretKey,
    worker: { staleSeconds: STALE_SECONDS },
    openLineage: { endpoint: `${receiver.url}/hooks/lineage`, apiKey: "from-env", namespace: "ops", timeoutMs: 2000 },
  });
}, 60_000);
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
  await receiver?.close();
});

const eventsOf = (runId: string) => receiver.requests.map((r) => r.body as RunEvent).filter((e) => e.run.runId === runId);

async function until(check: () => boolean, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${worker?.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startSlowRun(name: string, table: string) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph: slowPipelineGraph(table, { sleepSeconds: 120 }) });
  const { body } = await request(t.app).post(`/api/pipelines/${p.body.id}/runs`).send({});
  expect(body.runId, JSON.stringify(body)).toBeDefined();
  return body.runId as string;
}

describe("a worker process sending OpenLineage events", () => {
  it("reads OPENLINEAGE_* from its environment and, stopped with SIGTERM mid-run, sends the run's FAIL before it exits", async () => {
    const runId = await startSlowRun("Stopped mid-run", "ol_stopped");
    worker = startSluiceProcess(t, secretKey, "worker-main.ts", { ...ENV, OPENLINEAGE_URL: `${receiver.url}/hooks/` });
    await until(() => eventsOf(runId).some((e) => e.eventType === "START"), "the run's START");

    worker.child.kill("SIGTERM");
    expect(await worker.exited, worker.output()).toBe(0);
    const events = eventsOf(runId);
    expect(events.map((e) => e.eventType), worker.output()).toEqual(["START", "FAIL"]);
    for (const e of events) expect(openLineageProblems(e)).toEqual([]);
    expect(events[1]!.job).toMatchObject({ namespace: "ops", name: "Default/Stopped mid-run" });
    expect(events[1]!.run.facets?.errorMessage?.message).toMatch(/The worker was stopped \(SIGTERM\) during the run/);
    expect(receiver.requests.every((r) => r.path === "/hooks/lineage" && r.headers.authorization === "Bearer from-env")).toBe(true);
  }, 120_000);

  it("killed mid-run, sends nothing more, and the process that fails the lost run sends its FAIL", async () => {
    const runId = await startSlowRun("Killed mid-run", "ol_killed");
    worker = startSluiceProcess(t, secretKey, "worker-main.ts", { ...ENV, OPENLINEAGE_URL: `${receiver.url}/hooks/` });
    await until(() => eventsOf(runId).some((e) => e.eventType === "START"), "the run's START");
    worker.child.kill("SIGKILL");
    await worker.exited;
    await until(() => eventsOf(runId).some((e) => e.eventType === "FAIL"), "the lost run's FAIL");
    const events = eventsOf(runId);
    expect(events.map((e) => e.eventType)).toEqual(["START", "FAIL"]);
    for (const e of events) expect(openLineageProblems(e)).toEqual([]);
    expect(events[1]!.job).toEqual(expect.objectContaining({ namespace: "ops", name: "Default/Killed mid-run" }));
    expect(events[1]!.run.facets?.errorMessage?.message).toMatch(/worker lost/);
  }, 120_000);
});
