import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { startSluiceProcess, waitFor, type SluiceProcess } from "../testing/sluice-process.ts";

let t: TestApp;
let worker: SluiceProcess | undefined;
const secretKey = randomBytes(32);

beforeAll(async () => {
  // Two workers: one in this process, one in a child process, sharing the queue in PostgreSQL.
  t = await createTestApp({ startWorker: true, secretKey });
  const w = startSluiceProcess(t, secretKey, "worker-main.ts");
  worker = w;
  // On a busy machine the child takes many seconds to start; runs made before it is up all go to the first worker.
  await waitFor("the second worker to take runs", () => (w.output().includes("is taking runs") ? true : undefined), 90_000);
}, 120_000);
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
});

const slowGraph = (table: string) => slowPipelineGraph(table, { sleepSeconds: 1.5, mode: "append" });

const finished = (runId: string) => waitForRun(t.app, runId, undefined, 60_000);

describe("run scheduling across workers", () => {
  it("runs of one pipeline wait for each other, while another pipeline runs alongside", async () => {
    const a = (await request(t.app).post("/api/pipelines").send({ name: "A", graph: slowGraph("a") })).body.id;
    const b = (await request(t.app).post("/api/pipelines").send({ name: "B", graph: slowGraph("b") })).body.id;
    const a1 = (await request(t.app).post(`/api/pipelines/${a}/runs`).send({})).body.runId;
    const a2 = (await request(t.app).post(`/api/pipelines/${a}/runs`).send({})).body.runId;
    const b1 = (await request(t.app).post(`/api/pipelines/${b}/runs`).send({})).body.runId;
    const [ra1, ra2, rb1] = await Promise.all([finished(a1), finished(a2), finished(b1)]);
    for (const r of [ra1, ra2, rb1]) expect(r.status, r.error ?? "").toBe("succeeded");
    const span = (r: { startedAt: string | null; finishedAt: string | null }) => [Date.parse(r.startedAt ?? ""), Date.parse(r.finishedAt ?? "")] as const;
    const [s1, e1] = span(ra1);
    const [s2, e2] = span(ra2);
    const [sb, eb] = span(rb1);
    // The two runs of A never overlap.
    expect(s2 >= e1 || s1 >= e2).toBe(true);
    // B ran at the same time as one of A's runs: pipelines do not wait for each other.
    const overlaps = (x: number, y: number) => sb < y && x < eb;
    expect(overlaps(s1, e1) || overlaps(s2, e2)).toBe(true);
  }, 90_000);
});
