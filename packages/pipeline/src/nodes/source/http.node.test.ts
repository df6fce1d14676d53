import { describe, expect, it } from "vitest";
import { ok, type Column, type Result } from "@sluice/model";
import type { PipelineEnvironment } from "../../catalog/node-definition.ts";
import { HOSTILE_NAMES, runNode } from "../../testing/duckdb-harness.ts";
import { httpSourceNode } from "./http.node.ts";

const envWith = (columns: Result<Column[]> | undefined): PipelineEnvironment => ({ file: () => undefined, sourceColumns: () => columns });
const columns: Column[] = [{ name: "id", type: "bigint" }, ...HOSTILE_NAMES.map((name) => ({ name, type: "string" as const }))];
const base = { url: "https://api.example.com/v1/items?per_page=50", recordsPath: "data.items" };

describe("http source", () => {
  it("fills defaults, takes resolved columns and compiles to a load step", async () => {
    const r = await runNode(httpSourceNode, base, {}, envWith(ok(columns)));
    expect(r.ok && r.schemas.out).toEqual(columns);
    const config = httpSourceNode.configSchema.parse({ ...base, pagination: { kind: "page", param: "page" } });
    expect(config.pagination).toEqual({ kind: "page", param: "page", start: 1 });
    expect(httpSourceNode.compile({ nodeId: "n1", inputs: {}, env: envWith(ok(columns)), relations: {}, outputs: { out: columns } }, config)).toEqual({
      kind: "load",
      source: "http",
      spec: { ...base, method: "GET", headers: [], pagination: { kind: "page", param: "page", start: 1 }, maxPages: 100 },
    });
    expect(httpSourceNode.summary(config)).toBe("GET api.example.com, page pagination");
  });

  it("reports unresolved columns", async () => {
    const r = await runNode(httpSourceNode, base, {}, envWith(undefined));
    expect(!r.ok && r.issues.map((i) => i.code)).toEqual(["SOURCE_NOT_RESOLVED"]);
  });

  it("validates the URL, headers and body", async () => {
    const cases: [unknown, string[]][] = [
      [{}, ["URL_REQUIRED"]],
      [{ url: "not a url" }, ["URL_INVALID"]],
      [{ url: "file:///etc/passwd" }, ["URL_INVALID"]],
      [{ url: "https://user:secret@example.com/" }, ["URL_CREDENTIALS"]],
      [{ url: "https://example.com/", headers: [{ name: "X Bad", value: "v" }] }, ["HEADER_INVALID"]],
      [{ url: "https://example.com/", headers: [{ name: "X-Ok", value: "a\r\nInjected: 1" }] }, ["HEADER_INVALID"]],
      [{ url: "https://example.com/", headers: [{ name: "Host", value: "internal" }] }, ["HEADER_INVALID"]],
      [{ url: "https://example.com/", body: "{}" }, ["BODY_NOT_ALLOWED"]],
    ];
    for (const [config, codes] of cases) {
      const r = await runNode(httpSourceNode, config, {}, envWith(ok(columns)));
      expect(!r.ok && r.issues.map((i) => i.code), JSON.stringify(config)).toEqual(codes);
    }
    const post = await runNode(httpSourceNode, { url: "https://example.com/", method: "POST", body: "{}" }, {}, envWith(ok(columns)));
    expect(post.ok).toBe(true);
  });

  it("rejects incomplete pagination settings in the config schema", async () => {
    const r = await runNode(httpSourceNode, { ...base, pagination: { kind: "cursor", param: "after" } }, {}, envWith(ok(columns)));
    expect(!r.ok && r.stage).toBe("config");
    expect(httpSourceNode.configSchema.safeParse({ ...base, maxPages: 0 }).success).toBe(false);
  });
});
