import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column, PipelineGraph, Result } from "@sluice/model";
import { compileGraph, postgresDialect } from "@sluice/pipeline";
import { describePostgresSource } from "../connectors/postgres-source.ts";
import { createTestDatabase, type TestDatabase } from "../connectors/testing/test-postgres.ts";
import { executeInDatabase } from "./database-executor.ts";

/**
 * A run inside the database reads its SQL as written whatever the database's session defaults say: objects other
 * database users made cannot stand in for PostgreSQL's own functions, and a literal stays a literal.
 */
const CONN = "00000000-0000-4000-8000-00000000c0de";
let db: TestDatabase;
let runs = 0;

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
const chain = (middle: ReturnType<typeof node>, target: string, source = "people"): PipelineGraph => ({
  formatVersion: 1,
  nodes: [
    node("src", "postgres", { connectionId: CONN, mode: "table", schema: "warehouse", table: source, sql: "" }),
    middle,
    node("out", "postgres-sink", { connectionId: CONN, schema: "warehouse", table: target, mode: "replace", keys: [] }),
  ],
  edges: [
    { id: "e1", source: "src", target: middle.id },
    { id: "e2", source: middle.id, target: "out" },
  ],
});

async function runInDatabase(g: PipelineGraph) {
  const columns = new Map<string, Result<Column[]>>([["src", await describePostgresSource(db.settings, g.nodes[0]!.config, "src")]]);
  const c = compileGraph(g, { file: () => undefined, sourceColumns: (id) => columns.get(id) }, { dialect: postgresDialect });
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return executeInDatabase(c.value, { settings: db.settings, runId: `run-${++runs}`, onEvent: () => undefined });
}

beforeAll(async () => {
  db = await createTestDatabase("sluice_db_session");
  await db.sql(`CREATE SCHEMA warehouse; CREATE TABLE warehouse.people (name text, score double precision); INSERT INTO warehouse.people VALUES ('ada', 1.25), ('bo', 2.5)`);
  await db.sql("CREATE TABLE warehouse.victim (x integer)");
}, 30_000);

afterAll(async () => {
  await db?.drop();
});

describe("executeInDatabase's session", () => {
  it("calls PostgreSQL's own functions even where a schema on the user's search_path has a closer match", async () => {
    // Another database user's function, a closer match than pg_catalog's power(double precision, double precision) for
    // the prelude's power(double precision, integer): it would run with the Sluice connection's rights.
    await db.sql(`CREATE TABLE public.hijacked (at timestamptz); GRANT ALL ON public.hijacked TO PUBLIC;
      CREATE FUNCTION public.power(double precision, integer) RETURNS double precision LANGUAGE sql AS $$ INSERT INTO public.hijacked VALUES (now()) RETURNING 1e6::double precision $$`);
    const r = await runInDatabase(chain(node("d", "derive", { derivations: [{ column: "r", expression: "round(score, 1)" }] }), "rounded"));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 2 });
    expect(await db.sql("SELECT * FROM public.hijacked")).toEqual([]);
    expect(await db.sql("SELECT name, r FROM warehouse.rounded ORDER BY name")).toEqual([
      { name: "ada", r: 1.3 },
      { name: "bo", r: 2.5 },
    ]);
  }, 30_000);

  it("reads a source's JSON with PostgreSQL's own to_json, though it runs on the user's search_path", async () => {
    await db.sql(`CREATE TABLE warehouse.docs (name text, doc json); INSERT INTO warehouse.docs VALUES ('ada', '{"k": 1}');
      CREATE FUNCTION public.to_json(json) RETURNS json LANGUAGE sql AS $$ INSERT INTO public.hijacked VALUES (now()) RETURNING '{}'::json $$`);
    const r = await runInDatabase(chain(node("d", "derive", { derivations: [{ column: "n", expression: "1" }] }), "docs_copy", "docs"));
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 1 });
    expect(await db.sql("SELECT * FROM public.hijacked")).toEqual([]);
    expect(await db.sql("SELECT doc::text AS doc FROM warehouse.docs_copy")).toEqual([{ doc: '{"k": 1}' }]);
  }, 30_000);

  it("reads and writes the user's tables with the user's search_path, so their triggers find what they name unqualified", async () => {
    await db.sql(`CREATE TABLE public.history (name text);
      CREATE FUNCTION public.remember() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO history VALUES (NEW.name); RETURN NEW; END $$;
      CREATE TABLE warehouse.watched (name text, score double precision);
      CREATE TRIGGER remember AFTER INSERT ON warehouse.watched FOR EACH ROW EXECUTE FUNCTION public.remember()`);
    const g = chain(node("d", "derive", { derivations: [{ column: "score", expression: "round(score, 0)" }] }), "watched");
    const r = await runInDatabase({ ...g, nodes: g.nodes.map((n) => (n.id === "out" ? { ...n, config: { ...n.config, mode: "append" } } : n)) });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 2 });
    expect(await db.sql("SELECT name FROM public.history ORDER BY name")).toEqual([{ name: "ada" }, { name: "bo" }]);
  }, 30_000);

  it("keeps a value with a backslash and a quote a literal in a database whose strings read backslashes as escapes", async () => {
    await db.sql(`ALTER DATABASE "${db.name}" SET standard_conforming_strings = off`);
    try {
      // Shaped to close clean's null_if (NULLIF(NULLIF("name", CAST('…' AS TEXT)), …)) if the quote got out.
      const value = `\\' AS TEXT)), CAST('bo' AS TEXT)) AS "name", "score", "__sluice_row" FROM "s_src_out"; DROP TABLE warehouse.victim; --`;
      const clean = node("cl", "clean", { columns: [{ column: "name", operations: [{ op: "null_if", values: [value, "bo"] }] }] });
      const r = await runInDatabase(chain(clean, "cleaned"));
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true, rowsWritten: 2 });
      expect(await db.sql("SELECT to_regclass('warehouse.victim') IS NOT NULL AS kept")).toEqual([{ kept: true }]);
      expect(await db.sql("SELECT name FROM warehouse.cleaned ORDER BY name NULLS LAST")).toEqual([{ name: "ada" }, { name: null }]);
    } finally {
      await db.sql(`ALTER DATABASE "${db.name}" RESET standard_conforming_strings`);
    }
  }, 30_000);
});
