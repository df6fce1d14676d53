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

/** Every write route, from the OpenAPI document, so a new route is fuzzed without being listed here. */
async function writeRoutes() {
  const doc = (await request(t.app).get("/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    (["post", "put", "delete"] as const).filter((m) => m in ops).map((method) => ({ method, path })),
  );
}

/** A real path for a route: the fuzz target's id where a pipeline is named (never for delete), a fresh uuid elsewhere. */
function realPath(route: { method: string; path: string }, replace?: { param: string; raw: string }) {
  return route.path.replace(/\{(\w+)\}/g, (_m, param: string) => {
    if (replace?.param === param) return replace.raw;
    if (param === "n") return "1";
    if (param === "name") return "out";
    const pipelineId = param === "id" && route.path.startsWith("/api/pipelines/") && route.method !== "delete";
    return pipelineId ? id : "7d3f1c2e-0a4b-4c5d-8e6f-9a0b1c2d3e4f";
  });
}

const richGraph = {
  formatVersion: 1,
  nodes: [
    { id: "src", type: "inline", label: "Rows", position: { x: 0, y: 0 }, config: { columns: [{ name: "a", type: "string" }], rows: [["x"], ["y"]] } },
    {
      id: "f",
      type: "filter",
      position: { x: 200, y: 0 },
      config: {
        condition: {
          kind: "group",
          op: "and",
          conditions: [
            { kind: "rule", column: "a", operator: "in", values: ["x", "y", 3] },
            { kind: "expression", expression: "a != 'z' and length(a) > 0" },
          ],
        },
      },
    },
    { id: "d", type: "derive", position: { x: 400, y: 0 }, config: { derivations: [{ column: "b", expression: "upper(a) & param('tag')" }] } },
  ],
  edges: [
    { id: "e1", source: "src", target: "f" },
    { id: "e2", source: "f", target: "d" },
  ],
  parameters: [{ name: "tag", type: "string", default: "t", description: "a tag" }],
};

/** Bodies close to what each route takes, so hostile values sit where real ones do. */
function seedBody(route: { method: string; path: string }): unknown {
  const p = route.path;
  if (p === "/api/pipelines" || p === "/api/pipelines/{id}") return { ...(route.method === "put" ? { baseVersion: 1, message: "m" } : {}), name: "Seed", description: "d", graph: richGraph };
  if (p === "/api/pipelines/validate") return { graph: richGraph };
  if (p === "/api/preview") return { graph: richGraph, nodeId: "d", limit: 5, params: { tag: "v" } };
  if (p === "/api/import/pipelines") return { pipelines: [{ name: "Seed import", description: "", graph: richGraph }], dryRun: true };
  if (p.endsWith("/runs")) return { params: { tag: "v" } };
  if (p.includes("schedule")) return { cron: "0 * * * *", timezone: "Europe/Berlin", params: { tag: "v" }, enabled: false };
  if (p.includes("connections")) return { name: "Seed", kind: "postgres", settings: { host: "db.example", port: 5432, database: "d", user: "u", password: "p" } };
  return { name: "Seed", message: "m" };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Step = string | number;

/** Every place in a value that holds a string (values and object keys), a number, or anything at all. */
function places(v: unknown, at: Step[] = []): { path: Step[]; kind: "string" | "key" | "number" | "value" }[] {
  const here = [{ path: at, kind: "value" as const }];
  if (typeof v === "string") return [...here, { path: at, kind: "string" }];
  if (typeof v === "number") return [...here, { path: at, kind: "number" }];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => places(x, [...at, i]))];
  if (v && typeof v === "object") {
    return [...here, ...Object.entries(v).flatMap(([k, x]) => [{ path: [...at, k], kind: "key" as const }, ...places(x, [...at, k])])];
  }
  return here;
}

/** The body as JSON text with the value at `path` replaced by raw JSON text (which may be deeper than JSON.stringify goes). */
function withRaw(body: unknown, path: Step[], raw: string, renameKey?: string): string {
  const marker = "__fuzz_marker__";
  const copy = structuredClone(body) as Json;
  if (path.length === 0) return raw;
  let parent = copy as Record<string, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step as string] as Record<string, Json>;
  const last = path.at(-1)! as string;
  if (renameKey !== undefined) {
    const entries = Object.entries(parent).map(([k, x]) => [k === last ? renameKey : k, x] as const);
    for (const k of Object.keys(parent)) delete parent[k];
    Object.assign(parent, Object.fromEntries(entries));
    return JSON.stringify(copy);
  }
  parent[last] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), raw);
}

