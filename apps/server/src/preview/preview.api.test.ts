import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const rows = Array.from({ length: 30 }, (_, i) => [i + 1, i % 3 === 0 ? null : `name ${i + 1}`]);
const graph = (selectConfig: object = { columns: [{ name: "name", rename: "who" }, { name: "id" }] }) => ({
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows } },
    { id: "pick", type: "select", position: { x: 200, y: 0 }, config: selectConfig },
    { id: "out", type: "file-sink", position: { x: 400, y: 0 }, config: { name: "out", format: "csv" } },
  ],
  edges: [
    { id: "e1", source: "src", target: "pick" },
    { id: "e2", source: "pick", target: "out" },
  ],
});

describe("POST /api/preview", () => {
  it("returns rows, columns, profile and timing at a node", async () => {
    const res = await request(t.app).post("/api/preview").send({ graph: graph(), nodeId: "pick", limit: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns).toEqual([{ name: "who", type: "string" }, { name: "id", type: "integer" }]);
    expect(res.body.rows).toEqual([
      { who: null, id: 1 },
      { who: "name 2", id: 2 },
      { who: "name 3", id: 3 },
    ]);
    expect(res.body.rowCount).toBe(30);
    expect(res.body.profile.who).toMatchObject({ nulls: 10, min: "name 11", max: "name 9" });
    expect(res.body.profile.id).toMatchObject({ nulls: 0, min: "1", max: "30" });
    expect(res.body.sampled).toBeNull();
    expect(res.body.problems).toEqual([]);
    expect(typeof res.body.elapsedMs).toBe("number");
  });

  it("shows what a sink would write, and writes nothing", async () => {
    const res = await request(t.app).post("/api/preview").send({ graph: graph(), nodeId: "out", limit: 2 });
    expect(res.body.rows).toEqual([
      { who: null, id: 1 },
      { who: "name 2", id: 2 },
    ]);
    const outputs = await import("node:fs").then((fs) => fs.readdirSync(`${t.dataDir}/outputs`));
    expect(outputs).toEqual([]);
  });

  it("reuses unchanged upstream steps and recomputes only the edited node", async () => {
    await request(t.app).post("/api/preview").send({ graph: graph(), nodeId: "pick" });
    const before = t.deps.previews.service.computed;
    await request(t.app).post("/api/preview").send({ graph: graph({ columns: [{ name: "id" }] }), nodeId: "pick" });
    expect(t.deps.previews.service.computed - before).toBe(1);
    await request(t.app).post("/api/preview").send({ graph: graph({ columns: [{ name: "id" }] }), nodeId: "pick" });
    expect(t.deps.previews.service.computed - before).toBe(1);
  });

  it("returns the problems, naming the node, instead of rows", async () => {
    const res = await request(t.app).post("/api/preview").send({ graph: graph({ columns: [{ name: "nmae" }] }), nodeId: "pick" });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([]);
    expect(res.body.problems[0]).toMatchObject({ code: "UNKNOWN_COLUMN", nodeId: "pick" });
    expect(res.body.problems[0].message).toContain('did you mean "name"');
  });

  it("refuses a limit over 1,000 and a missing node id", async () => {
    expect((await request(t.app).post("/api/preview").send({ graph: graph(), nodeId: "pick", limit: 5000 })).status).toBe(400);
    expect((await request(t.app).post("/api/preview").send({ graph: graph() })).status).toBe(400);
    const unknown = await request(t.app).post("/api/preview").send({ graph: graph(), nodeId: "ghost" });
    expect(unknown.body.problems[0].code).toBe("UNKNOWN_NODE");
  });
});

describe("POST /api/pipelines/validate", () => {
  it("returns schemas for a valid graph", async () => {
    const res = await request(t.app).post("/api/pipelines/validate").send({ graph: graph() });
    expect(res.body).toMatchObject({ valid: true, problems: [] });
    expect(res.body.schemas.pick).toEqual([{ name: "who", type: "string" }, { name: "id", type: "integer" }]);
  });

  it("returns every problem of a broken graph at once", async () => {
    const g = graph({ columns: [{ name: "nope" }] });
    g.edges = [g.edges[1]!];
    g.nodes.push({ id: "x", type: "teleport", position: { x: 0, y: 0 }, config: {} } as never);
    const res = await request(t.app).post("/api/pipelines/validate").send({ graph: g });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(["PORT_INPUT_MISSING", "UNKNOWN_NODE_TYPE"]));
  });

  it("reports a malformed graph as problems, not a 500", async () => {
    const res = await request(t.app).post("/api/pipelines/validate").send({ graph: { nodes: "x" } });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems[0].code).toBe("INVALID_GRAPH");
  });
});
