import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

// A name reaches screens, terminals (the CLI prints it) and logs: one with ESC sequences could drive a terminal,
// write its clipboard (OSC 52) or rewrite a line; one with bidi overrides shows another name than it is.
const HOSTILE = ["x\u001b]52;c;Y3VybCBldmlsfHNo\u0007", "ok\r\nFAKE: all good", "evil\u202egnp.exe", "t\tab"];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => t?.close());

describe("names with control characters are refused where they are made", () => {
  it("pipelines, imports, connections and API tokens answer 400 naming the field, and store nothing", async () => {
    const graph = { formatVersion: 1, nodes: [], edges: [] };
    const before = { pipelines: await t.db.pipeline.count(), connections: await t.db.connection.count(), tokens: await t.db.apiToken.count() };
    for (const name of HOSTILE) {
      const made = [
        { res: await request(t.app).post("/api/pipelines").send({ name, graph }), field: "body.name" },
        { res: await request(t.app).post("/api/import/pipelines").send({ pipelines: [{ name, graph }] }), field: "body.pipelines.0.name" },
        {
          res: await request(t.app)
            .post("/api/connections")
            .send({ name, kind: "postgres", settings: { host: "127.0.0.1", port: 5432, database: "x", user: "x", sslMode: "disable" } }),
          field: "body.name",
        },
        { res: await request(t.app).post("/api/tokens").send({ name }), field: "body.name" },
      ];
      for (const { res, field } of made) {
        expect(res.status, `${JSON.stringify(name)} ${field}`).toBe(400);
        expect(res.body.error.details.problems.map((p: { field: string }) => p.field)).toContain(field);
      }
    }
    expect({ pipelines: await t.db.pipeline.count(), connections: await t.db.connection.count(), tokens: await t.db.apiToken.count() }).toEqual(before);
    const p = await request(t.app).post("/api/pipelines").send({ name: "Ümsatz — März 📦", graph });
    expect(p.status).toBe(201);
    expect((await request(t.app).put(`/api/pipelines/${p.body.id}`).send({ baseVersion: 1, name: "a\u001b[2Jb" })).status).toBe(400);
  });
});
