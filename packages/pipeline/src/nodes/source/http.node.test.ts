import { describe, expect, it } from "vitest";
import { ok, type Column, type Result } from "@sluice/model";
import type { PipelineEnvironment } from "../../catalog/node-definition.ts";
import { HOSTILE_NAMES, runNode } from "../../testing/duckdb-harness.ts";
import { graphSecretHeaderIssues, httpSourceNode } from "./http.node.ts";

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

  it("refuses a secret in plain headers, pointing at the header and at credentials (regression: finding 11)", async () => {
    const r = await runNode(httpSourceNode, { ...base, headers: [{ name: "Accept-Language", value: "de" }, { name: "Authorization", value: "Bearer abc" }] }, {}, envWith(ok(columns)));
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ code: "SECRET_IN_HEADERS", nodeId: "n1", field: "headers.1.name", message: expect.stringMatching(/HTTP credential/) })]);
    expect(JSON.stringify(!r.ok && r.issues)).not.toContain("Bearer abc");
  });

  it("takes every name that may carry a secret as one, in any case, and leaves ordinary headers alone", async () => {
    const secret = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-API-Key", "api-key", "X-Auth-Token", "Access-Token", "X-Client-Secret", "X-Session-Id", "X-Password", "X-Passwd", "X-Amz-Security-Token", "Private-Key", "X-Credential"];
    for (const name of secret.flatMap((n) => [n, n.toLowerCase(), n.toUpperCase()])) {
      const r = await runNode(httpSourceNode, { ...base, headers: [{ name, value: "v" }] }, {}, envWith(ok(columns)));
      expect(!r.ok && r.issues.map((i) => i.code), name).toEqual(["SECRET_IN_HEADERS"]);
    }
    for (const name of ["Accept", "Accept-Language", "X-Request-Id", "User-Agent", "If-None-Match", "X-Page-Size"]) {
      const r = await runNode(httpSourceNode, { ...base, headers: [{ name, value: "v" }] }, {}, envWith(ok(columns)));
      expect(r.ok, name).toBe(true);
    }
  });

  it("finds the secrets of every HTTP source in a graph, even a draft's config that does not parse", () => {
    const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
    const graph = {
      nodes: [
        node("a", "http", { url: "https://x.test/", headers: [{ name: "X-Api-Key", value: "k" }] }),
        node("b", "http", { headers: [{ name: "cookie" }, "not a header"] }),
        node("c", "http", { headers: [{ name: "Accept", value: "v" }], credentialId: "00000000-0000-4000-8000-000000000001" }),
        node("d", "filter", { headers: [{ name: "Authorization", value: "v" }] }),
      ],
    };
    expect(graphSecretHeaderIssues(graph).map((i) => [i.nodeId, i.field])).toEqual([
      ["a", "headers.0.name"],
      ["b", "headers.0.name"],
    ]);
  });

  it("passes a chosen credential on to the engine with the spec", () => {
    const config = httpSourceNode.configSchema.parse({ ...base, credentialId: "00000000-0000-4000-8000-000000000001" });
    const step = httpSourceNode.compile({ nodeId: "n1", inputs: {}, env: envWith(ok(columns)), relations: {}, outputs: { out: columns } }, config);
    expect(step.kind === "load" && step.spec.credentialId).toBe("00000000-0000-4000-8000-000000000001");
  });
});
