import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { adminUrl, createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { settingsFromUrl } from "../warehouse/warehouse-settings.ts";
import { sqlRows } from "../testing/sql-rows.ts";

/**
 * The reported injection through the API, as the editor sends it: a validate request and a preview of a
 * postgres source whose connection logs in as a superuser, so a statement that got through would run.
 */
let t: TestApp;
let target: TestDatabase;
let markerDir: string;
let connectionId: string;

beforeAll(async () => {
  t = await createTestApp();
  target = await createTestDatabase({ migrate: false });
  await sqlRows(target.url, "CREATE TABLE victim (n int); INSERT INTO victim VALUES (1)");
  // Writable by the database server's own OS user, so COPY … TO PROGRAM 'touch …' would leave the file.
  markerDir = mkdtempSync(path.join(tmpdir(), "sluice-injection-"));
  chmodSync(markerDir, 0o777);
  const settings = settingsFromUrl(adminUrl, { database: target.name });
  const created = await request(t.app).post("/api/connections").send({ name: "Superuser", settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  connectionId = created.body.id;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await target?.drop();
  if (markerDir) rmSync(markerDir, { recursive: true, force: true });
});

const marker = () => path.join(markerDir, "marker");
const graph = (sql: string) => ({
  formatVersion: 1,
  nodes: [{ id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId, mode: "query", sql } }],
  edges: [],
});

const errors = (body: { problems: { severity: string }[] }) => body.problems.filter((p) => p.severity === "error");

async function untouched() {
  expect(await sqlRows(target.url, "SELECT count(*)::int AS n FROM victim")).toEqual([{ n: 1 }]);
  expect(existsSync(marker())).toBe(false);
}

describe("a postgres source's query through the API", () => {
  it("refuses the reported query with a problem on the sql field, in validation and preview, and runs nothing", async () => {
    for (const end of ["\r", "\r\n"]) {
      const sql = `SELECT 1 AS x --${end}) AS q LIMIT 0; COMMIT; DROP TABLE victim; COPY (SELECT 1) TO PROGRAM 'touch ${marker()}'; SELECT * FROM (SELECT 1`;
      const validated = await request(t.app).post("/api/pipelines/validate").send({ graph: graph(sql) });
      expect(validated.status).toBe(200);
      expect(errors(validated.body)).toEqual([expect.objectContaining({ code: "SQL_SYNTAX", nodeId: "src", field: "sql" })]);
      const preview = await request(t.app).post("/api/preview").send({ graph: graph(sql), nodeId: "src", limit: 5 });
      expect(preview.status).toBeGreaterThanOrEqual(200);
      expect(preview.status).toBeLessThan(500);
      expect(JSON.stringify(preview.body)).toContain("SQL_SYNTAX");
      await untouched();
    }
  });

  it("refuses reading PostgreSQL's catalogs and calling server-file functions, saying which", async () => {
    const catalog = await request(t.app).post("/api/pipelines/validate").send({ graph: graph("SELECT usename, passwd FROM pg_catalog.pg_shadow") });
    expect(errors(catalog.body)).toEqual([expect.objectContaining({ code: "SYSTEM_SCHEMA_REFUSED", nodeId: "src", field: "sql" })]);
    const file = await request(t.app).post("/api/pipelines/validate").send({ graph: graph("SELECT pg_read_file('/etc/passwd') AS f") });
    expect(errors(file.body)).toEqual([expect.objectContaining({ code: "SQL_FUNCTION_REFUSED", nodeId: "src", field: "sql" })]);
  });

  it("still previews an ordinary query", async () => {
    const preview = await request(t.app).post("/api/preview").send({ graph: graph("SELECT n, 'a;b' AS s FROM victim;"), nodeId: "src", limit: 5 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows).toEqual([{ n: 1, s: "a;b" }]);
  });
});
