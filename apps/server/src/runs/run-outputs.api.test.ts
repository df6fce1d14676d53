import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { listOutputs } from "./run-outputs.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";

const SECRET = "root:x:0:0:not-an-output";

describe("downloading a run's outputs never leaves the run's folder", () => {
  let t: TestApp;
  let outside: string;
  let outputs: string;
  let run: string;
  let pipelineId: string;

  /** A run row of the workspace (outputs are served only for runs the caller's workspace has), never executed. */
  async function aRun() {
    const version = await t.db.pipelineVersion.findFirstOrThrow({ where: { pipelineId } });
    return (await t.db.run.create({ data: { id: randomUUID(), pipelineId, versionId: version.id, versionNumber: version.number, trigger: "test" } })).id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    outputs = path.join(t.dataDir, "outputs");
    outside = mkdtempSync(path.join(tmpdir(), "sluice-outside-"));
    writeFileSync(path.join(outside, "passwd"), SECRET);
    pipelineId = (await request(t.app).post("/api/pipelines").send({ name: "Outputs", graph: quickPipelineGraph() })).body.id;
    run = await aRun();
    mkdirSync(path.join(outputs, run), { recursive: true });
    writeFileSync(path.join(outputs, run, "report.csv"), "a,b\n1,2\n");
  }, 60_000);
  afterAll(async () => {
    rmSync(outside, { recursive: true, force: true });
    await t?.close();
  });

  const download = (runId: string, name: string) => request(t.app).get(`/api/runs/${runId}/outputs/${name}`);
  const refused = (r: request.Response) => {
    expect([400, 403, 404]).toContain(r.status);
    expect(r.text).not.toContain(SECRET);
  };

  it("serves a file the run wrote", async () => {
    const r = await download(run, "report.csv");
    expect(r.status).toBe(200);
    expect(r.text).toBe("a,b\n1,2\n");
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename="?report\.csv"?$/);
  });

  it("the reported case: a link planted in the run's folder is not followed, nor listed", async () => {
    symlinkSync(path.join(outside, "passwd"), path.join(outputs, run, "passwd.csv"));
    const r = await download(run, "passwd.csv");
    refused(r);
    expect(r.body.error.code).toBe("OUTPUT_NOT_FOUND");
    expect((await listOutputs(outputs, run)).map((o) => o.name)).toEqual(["report.csv"]);
  });

  it("a run folder that is a link to a folder elsewhere is not followed", async () => {
    const linked = await aRun();
    symlinkSync(outside, path.join(outputs, linked));
    refused(await download(linked, "passwd"));
    expect(await listOutputs(outputs, linked)).toEqual([]);
  });

  it("a hard link to a file elsewhere is not served", async () => {
    const dir = await aRun();
    mkdirSync(path.join(outputs, dir));
    linkSync(path.join(outside, "passwd"), path.join(outputs, dir, "hard.csv"));
    refused(await download(dir, "hard.csv"));
    expect(await listOutputs(outputs, dir)).toEqual([]);
  });

  it("a FIFO in place of an output neither hangs nor is served", async () => {
    execFileSync("mkfifo", [path.join(outputs, run, "pipe.csv")]);
    refused(await download(run, "pipe.csv"));
  });

  it("names with .. in any encoding, separators and hidden names are no output", async () => {
    writeFileSync(path.join(outputs, run, ".hidden"), SECRET);
    for (const name of ["..", "%2e%2e", "%2E%2E", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fpasswd", "..%5C..%5Cpasswd", ".hidden", "report.csv%00", "%252e%252e"]) {
      refused(await download(run, name));
    }
    for (const id of ["..", "%2e%2e", `${run}%2F..`, "..%2F..%2Fetc"]) refused(await download(id, "passwd"));
    refused(await request(t.app).get(`/api/runs/${run}/outputs/../../../../etc/passwd`));
  });
});
