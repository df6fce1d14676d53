import { duckdbDialect } from "../../sql/duckdb-dialect.ts";
import { describe, expect, it } from "vitest";
import { ok, type Column, type Result } from "@sluice/model";
import type { PipelineEnvironment } from "../../catalog/node-definition.ts";
import { HOSTILE_NAMES, runNode } from "../../testing/duckdb-harness.ts";
import { graphSecretIssues, httpSourceNode } from "./http.node.ts";
import { urlSecrets } from "./http-url-secrets.ts";

const envWith = (columns: Result<Column[]> | undefined): PipelineEnvironment => ({ file: () => undefined, sourceColumns: () => columns });
const columns: Column[] = [{ name: "id", type: "bigint" }, ...HOSTILE_NAMES.map((name) => ({ name, type: "string" as const }))];
const base = { url: "https://api.example.com/v1/items?per_page=50", recordsPath: "data.items" };

describe("http source", () => {
  it("fills defaults, takes resolved columns and compiles to a load step", async () => {
    const r = await runNode(httpSourceNode, base, {}, envWith(ok(columns)));
    expect(r.ok && r.schemas.out).toEqual(columns);
    const config = httpSourceNode.configSchema.parse({ ...base, pagination: { kind: "page", param: "page" } });
    expect(config.pagination).toEqual({ kind: "page", param: "page", start: 1 });
    expect(httpSourceNode.compile({ nodeId: "n1", inputs: {}, env: envWith(ok(columns)), dialect: duckdbDialect, relations: {}, outputs: { out: columns } }, config)).toEqual({
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
      [{ url: "https://user:secret@example.com/" }, ["SECRET_IN_URL"]],
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

  it("refuses a URL's user info in every form, and query parameters named like a secret, never quoting them (regression)", async () => {
    const userinfo = ["https://user@api.example.com/x", "https://user:pw-9f3a@api.example.com/x", "https://us%40er:p%3Aw%2F9f3a@api.example.com/x", "https://:pw-9f3a@api.example.com/x"];
    const names = ["api_key", "apikey", "API_KEY", "key", "access_token", "token", "id_token", "signature", "X-Amz-Signature", "client_secret", "password", "passwd", "session", "auth", "sessionid", "credential"];
    const urls = [...userinfo, ...names.map((n) => `https://api.example.com/x?page=1&${encodeURIComponent(n)}=pw-9f3a`)];
    for (const url of urls) {
      const r = await runNode(httpSourceNode, { ...base, url }, {}, envWith(ok(columns)));
      expect(!r.ok && r.issues.map((i) => [i.code, i.field]), url).toEqual([["SECRET_IN_URL", "url"]]);
      expect(JSON.stringify(!r.ok && r.issues), url).not.toContain("pw-9f3a");
    }
    for (const url of ["https://api.example.com/x?page=2&limit=10&q=keyboards%3D1", "https://api.example.com/tokens/list?sort=name"]) {
      expect((await runNode(httpSourceNode, { ...base, url }, {}, envWith(ok(columns)))).ok, url).toBe(true);
    }
    expect(urlSecrets("https://us%40er:p%3Aw@api.example.com/x?a=1&api_key=k&b=2")).toEqual({
      userinfo: { user: "us@er", password: "p:w" },
      params: [{ name: "api_key", value: "k" }],
      rest: "https://api.example.com/x?a=1&b=2",
    });
  });

  it("finds the secrets of every HTTP source in a graph, even a draft's config that does not parse", () => {
    const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
    const graph = {
      nodes: [
        node("a", "http", { url: "https://x.test/", headers: [{ name: "X-Api-Key", value: "k" }] }),
        node("b", "http", { headers: [{ name: "cookie" }, "not a header"] }),
        node("c", "http", { headers: [{ name: "Accept", value: "v" }], credentialId: "00000000-0000-4000-8000-000000000001" }),
        node("d", "filter", { headers: [{ name: "Authorization", value: "v" }] }),
        node("e", "http", { url: "https://u:p@x.test/?token=t&page=2" }),
      ],
    };
    expect(graphSecretIssues(graph).map((i) => [i.nodeId, i.code, i.field])).toEqual([
      ["a", "SECRET_IN_HEADERS", "headers.0.name"],
      ["b", "SECRET_IN_HEADERS", "headers.0.name"],
      ["e", "SECRET_IN_URL", "url"],
      ["e", "SECRET_IN_URL", "url"],
    ]);
  });

  it("passes a chosen credential on to the engine with the spec", () => {
    const config = httpSourceNode.configSchema.parse({ ...base, credentialId: "00000000-0000-4000-8000-000000000001" });
    const step = httpSourceNode.compile({ nodeId: "n1", inputs: {}, env: envWith(ok(columns)), dialect: duckdbDialect, relations: {}, outputs: { out: columns } }, config);
    expect(step.kind === "load" && step.spec.credentialId).toBe("00000000-0000-4000-8000-000000000001");
  });
});
