import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import { loadHttpSource, sampleHttpSource } from "./http-source.ts";
import { json, startTestServer } from "./testing/test-http-server.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext } from "./testing/test-context.ts";
import type { DuckExec } from "../connector.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;
const guard = { allowlist: ["127.0.0.1"] };

/** 25 records with hostile keys, nested objects and nulls. */
const ALL = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  'a"b': i % 2 ? null : `name ${i} "q", ü`,
  "x; drop table y": i * 1.5,
  user: { name: `u${i}`, tags: [i] },
  ok: i % 3 === 0,
}));
const page = (items: unknown[]) => ({ data: { items } });

beforeAll(async () => {
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("http-source");
  server = await startTestServer({
    "/single": json(page(ALL)),
    "/pages": (req, res) => {
      const p = Number(new URL(req.url, "http://x").searchParams.get("page"));
      json(page(ALL.slice((p - 1) * 10, p * 10)))(req, res);
    },
    "/offset": (req, res) => {
      const q = new URL(req.url, "http://x").searchParams;
      const from = Number(q.get("skip"));
      json(page(ALL.slice(from, from + Number(q.get("take")))))(req, res);
    },
    "/cursor": (req, res) => {
      const after = Number(new URL(req.url, "http://x").searchParams.get("after") ?? 0);
      const items = ALL.slice(after, after + 10);
      json({ ...page(items), meta: { next: after + 10 < ALL.length ? String(after + 10) : null } })(req, res);
    },
    "/linked": (req, res) => {
      const from = Number(new URL(req.url, "http://x").searchParams.get("from") ?? 0);
      json({ ...page(ALL.slice(from, from + 10)), links: { next: from + 10 < ALL.length ? `/linked?from=${from + 10}` : null } })(req, res);
    },
    "/changed": json(page([{ id: "not a number" }])),
    "/empty": json(page([])),
    "/long-page": json(page([...Array.from({ length: 5 }, (_, i) => ({ id: i })), { id: "not a number" }])),
    "/self": json({ ...page(ALL.slice(0, 3)), links: { next: "/self" } }),
    "/wide": json(page([Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))])),
    "/wide-nested": json(page([{ a: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) }])),
    "/post": (req, res) => json(page([{ got: req.body, method: req.method }]))(req, res),
  });
});
afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await server?.close();
});

const base = (path: string, extra: Record<string, unknown> = {}) => ({ url: `${server.base}${path}`, recordsPath: "data.items", ...extra });
let columns: Column[] = [];

async function load(table: string, config: Record<string, unknown>, cols: Column[] = columns) {
  const ctx = testLoadContext({ duck, workDir: work.dir, table: quoteIdent(table), columns: cols });
  const r = await loadHttpSource(ctx, config, guard);
  const rows = r.ok ? await duck.query(`SELECT * FROM ${quoteIdent(table)} ORDER BY __sluice_row`) : [];
  return { r, rows, logs: ctx.logs };
}

describe("sampleHttpSource", () => {
  it("infers flattened columns from the first page", async () => {
    const r = await sampleHttpSource(base("/single"), guard, "n1");
    expect(r).toEqual({
      ok: true,
      value: [
        { name: "id", type: "integer" },
        { name: 'a"b', type: "string" },
        { name: "x; drop table y", type: "double" },
        { name: "user.name", type: "string" },
        { name: "user.tags", type: "json" },
        { name: "ok", type: "boolean" },
      ],
    });
    columns = r.ok ? r.value : [];
  });

  it("reports a blocked address, a wrong path and an empty first page on the node", async () => {
    const blocked = await sampleHttpSource(base("/single"), {}, "n1");
    expect(!blocked.ok && blocked.issues[0]).toMatchObject({ code: "HTTP_ADDRESS_BLOCKED", nodeId: "n1", field: "url" });
    const path = await sampleHttpSource(base("/single", { recordsPath: "data.rows" }), guard, "n1");
    expect(!path.ok && path.issues[0]).toMatchObject({ code: "HTTP_RECORDS_NOT_FOUND", field: "recordsPath" });
    const empty = await sampleHttpSource(base("/empty"), guard, "n1");
    expect(!empty.ok && empty.issues[0]?.code).toBe("HTTP_NO_RECORDS");
    const invalid = await sampleHttpSource({ url: "ftp://x" }, guard, "n1");
    expect(!invalid.ok && invalid.issues[0]?.code).toBe("URL_INVALID");
  });

  it("refuses records with more columns than DuckDB can read in reasonable time, before anything is loaded", async () => {
    for (const path of ["/wide", "/wide-nested"]) {
      const wide = await sampleHttpSource(base(path), guard, "n1");
      expect(!wide.ok && wide.issues[0]).toMatchObject({ code: "HTTP_TOO_MANY_COLUMNS", nodeId: "n1", field: "recordsPath" });
    }
  });
});