const deepJson = (depth: number, kinds: boolean[]) => {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    const arr = kinds[i % kinds.length]!;
    open += arr ? "[" : '{"k":';
    close = (arr ? "]" : "}") + close;
  }
  return `${open}1${close}`;
};

function expectCodedError(res: request.Response, what: string) {
  expect(res.status, `${what} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof res.body.error?.code, what).toBe("string");
    expect(typeof res.body.error?.message, what).toBe("string");
  }
}

describe("every write route under hostile input", () => {
  const send = (route: { method: "post" | "put" | "delete"; path: string }, path: string, text: string) =>
    request(t.app)[route.method](path).set("content-type", "application/json").send(text);

  it("refuses a NUL in every string and key of a realistic body with 400 NUL_CHARACTER naming the field", async () => {
    const before = await snapshot();
    for (const route of await writeRoutes()) {
      const body = seedBody(route);
      for (const place of places(body).filter((p) => p.kind === "string" || p.kind === "key")) {
        const last = String(place.path.at(-1));
        const text =
          place.kind === "key"
            ? withRaw(body, place.path, "", `${last}\u0000`)
            : withRaw(body, place.path, JSON.stringify(`${String(place.path.reduce<unknown>((v, s) => (v as Record<string, unknown>)[s], body))}\u0000x`));
        const what = `${route.method} ${route.path} NUL at ${place.path.join(".")} (${place.kind})`;
        const res = await send(route, realPath(route), text);
        expectCodedError(res, what);
        expect(res.status, what).toBe(400);
        expect(res.body.error.code, what).toBe("NUL_CHARACTER");
        expect(res.body.error.details.problems[0].field, what).toBe(["body", ...place.path].map((s) => JSON.stringify(String(s)).slice(1, -1)).join(".") + (place.kind === "key" ? "\\u0000" : ""));
      }
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it("refuses nesting past the limit anywhere in a body with 400 TOO_DEEPLY_NESTED, at any depth", async () => {
    const routes = await writeRoutes();
    const before = await snapshot();
    await fc.assert(
      // Up to 8,000 levels keeps the body under the 64 kB limit, so the depth is what gets refused.
      fc.asyncProperty(fc.constantFrom(...routes), fc.nat(), fc.integer({ min: 65, max: 8_000 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), async (route, pick, depth, kinds) => {
        const body = seedBody(route);
        const spots = places(body).filter((p) => p.kind === "value");
        const spot = spots[pick % spots.length]!;
        const res = await send(route, realPath(route), withRaw(body, spot.path, deepJson(depth, kinds)));
        const what = `${route.method} ${route.path} depth ${depth} at ${spot.path.join(".")}`;
        expectCodedError(res, what);
        expect(res.status, what).toBe(400);
        expect(res.body.error.code, what).toBe("TOO_DEEPLY_NESTED");
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it("answers invalid percent-encoding in every path parameter with 400 MALFORMED_URL", async () => {
    const before = await snapshot();
    const bad = ["%c0%ae", "%", "%zz", "%E0%A4%A", "%ff", "%ed%a0%80", "a%", "%%41"];
    for (const route of (await writeRoutes()).filter((r) => r.path.includes("{"))) {
      for (const param of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
        for (const raw of bad) {
          const what = `${route.method} ${route.path} with ${param}=${raw}`;
          const res = await send(route, realPath(route, { param, raw }), JSON.stringify(seedBody(route)));
          expectCodedError(res, what);
          expect(res.status, what).toBe(400);
          expect(res.body.error.code, what).toBe("MALFORMED_URL");
        }
      }
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it("refuses a NUL or a lone surrogate in any path parameter or query of any route, reads included", async () => {
    const doc = (await request(t.app).get("/api/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const all = Object.entries(doc.paths).flatMap(([path, ops]) => (["get", "post", "put", "delete"] as const).filter((m) => m in ops).map((method) => ({ method, path })));
    const before = await snapshot();
    for (const route of all) {
      const probes = [
        ...[...route.path.matchAll(/\{(\w+)\}/g)].flatMap((m) => [
          { url: realPath(route, { param: m[1]!, raw: "a%00b" }), code: "NUL_CHARACTER" },
          { url: realPath(route, { param: m[1]!, raw: "%ED%A0%80" }), code: "MALFORMED_URL" },
        ]),
        { url: `${realPath(route)}?limit=1%00`, code: "NUL_CHARACTER" },
        { url: `${realPath(route)}?a%00=1`, code: "NUL_CHARACTER" },
      ];
      for (const probe of probes) {
        const what = `${route.method} ${probe.url}`;
        const res = await request(t.app)[route.method](probe.url).set("content-type", "application/json").send(route.method === "get" ? undefined : "{}");
        expectCodedError(res, what);
        expect(res.status, what).toBe(400);
        expect(res.body.error.code, what).toBe(probe.code);
      }
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it("never answers 5xx to huge numbers, wrong types or overlong strings in any place of a body", async () => {
    const routes = await writeRoutes();
    const hugeNumber = fc.constantFrom("1e999", "-1e999", "1e308", "-1e308", "9007199254740993", "2147483648", "-2147483649", "1e-400", "123456789012345678901234567890");
    const wrongType = fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constantFrom("null", "true", "[]", "{}", '""', "0", "-1", "0.5"));
    const overlong = fc.integer({ min: 1_000, max: 70_000 }).chain((n) => fc.constantFrom("x", "é", "😀", "'", "(", "\\\\").map((c) => JSON.stringify(c.repeat(n))));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.nat(), fc.oneof(hugeNumber.map((raw) => ["number", raw] as const), wrongType.map((raw) => ["type", raw] as const), overlong.map((raw) => ["long", raw] as const)), async (route, pick, [kind, raw]) => {
        const body = seedBody(route);
        const spots = places(body).filter((p) => (kind === "number" ? p.kind === "number" : kind === "long" ? p.kind === "string" : p.kind === "value"));
        fc.pre(spots.length > 0);
        const spot = spots[pick % spots.length]!;
        const res = await send(route, realPath(route), withRaw(body, spot.path, raw));
        const what = `${route.method} ${route.path} ${kind} ${raw.slice(0, 40)} at ${spot.path.join(".")}`;
        expectCodedError(res, what);
        if (raw === "1e999" || raw === "-1e999") expect(res.body.error?.code, what).toBe("NUMBER_OUT_OF_RANGE");
      }),
      { numRuns: 300 },
    );
  }, 180_000);

  it("reports expressions nested too deeply as EXPRESSION_TOO_DEEP on the node and field, in validation and preview", async () => {
    // Deep but under the 10,000 characters an expression field holds, so the depth is what gets reported.
    const n = 400;
    const deep = ["(".repeat(n) + "a" + ")".repeat(n), "- ".repeat(n) + "1", "not ".repeat(n) + "true", Array.from({ length: n }, () => "1").join("+"), "abs(".repeat(n) + "1" + ")".repeat(n), "case when true then ".repeat(n) + "1" + " end".repeat(n)];
    for (const expression of deep) {
      const inDerive = structuredClone(richGraph);
      inDerive.nodes[2]!.config = { derivations: [{ column: "b", expression }] };
      const inFilter = structuredClone(richGraph);
      (inFilter.nodes[1]!.config.condition as { conditions: unknown[] }).conditions[1] = { kind: "expression", expression };
      for (const [graph, nodeId, field] of [
        [inDerive, "d", "derivations.0.expression"],
        [inFilter, "f", "condition.conditions.1.expression"],
      ] as const) {
        const validated = await request(t.app).post("/api/pipelines/validate").send({ graph });
        expect(validated.status).toBe(200);
        expect(validated.body.problems, expression.slice(0, 20)).toContainEqual(expect.objectContaining({ code: "EXPRESSION_TOO_DEEP", nodeId, field }));
        const preview = await request(t.app).post("/api/preview").send({ graph, nodeId });
        expectCodedError(preview, expression.slice(0, 20));
        expect(preview.body.problems ?? preview.body.error?.details?.problems).toContainEqual(expect.objectContaining({ code: "EXPRESSION_TOO_DEEP", nodeId, field }));
      }
    }
  }, 120_000);
});
