import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { uploadFile } from "../testing/upload-file.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { incrementalFilesGraph } from "../testing/incremental-pipeline.ts";

let t: TestApp;
const warehouse = (sql: string, values: unknown[] = []) => sqlRows(t.warehouse.url, sql, values);

beforeAll(async () => {
  t = await createTestApp({ startWorker: true });
}, 60_000);
afterAll(async () => t?.close());

const upload = (name: string, content: string, onExists?: "replace") => uploadFile(t.app, name, content, onExists);

async function run(pipelineId: string) {
  const start = await request(t.app).post(`/api/pipelines/${pipelineId}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const detail = await waitForRun(t.app, start.body.runId, undefined, 60_000);
  expect(detail.status, detail.error ?? "").toBe("succeeded");
  const marks = await request(t.app).get(`/api/runs/${detail.id}/watermarks`);
  return { rows: detail.nodes.find((n) => n.nodeId === "sink")?.rowsOut, range: marks.body.watermarks[0] as { column: string; before: string | null; after: string | null; state: string } };
}

const loaded = async (table: string) => (await warehouse(`SELECT id::int AS id, _source_file AS file FROM warehouse.${table} ORDER BY id, _source_file`)) as { id: number; file: string }[];

describe("a file source reading new files only", () => {
  it("loads a.csv and b.csv, then only c.csv; a copy under a new name once, a replaced file's new content once; a reset reads every file again", async () => {
    await upload("inc-a.csv", "id,v\n1,a\n2,a\n");
    await upload("INC-b.csv", "v,id\nb,3\n");
    await upload("other.csv", "id,v\n99,x\n");
    const created = await request(t.app).post("/api/pipelines").send({ name: "new files", graph: incrementalFilesGraph("inc-*.csv", "inc_files") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    // Both matching files (the pattern ignores case), unioned by column name, each row with its file's name.
    expect(await run(id)).toEqual({ rows: 3, range: { nodeId: "src", column: "files", before: null, after: "2 files", state: "stored" } });
    expect(await loaded("inc_files")).toEqual([
      { id: 1, file: "inc-a.csv" },
      { id: 2, file: "inc-a.csv" },
      { id: 3, file: "INC-b.csv" },
    ]);

    await upload("inc-c.csv", "id,v\n4,c\n");
    expect(await run(id)).toMatchObject({ rows: 1, range: { before: "2 files", after: "3 files", state: "stored" } });
    // Nothing new: the run succeeds with no rows.
    expect(await run(id)).toMatchObject({ rows: 0, range: { before: "3 files", after: "3 files", state: "stored" } });

    // The same content under a new name is a new file (a new id): read once.
    await upload("inc-d.csv", "id,v\n4,c\n");
    expect(await run(id)).toMatchObject({ rows: 1, range: { after: "4 files" } });
    // Replacing a file keeps its id and changes its content: the new content is read once.
    await upload("inc-c.csv", "id,v\n5,c2\n", "replace");
    expect(await run(id)).toMatchObject({ rows: 1, range: { after: "5 files" } });
    expect(await run(id)).toMatchObject({ rows: 0 });
    expect((await loaded("inc_files")).map((r) => `${r.id} ${r.file}`)).toEqual(["1 inc-a.csv", "2 inc-a.csv", "3 INC-b.csv", "4 inc-c.csv", "4 inc-d.csv", "5 inc-c.csv"]);

    // A reset forgets the files read: the next run reads every matching file as it is now.
    expect((await request(t.app).delete(`/api/pipelines/${id}/watermarks/src`)).status).toBe(204);
    expect(await run(id)).toMatchObject({ rows: 5, range: { before: null, after: "4 files", state: "stored" } });
  }, 240_000);

  it("a resumed run takes over the failed run's files; a file uploaded meanwhile is left for the next run", async () => {
    await upload("res-1.csv", "id,v\n1,10\n2,oops\n");
    const graph = (onError: "fail" | "null") => {
      const g = incrementalFilesGraph("res-*.csv", "res_files");
      return {
        ...g,
        engine: "duckdb",
        nodes: [...g.nodes, { id: "typed", type: "retype", position: { x: 150, y: 0 }, config: { columns: [{ column: "v", to: "integer" }], onError } }],
        edges: [
          { id: "e1", source: "src", target: "typed" },
          { id: "e2", source: "typed", target: "sink" },
        ],
      };
    };
    const created = await request(t.app).post("/api/pipelines").send({ name: "resumed files", graph: graph("fail") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const start = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    const failed = await waitForRun(t.app, start.body.runId, undefined, 60_000);
    expect(failed.status).toBe("failed");
    expect(failed.nodes.find((n) => n.nodeId === "src")).toMatchObject({ status: "succeeded", rowsOut: 2 });

    // Text in v as in res-1.csv, or the two files' types would differ.
    await upload("res-2.csv", "id,v\n3,30\n4,x\n");
    const current = await request(t.app).get(`/api/pipelines/${id}`);
    expect((await request(t.app).put(`/api/pipelines/${id}`).send({ baseVersion: current.body.currentVersion, graph: graph("null") })).status).toBe(200);
    const started = await request(t.app).post(`/api/runs/${failed.id}/resume`).send({ version: "current" });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const resumed = await waitForRun(t.app, started.body.runId, undefined, 60_000);
    expect(resumed.status, resumed.error ?? "").toBe("succeeded");
    expect(resumed.nodes.find((n) => n.nodeId === "sink")?.rowsOut).toBe(2);
    expect((await request(t.app).get(`/api/runs/${resumed.id}/watermarks`)).body.watermarks[0]).toMatchObject({ before: null, after: "1 file", state: "stored" });
    // res-2.csv was not in the reused output: the next run reads it, and only it.
    expect(await run(id)).toMatchObject({ rows: 2, range: { before: "1 file", after: "2 files", state: "stored" } });
    expect((await warehouse("SELECT id::int AS id, v FROM warehouse.res_files ORDER BY id")).map((r) => `${String(r.id)}:${String(r.v)}`)).toEqual(["1:10", "2:null", "3:30", "4:null"]);
  }, 180_000);

  it("names a matching file whose columns differ, and a pattern no file matches", async () => {
    await upload("mixed-1.csv", "id,v\n1,a\n");
    await upload("mixed-2.csv", "id,w\n2,b\n");
    const mixed = await request(t.app).post("/api/pipelines/validate").send({ graph: incrementalFilesGraph("mixed-*.csv", "mixed") });
    expect(mixed.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "FILE_PATTERN_COLUMNS_DIFFER", nodeId: "src", field: "pattern" })]));
    expect(mixed.body.problems.find((p: { code: string }) => p.code === "FILE_PATTERN_COLUMNS_DIFFER").message).toMatch(/^File "mixed-2\.csv" has the columns id bigint, w string/);
    const none = await request(t.app).post("/api/pipelines/validate").send({ graph: incrementalFilesGraph("nothing-*.csv", "none") });
    expect(none.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "FILE_PATTERN_NO_MATCH", nodeId: "src" })]));
  }, 60_000);
});