describe("loadHttpSource", () => {
  it("loads one page with the sampled types, in order", async () => {
    const { r, rows } = await load("h_single", base("/single"));
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 25 } });
    expect(rows[0]).toEqual({ id: 1, 'a"b': 'name 0 "q", ü', "x; drop table y": 0, "user.name": "u0", "user.tags": "[0]", ok: true, __sluice_row: "1" });
    expect(rows[1]).toMatchObject({ id: 2, 'a"b': null, "x; drop table y": 1.5, ok: false });
    expect(rows.map((row) => row.id)).toEqual(ALL.map((x) => x.id));
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("follows page, offset, cursor and next-link pagination", async () => {
    const configs = {
      h_page: base("/pages", { pagination: { kind: "page", param: "page", start: 1, size: 10 } }),
      h_page_nosize: base("/pages", { pagination: { kind: "page", param: "page", start: 1 } }),
      h_offset: base("/offset", { pagination: { kind: "offset", param: "skip", limitParam: "take", limit: 10 } }),
      h_cursor: base("/cursor", { pagination: { kind: "cursor", param: "after", cursorPath: "meta.next" } }),
      h_link: base("/linked", { pagination: { kind: "nextLink", path: "links.next" } }),
    };
    for (const [table, config] of Object.entries(configs)) {
      const { r, rows } = await load(table, config);
      expect(r, table).toEqual({ ok: true, value: { rowsLoaded: 25 } });
      expect(rows.map((row) => row.id), table).toEqual(ALL.map((x) => x.id));
    }
  });

  it("stops at maxPages with a warning", async () => {
    const { r, logs } = await load("h_max", base("/pages", { pagination: { kind: "page", param: "page", start: 1 }, maxPages: 2 }));
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 20 } });
    expect(logs.some((l) => l.startsWith("warn: Stopped after 2 pages"))).toBe(true);
  });

  it("fails clearly when the data no longer fits the sampled columns", async () => {
    const { r } = await load("h_changed", base("/changed"), [{ name: "id", type: "integer" }]);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "HTTP_SCHEMA_CHANGED", nodeId: "n1" });
    expect(!r.ok && r.issues[0]?.message).toContain('Record 1 of page 1: "id" should be integer but is "not a number"');
  });

  it("sends a POST body, and refuses private addresses without the allowlist", async () => {
    const cols: Column[] = [{ name: "got", type: "string" }, { name: "method", type: "string" }];
    const { r, rows } = await load("h_post", base("/post", { method: "POST", body: '{"q": 1}' }), cols);
    expect(r.ok).toBe(true);
    expect(rows[0]).toMatchObject({ got: '{"q": 1}', method: "POST" });
    const ctx = testLoadContext({ duck, workDir: work.dir, table: quoteIdent("h_blocked"), columns: cols });
    const blocked = await loadHttpSource(ctx, base("/post"), {});
    expect(!blocked.ok && blocked.issues[0]?.code).toBe("HTTP_ADDRESS_BLOCKED");
  });
});

describe("next-link pagination", () => {
  it("reads a page that links to itself once", async () => {
    const config = base("/self", { pagination: { kind: "nextLink", path: "links.next" } });
    const sampled = await sampleHttpSource(config, guard, "n1");
    const { r, rows } = await load("h_self", config, sampled.ok ? sampled.value : []);
    expect(r).toEqual({ ok: true, value: { rowsLoaded: 3 } });
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3]);
  });
});

describe("stopping a load", () => {
  it("stops between the records of one page once its signal is aborted, not after the whole page", async () => {
    // Aborted as soon as the first record is written (the load walks the columns then), after the page was fetched.
    let aborted = false;
    const signal = { get aborted() { return aborted; }, reason: undefined, addEventListener() {}, removeEventListener() {}, throwIfAborted() {} } as unknown as AbortSignal;
    const cols: Column[] = [{ name: "id", type: "integer" }];
    const watched = new Proxy(cols, { get: (target, key, receiver) => ((aborted ||= key === Symbol.iterator), Reflect.get(target, key, receiver)) });
    const ctx = testLoadContext({ duck, workDir: work.dir, table: quoteIdent("h_stop"), columns: watched, signal });
    const r = await loadHttpSource(ctx, base("/long-page"), guard);
    // Reading on would have reached the last record, which no longer fits the column.
    expect(!r.ok && r.issues[0]?.code).toBe("LOAD_CANCELLED");
    expect(readdirSync(work.dir)).toEqual([]);
  });
});
