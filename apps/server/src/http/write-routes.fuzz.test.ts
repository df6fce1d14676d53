import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import request from "supertest";
import { z } from "zod";
import {
  createPipelineRequestSchema,
  duplicatePipelineRequestSchema,
  restoreVersionRequestSchema,
  updatePipelineRequestSchema,
} from "@sluice/model";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

let t: TestApp;
let id: string;

beforeAll(async () => {
  t = await createTestApp({ bodyLimit: "64kb" });
  const res = await request(t.app).post("/api/pipelines").send({ name: "Fuzz target" });
  id = res.body.id;
});
afterAll(async () => t.close());

async function snapshot() {
  const [pipelines, versions, runs] = await Promise.all([
    t.db.pipeline.findMany({ orderBy: { id: "asc" } }),
    t.db.pipelineVersion.findMany({ orderBy: { id: "asc" } }),
    t.db.run.count(),
  ]);
  return JSON.stringify({ pipelines, versions, runs });
}

/** Bodies that a route must refuse: random JSON its schema rejects, or bytes that are not JSON at all. */
function badBodies(schema: z.ZodType) {
  const json = fc
    .oneof(
      fc.anything({ maxDepth: 4, withNullPrototype: false }),
      fc.record({ name: fc.anything(), graph: fc.anything(), baseVersion: fc.anything() }, { requiredKeys: [] }),
      fc.record({ baseVersion: fc.integer(), graph: fc.record({ formatVersion: fc.constant(1), nodes: fc.anything(), edges: fc.anything() }) }),
    )
    .map((v) => JSON.stringify(v) ?? "null")
    // Judge what the server receives: JSON drops undefined values, which can make a bad object valid.
    .filter((text) => !schema.safeParse(JSON.parse(text)).success)
    .map((text) => ({ kind: "json" as const, text }));
  const raw = fc
    .oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("{", "[1,", '{"name":', "\u0000", "nul", '{"a":1}}'))
    // An empty body means "no body", which routes with optional bodies accept by design.
    .filter((s) => s.trim() !== "")
    .filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    })
    .map((text) => ({ kind: "raw" as const, text }));
  return fc.oneof(json, raw);
}

const routes = () => [
  { name: "POST /pipelines", method: "post" as const, path: "/api/pipelines", schema: createPipelineRequestSchema },
  { name: "PUT /pipelines/:id", method: "put" as const, path: `/api/pipelines/${id}`, schema: updatePipelineRequestSchema },
  { name: "POST restore", method: "post" as const, path: `/api/pipelines/${id}/versions/1/restore`, schema: restoreVersionRequestSchema },
  { name: "POST duplicate", method: "post" as const, path: `/api/pipelines/${id}/duplicate`, schema: duplicatePipelineRequestSchema },
];

describe("write routes under random input", () => {
  it("answers 300+ bad bodies per write route with a 4xx JSON error and leaves the database unchanged", async () => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    for (const route of routes()) {
      await fc.assert(
        fc.asyncProperty(badBodies(route.schema), async (body) => {
          const res = await request(t.app)[route.method](route.path).set("content-type", "application/json").send(body.text);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${route.name} with ${body.text.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.body.error?.code).toBe("string");
          expect(typeof res.body.error?.message).toBe("string");
        }),
        { numRuns: 320 },
      );
    }
    expect(await snapshot()).toBe(before);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  }, 120_000);

  it("answers random ids in every id route with 400 or 404, never 5xx", async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 60 })), fc.integer(), async (raw, n) => {
        const seg = encodeURIComponent(raw);
        for (const [method, path] of [
          ["get", `/api/pipelines/${seg}`],
          ["delete", `/api/pipelines/${seg}`],
          ["get", `/api/pipelines/${seg}/versions/${n}`],
          ["post", `/api/pipelines/${seg}/duplicate`],
        ] as const) {
          const res = await request(t.app)[method](path).send(method === "post" ? {} : undefined);
          expect([400, 404]).toContain(res.status);
        }
      }),
      { numRuns: 100 },
    );
    expect(await snapshot()).toBe(before);
  }, 120_000);
});
