import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import { ensureLedger, writePostgresSink } from "./postgres-sink.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testSinkContext } from "./testing/test-context.ts";
import { startFakePostgres } from "./testing/fake-postgres.ts";
import type { DuckExec, SinkContext } from "../connector.ts";

let db: TestDatabase;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;

const SCHEMA = 'sch"ema';
const q = (table: string) => `${quoteIdent(SCHEMA)}.${quoteIdent(table)}`;

const columns: Column[] = [
  { name: "id", type: "integer" },
  { name: "select", type: "string" },
  { name: 'a"b', type: "double" },
  { name: "x; drop table y", type: "decimal", precision: 10, scale: 2 },
  { name: "ünï cödé", type: "boolean" },
  { name: "with space", type: "date" },
  { name: "'quoted'", type: "timestamp" },
  { name: "doc", type: "json" },
  { name: "big", type: "bigint" },
];

/** DuckDB rows for `columns`: hostile text, an empty string, nulls, infinities. */
const ROWS = [
  `(1, 'say "hi", then
bye', 1.5, 12.34, true, DATE '2024-02-29', TIMESTAMP '2024-01-01 10:00:00.123456', '{"k": [1, "ü"]}', 9007199254740993, 1)`,
  `(2, '', CAST('inf' AS DOUBLE), NULL, false, NULL, NULL, NULL, NULL, 2)`,
  `(3, NULL, NULL, -0.5, NULL, DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59', '[]', -1, 3)`,
];

async function input(name: string, rows: string[], cols: Column[] = columns): Promise<string> {
  const typed = cols.map((c, i) => `CAST(col${i} AS ${c.type === "decimal" ? `DECIMAL(${c.precision},${c.scale})` : c.type === "json" ? "JSON" : c.type})`);
  await duck.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT ${typed.map((t, i) => `${t} AS ${quoteIdent(cols[i]!.name)}`).join(", ")}, col${cols.length} AS __sluice_row
       FROM (VALUES ${rows.join(", ")}) v(${[...cols.map((_, i) => `col${i}`), `col${cols.length}`].join(", ")})`,
  );
  return `SELECT ${cols.map((c) => quoteIdent(c.name)).join(", ")} FROM ${quoteIdent(name)} ORDER BY __sluice_row`;
}

let runCounter = 0;
function ctxFor(select: string, extra: Partial<Parameters<typeof testSinkContext>[0]> = {}): SinkContext & { logs: string[] } {
  runCounter++;
  return testSinkContext({ duck, workDir: work.dir, settings: db.settings, select, columns, loadKey: { runId: `run-${runCounter}`, nodeId: "sink1" }, ...extra });
}

const spec = (table: string, mode: string, keys: string[] = []) => ({ connectionId: "conn", schema: SCHEMA, table, mode, keys });

/** The table's rows as JSON (canonical Postgres text forms), ordered by id. */
async function contents(table: string) {
  const rows = await db.sql<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${q(table)} t ORDER BY 1`);
  return rows.map((r) => JSON.parse(r.j) as Record<string, unknown>);
}
/** Runs `work` while another session holds a lock on `table` that replacing it must wait for. */
async function whileLocked<T>(table: string, work: () => Promise<T>): Promise<T> {
  const locker = new pg.Client({ ...db.settings, ssl: false });
  await locker.connect();
  try {
    await locker.query(`BEGIN; LOCK TABLE ${q(table)} IN ACCESS SHARE MODE`);
    return await work();
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
}
async function snapshot(table: string) {
  const cols = await db.sql(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [SCHEMA, table],
  );
  return { cols, rows: await contents(table) };
}

beforeAll(async () => {
  db = await createTestDatabase("sluice_pg_sink");
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("pg-sink");
  await db.sql(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
});
afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await db?.drop();
});

describe("writePostgresSink", () => {
  it("creates a table with mapped types and hostile names, and records the load in the ledger", async () => {
    const ctx = ctxFor(await input("in_create", ROWS));
    const r = await writePostgresSink(ctx, spec("target create", "create"));
    expect(r).toEqual({ ok: true, value: { rowsWritten: 3 } });
    const s = await snapshot("target create");
    expect(s.cols.map((c) => [c.column_name, c.data_type])).toEqual([
      ["id", "integer"],
      ["select", "text"],
      ['a"b', "double precision"],
      ["x; drop table y", "numeric"],
      ["ünï cödé", "boolean"],
      ["with space", "date"],
      ["'quoted'", "timestamp without time zone"],
      ["doc", "jsonb"],
      ["big", "bigint"],
    ]);
    // The sample is JSON, so the bigint 2^53 + 1 arrives as the nearest double; the exact value is checked as text below.
    expect(s.rows).toEqual([
      { id: 1, select: 'say "hi", then\nbye', 'a"b': 1.5, "x; drop table y": 12.34, "ünï cödé": true, "with space": "2024-02-29", "'quoted'": "2024-01-01T10:00:00.123456", doc: { k: [1, "ü"] }, big: 2 ** 53 },
      { id: 2, select: "", 'a"b': "Infinity", "x; drop table y": null, "ünï cödé": false, "with space": null, "'quoted'": null, doc: null, big: null },
      { id: 3, select: null, 'a"b': null, "x; drop table y": -0.5, "ünï cödé": null, "with space": "1999-12-31", "'quoted'": "1999-12-31T23:59:59", doc: [], big: -1 },
    ]);
    expect(await db.sql(`SELECT big::text AS big FROM ${q("target create")} WHERE id = 1`)).toEqual([{ big: "9007199254740993" }]);
    const ledger = await db.sql(`SELECT run_id, node_id, loaded_at IS NOT NULL AS stamped FROM ${q("_sluice_loads")}`);
    expect(ledger).toEqual([{ run_id: ctx.loadKey!.runId, node_id: "sink1", stamped: true }]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("refuses to create over an existing table, leaving it untouched", async () => {
    const before = await snapshot("target create");
    const r = await writePostgresSink(ctxFor(await input("in_create2", ROWS.slice(0, 1))), spec("target create", "create"));
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "TARGET_EXISTS", nodeId: "n1", field: "table" });
    expect(await snapshot("target create")).toEqual(before);
  });

  it("rejects a duplicate delivery of the same run and node, leaving the target unchanged", async () => {
    await db.sql(`CREATE TABLE ${q("dup")} (id int)`);
    const select = await input("in_dup", ROWS);
    const key = { runId: "run-dup", nodeId: "sink1" };
    const first = await writePostgresSink(ctxFor(select, { loadKey: key }), spec("dup", "append"));
    expect(first.ok).toBe(false); // "dup" lacks the columns: the ledger row is rolled back with everything else
    await db.sql(`DROP TABLE ${q("dup")}`);
    expect((await writePostgresSink(ctxFor(select, { loadKey: key }), spec("dup", "append"))).ok).toBe(true);
    const before = await snapshot("dup");
    const again = await writePostgresSink(ctxFor(select, { loadKey: key }), spec("dup", "append"));
    expect(!again.ok && again.issues[0]?.code).toBe("DUPLICATE_DELIVERY");
    expect(await snapshot("dup")).toEqual(before);
    expect(before.rows).toHaveLength(3);
  });

  it("replaces a table whose columns differ", async () => {
    await db.sql(`CREATE TABLE ${q("rep")} (old text); INSERT INTO ${q("rep")} VALUES ('x')`);
    const r = await writePostgresSink(ctxFor(await input("in_rep", ROWS)), spec("rep", "replace"));
    expect(r).toEqual({ ok: true, value: { rowsWritten: 3 } });
    expect((await snapshot("rep")).cols.map((c) => c.column_name)).toEqual(columns.map((c) => c.name));
  });

  it("leaves the target exactly as it was when replace fails after dropping it", async () => {
    const before = await snapshot("rep");
    const dupRows = [ROWS[0]!, ROWS[0]!.replace(/, 1\)$/, ", 2)")];
    const r = await writePostgresSink(ctxFor(await input("in_rep_dup", dupRows)), spec("rep", "replace", ["id"]));
    expect(!r.ok && r.issues[0]?.code).toBe("DUPLICATE_KEYS");
    expect(await snapshot("rep")).toEqual(before);
  });

  it("leaves the target as it was when Postgres rejects a value mid-copy", async () => {
    const before = await snapshot("rep");
    const bad = [...ROWS, `(4, 'nul ' || chr(0) || ' byte', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 4)`];
    const r = await writePostgresSink(ctxFor(await input("in_bad", bad)), spec("rep", "replace"));
    expect(!r.ok && r.issues[0]?.code).toBe("SINK_DATA_REJECTED");
    expect(!r.ok && r.issues[0]?.message).toMatch(/0x00/);
    expect(await snapshot("rep")).toEqual(before);
  });

  it("appends, creating the table when missing, and names missing target columns", async () => {
    const select = await input("in_app", ROWS);
    expect((await writePostgresSink(ctxFor(select), spec("app", "append"))).ok).toBe(true);
    expect((await writePostgresSink(ctxFor(select), spec("app", "append"))).ok).toBe(true);
    expect((await contents("app")).map((row) => row.id)).toEqual([1, 1, 2, 2, 3, 3]);

    await db.sql(`CREATE TABLE ${q("narrow")} (id int, extra text DEFAULT 'd')`);
    const r = await writePostgresSink(ctxFor(select), spec("narrow", "append"));
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "TARGET_SCHEMA_MISMATCH" });
    expect(!r.ok && r.issues[0]?.message).toContain('"select"');
  });

  it("upserts: creates the table with a unique index, then updates and inserts", async () => {
    const cols: Column[] = [{ name: "id", type: "integer" }, { name: "v", type: "string" }];
    const first = await input("in_up1", ["(1, 'a', 1)", "(2, 'b', 2)"], cols);
    expect(await writePostgresSink(ctxFor(first, { columns: cols }), spec("up", "upsert", ["id"]))).toEqual({ ok: true, value: { rowsWritten: 2 } });
    const second = await input("in_up2", ["(2, 'B', 1)", "(3, 'c', 2)"], cols);
    expect(await writePostgresSink(ctxFor(second, { columns: cols }), spec("up", "upsert", ["id"]))).toEqual({ ok: true, value: { rowsWritten: 2 } });
    expect(await contents("up")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "B" }, { id: 3, v: "c" }]);

    const dups = await input("in_up3", ["(1, 'x', 1)", "(1, 'y', 2)"], cols);
    const r = await writePostgresSink(ctxFor(dups, { columns: cols }), spec("up", "upsert", ["id"]));
    expect(!r.ok && r.issues[0]?.code).toBe("DUPLICATE_KEYS");
    expect(await contents("up")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "B" }, { id: 3, v: "c" }]);
  });

  it("refuses to upsert into a table without a unique index on the keys", async () => {
    const cols: Column[] = [{ name: "id", type: "integer" }, { name: "v", type: "string" }];
    await db.sql(`CREATE TABLE ${q("noidx")} (id int, v text); CREATE UNIQUE INDEX ON ${q("noidx")} (id, v)`);
    const r = await writePostgresSink(ctxFor(await input("in_noidx", ["(1, 'a', 1)"], cols), { columns: cols }), spec("noidx", "upsert", ["id"]));
    expect(!r.ok && r.issues[0]).toMatchObject({ code: "UPSERT_KEY_NOT_UNIQUE", field: "keys" });
    expect(!r.ok && r.issues[0]?.message).toContain("CREATE UNIQUE INDEX");
  });

  it("rolls back on cancellation while waiting for a lock, leaving the target untouched", async () => {
    const before = await snapshot("rep");
    await whileLocked("rep", async () => {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 500);
      const started = Date.now();
      const r = await writePostgresSink(ctxFor(await input("in_cancel", ROWS), { signal: abort.signal }), spec("rep", "replace"));
      expect(!r.ok && r.issues[0]?.code).toBe("SINK_CANCELLED");
      expect(Date.now() - started).toBeLessThan(5000);
    });
    expect(await snapshot("rep")).toEqual(before);
  });

  it("appends every load when several start together into a table none has created yet (a backfill's first runs)", async () => {
    const select = await input("in_race", ROWS);
    for (let round = 0; round < 3; round++) {
      const table = `created together ${round}`;
      const results = await Promise.all(Array.from({ length: 4 }, () => writePostgresSink(ctxFor(select), spec(table, "append"))));
      expect(results.map((r) => (r.ok ? "ok" : JSON.stringify(r.issues)))).toEqual(["ok", "ok", "ok", "ok"]);
      expect(await db.sql(`SELECT count(*)::int AS n FROM ${q(table)}`)).toEqual([{ n: 4 * ROWS.length }]);
    }
  });

  it("creates the ledger once when many loads start at the same moment, none of them failing", async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, async () => {
      const c = new pg.Client({ ...db.settings, ssl: false });
      await c.connect();
      return c;
    }));
    try {
      for (let round = 0; round < 5; round++) {
        const schema = `ledger race ${round}`;
        await db.sql(`CREATE SCHEMA ${quoteIdent(schema)}`);
        await Promise.all(clients.map((c) => ensureLedger(c, schema)));
        expect(await db.sql(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = '_sluice_loads'`, [schema])).toEqual([{ n: 1 }]);
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("refuses a ledger another database user planted in the schema, so its trigger never runs as the sink's user", async () => {
    const tag = Math.random().toString(16).slice(2, 10);
    const [loader, planter, shared] = [`sluice_loader_${tag}`, `sluice_planter_${tag}`, `shared_${tag}`];
    await db.sql(`CREATE ROLE ${loader} LOGIN; CREATE ROLE ${planter}`);
    try {
      await db.sql(`CREATE SCHEMA ${shared}; GRANT USAGE, CREATE ON SCHEMA ${shared} TO ${loader}, ${planter};
        CREATE TABLE ${shared}.hook_log (who text); GRANT INSERT ON ${shared}.hook_log TO PUBLIC;
        CREATE FUNCTION ${shared}.hook() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${shared}.hook_log VALUES (current_user); RETURN NEW; END $$;
        CREATE TABLE ${shared}._sluice_loads (run_id text NOT NULL, node_id text NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, node_id));
        CREATE TRIGGER hook BEFORE INSERT ON ${shared}._sluice_loads FOR EACH ROW EXECUTE FUNCTION ${shared}.hook();
        ALTER FUNCTION ${shared}.hook() OWNER TO ${planter}; ALTER TABLE ${shared}._sluice_loads OWNER TO ${planter};
        GRANT INSERT, SELECT ON ${shared}._sluice_loads TO ${loader}`);
      const cols: Column[] = [{ name: "id", type: "integer" }];
      const ctx = ctxFor(await input("in_planted", ["(1, 1)"], cols), { columns: cols, settings: { ...db.settings, user: loader } });
      const r = await writePostgresSink(ctx, { ...spec("planted_target", "create"), schema: shared });
      expect(!r.ok && r.issues[0], JSON.stringify(r)).toMatchObject({ code: "LEDGER_NOT_OWNED", field: "schema" });
      expect(!r.ok && r.issues[0]?.message).toContain(`belongs to ${planter}`);
      expect(await db.sql(`SELECT who FROM ${shared}.hook_log`)).toEqual([]);
      expect(await db.sql("SELECT to_regclass($1) AS t", [`${shared}.planted_target`])).toEqual([{ t: null }]);
    } finally {
      await db.sql(`DROP SCHEMA IF EXISTS ${shared} CASCADE; DROP ROLE ${planter}; DROP ROLE ${loader}`);
    }
  });

  it("writes without a ledger row when there is no load key", async () => {
    const cols: Column[] = [{ name: "id", type: "integer" }];
    const ledgerSize = async () => (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${q("_sluice_loads")}`))[0]?.n;
    const before = await ledgerSize();
    const r = await writePostgresSink(ctxFor(await input("in_nokey", ["(7, 1)"], cols), { columns: cols, loadKey: undefined }), spec("nokey", "create"));
    expect(r.ok).toBe(true);
    expect(await contents("nokey")).toEqual([{ id: 7 }]);
    expect(await ledgerSize()).toBe(before);
  });

  it("reports a missing schema and an unreachable server clearly", async () => {
    const cols: Column[] = [{ name: "id", type: "integer" }];
    const select = await input("in_err", ["(1, 1)"], cols);
    const noSchema = await writePostgresSink(ctxFor(select, { columns: cols }), { ...spec("t", "create"), schema: "nope" });
    expect(!noSchema.ok && noSchema.issues[0]).toMatchObject({ code: "SCHEMA_NOT_FOUND", field: "schema" });
    const fake = await startFakePostgres("wrong-password");
    try {
      const r = await writePostgresSink(ctxFor(select, { columns: cols, settings: { ...db.settings, port: fake.port } }), spec("t", "create"));
      expect(!r.ok && r.issues[0]).toMatchObject({ code: "SINK_UNREACHABLE", field: "connectionId" });
      expect(!r.ok && r.issues[0]?.message).toMatch(/password authentication failed/);
    } finally {
      await fake.close();
    }
  });

  it("refuses PostgreSQL's and Sluice's own schemas, writing nothing there", async () => {
    const cols: Column[] = [{ name: "id", type: "integer" }];
    const select = await input("in_system", ["(1, 1)"], cols);
    for (const schema of ["pg_catalog", "information_schema", "pg_temp", "pgboss"]) {
      const r = await writePostgresSink(ctxFor(select, { columns: cols }), { ...spec("sluice_probe", "create"), schema });
      expect(!r.ok && r.issues.map((i) => [i.code, i.field]), schema).toEqual([["SYSTEM_SCHEMA_REFUSED", "schema"]]);
    }
    const made = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relname IN ('sluice_probe', '_sluice_loads') AND (n.nspname LIKE 'pg\\_%' OR n.nspname IN ('information_schema', 'pgboss'))`;
    expect(await db.sql(made)).toEqual([{ n: 0 }]);
  });
});

describe("writePostgresSink, a large load over several connections", () => {
  const parallel = { loadConnections: 3, parallelLoadBytes: 0 };
  const stages = async () =>
    (await db.sql<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '\\_sluice\\_stage\\_%' ORDER BY 1`, [SCHEMA])).map((r) => r.name);
  /** ROWS repeated with fresh ids, so the staged CSV is cut into several ranges, some inside multi-line text. */
  const many = (n: number, extra: string[] = []) => [
    ...Array.from({ length: n }, (_, i) => ROWS[i % ROWS.length]!.replace(/^\(\d+,/, `(${i + 10},`).replace(/, \d+\)$/, `, ${i + 10})`)),
    ...extra,
  ];

  it("fills a stage at once over the connections and renames it to the target in one transaction, with every row intact", async () => {
    await db.sql(`CREATE TABLE ${q("big")} (old text); INSERT INTO ${q("big")} VALUES ('x')`);
    const ctx = ctxFor(await input("in_big", many(300)));
    const r = await writePostgresSink(ctx, spec("big", "replace", ["id"]), parallel);
    expect(r).toEqual({ ok: true, value: { rowsWritten: 300 } });
    expect(ctx.logs).toEqual([expect.stringMatching(/Wrote 300 rows .*\(replace, over 3 connections at once\)/)]);
    // The same rows as one connection loads.
    const one = await writePostgresSink(ctxFor(await input("in_big1", many(300))), spec("big_one", "create", ["id"]), { loadConnections: 1 });
    expect(one.ok).toBe(true);
    expect(await snapshot("big")).toEqual(await snapshot("big_one"));
    expect(await db.sql(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'big'`, [SCHEMA])).toEqual([
      { indexdef: expect.stringContaining("UNIQUE INDEX") },
    ]);
    expect(await stages()).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("leaves the target as it was, and no stage, when one connection's rows are rejected", async () => {
    const before = await snapshot("big");
    const bad = `(9999, 'nul ' || chr(0) || ' byte', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 9999)`;
    const r = await writePostgresSink(ctxFor(await input("in_big_bad", many(300, [bad]))), spec("big", "replace"), parallel);
    expect(!r.ok && r.issues[0]?.code).toBe("SINK_DATA_REJECTED");
    expect(await snapshot("big")).toEqual(before);
    expect(await stages()).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("leaves the target as it was, and no stage, when cancelled while waiting for the target's lock", async () => {
    const before = await snapshot("big");
    await whileLocked("big", async () => {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 1000);
      const r = await writePostgresSink(ctxFor(await input("in_big_cancel", many(300)), { signal: abort.signal }), spec("big", "replace"), parallel);
      expect(!r.ok && r.issues[0]?.code).toBe("SINK_CANCELLED");
    });
    expect(await snapshot("big")).toEqual(before);
    await expect.poll(stages).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("drops stages left by loads that died, but not one a running load holds", async () => {
    await db.sql(`CREATE TABLE ${q("_sluice_stage_dead")} (id int); CREATE TABLE ${q("_sluice_stage_live")} (id int)`);
    const holder = new pg.Client({ ...db.settings, ssl: false });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext($1))", [`${SCHEMA}._sluice_stage_live`]);
      const r = await writePostgresSink(ctxFor(await input("in_sweep", many(50))), spec("swept", "create"), parallel);
      expect(r.ok).toBe(true);
      expect(await stages()).toEqual(["_sluice_stage_live"]);
    } finally {
      await holder.end();
    }
    await db.sql(`DROP TABLE ${q("_sluice_stage_live")}`);
  });
});

describe("writePostgresSink, a load staged as one CSV per DuckDB thread", () => {
  // Enough rows for DuckDB to scan row groups (122,880 rows each) on several threads, so it writes several files.
  const N = 600_000;
  const cols: Column[] = [{ name: "id", type: "integer" }, { name: "s", type: "string" }];
  let duck4: DuckExec;
  let closeDuck4: () => void;
  /** The CSV files in the work folder after the sink's last DuckDB statement: what it staged. */
  let staged: string[] = [];
  const watched = (): DuckExec => ({
    run: async (sql) => {
      await duck4.run(sql);
      staged = (readdirSync(work.dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".csv")).map((f) => path.basename(f)).sort();
    },
    query: (sql) => duck4.query(sql),
  });
  const ctx4 = (select: string, extra: Partial<Parameters<typeof testSinkContext>[0]> = {}) => ctxFor(select, { duck: watched(), columns: cols, ...extra });
  const stages = async () =>
    (await db.sql<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '\\_sluice\\_stage\\_%'`, [SCHEMA])).map((r) => r.name);
  /** Rows with ids 1..n; every 1000th text is quoted over two lines, so cuts must find row ends. */
  const numbered = async (name: string, n: number, id = "i") => {
    await duck4.run(
      `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT CAST(${id} AS INTEGER) AS id, 'row ' || i || CASE WHEN i % 1000 = 0 THEN ' "quoted",' || chr(10) || 'second line' ELSE '' END AS s FROM range(1, ${n + 1}) r(i)`,
    );
    return `SELECT id, s FROM ${quoteIdent(name)}`;
  };
  /** The rows' count and a digest of them in id order, the same whether read from PostgreSQL or DuckDB. */
  const digestSql = (from: string) => `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, md5(string_agg(id || ':' || s, ',' ORDER BY id)) AS md5 FROM ${from}`;
  const expected = async (name: string) => {
    const [row] = await duck4.query(digestSql(quoteIdent(name)));
    return { n: Number(row!.n), ids: Number(row!.ids), md5: row!.md5 };
  };
  const loaded = async (table: string) => (await db.sql(digestSql(q(table))))[0];

  beforeAll(async () => {
    ({ duck: duck4, close: closeDuck4 } = await openTestDuck({ threads: 4 }));
  });
  afterAll(() => closeDuck4?.());

  it("copies the per-thread files over the connections at once, taking the next file when there are more files than connections", async () => {
    const select = await numbered("in_pt", N);
    const ctx = ctx4(select);
    const r = await writePostgresSink(ctx, spec("per thread", "create", ["id"]), { loadConnections: 2, parallelLoadBytes: 0 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: N } });
    // 4 threads over 5 row groups: more files than connections.
    expect(staged.length, staged.join()).toBeGreaterThan(2);
    expect(staged.every((f) => /^data_\d+\.csv$/.test(f))).toBe(true);
    expect(ctx.logs).toEqual([expect.stringMatching(/Wrote 600000 rows .*\(create, over 2 connections at once\)/)]);
    expect(await loaded("per thread")).toEqual(await expected("in_pt"));
    expect(await stages()).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("starts a new file per thread every pieceBytes, so the connections share the pieces evenly", async () => {
    const ctx = ctx4(await numbered("in_pt_pieces", N));
    const r = await writePostgresSink(ctx, spec("per thread pieces", "create"), { loadConnections: 2, parallelLoadBytes: 0, pieceBytes: 1024 * 1024 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: N } });
    // About 9 MB of CSV in pieces of about 1 MiB: many more files than the 4 threads.
    expect(staged.length, staged.join()).toBeGreaterThanOrEqual(8);
    expect(await loaded("per thread pieces")).toEqual(await expected("in_pt_pieces"));
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("cuts the per-thread files when there are fewer than connections", async () => {
    const ctx = ctx4(await numbered("in_pt_cut", N));
    const r = await writePostgresSink(ctx, spec("per thread", "replace"), { loadConnections: 7, parallelLoadBytes: 0 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: N } });
    expect(staged.length).toBeGreaterThanOrEqual(2);
    expect(staged.length).toBeLessThan(7);
    expect(ctx.logs).toEqual([expect.stringMatching(/\(replace, over 7 connections at once\)/)]);
    expect(await loaded("per thread")).toEqual(await expected("in_pt_cut"));
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("loads per-thread files below the size threshold one after the other over one connection", async () => {
    const ctx = ctx4(await numbered("in_pt_small", N));
    const r = await writePostgresSink(ctx, spec("per thread small", "create"), { loadConnections: 2, parallelLoadBytes: 1 << 30 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: N } });
    expect(staged.length).toBeGreaterThanOrEqual(2);
    expect(ctx.logs).toEqual([expect.stringMatching(/Wrote 600000 rows .*\(create\)\.$/)]);
    expect(await loaded("per thread small")).toEqual(await expected("in_pt_small"));
    expect(await stages()).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("loads an input without rows, whose per-thread file is empty", async () => {
    const ctx = ctx4(await numbered("in_pt_empty", 0));
    const r = await writePostgresSink(ctx, spec("per thread empty", "create"), { loadConnections: 3, parallelLoadBytes: 0 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: 0 } });
    expect(await db.sql(`SELECT count(*)::int AS n FROM ${q("per thread empty")}`)).toEqual([{ n: 0 }]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("appends to an existing table from one ordered file, so its identity column numbers the rows in the input's order", async () => {
    await db.sql(`CREATE TABLE ${q("ordered")} (n bigint GENERATED ALWAYS AS IDENTITY, id int, s text)`);
    // Descending ids: an order the table's scan does not give by itself.
    const select = `${await numbered("in_ordered", N, `${N + 1} - i`)} ORDER BY id DESC`;
    const r = await writePostgresSink(ctx4(select), spec("ordered", "append"), { loadConnections: 2, parallelLoadBytes: 0 });
    expect(r).toEqual({ ok: true, value: { rowsWritten: N } });
    expect(staged).toEqual(["rows.csv"]);
    const outOfOrder = await db.sql(`SELECT count(*)::int AS n FROM (SELECT id, lag(id) OVER (ORDER BY n) AS before FROM ${q("ordered")}) t WHERE id > before`);
    expect(outOfOrder).toEqual([{ n: 0 }]);
    expect(await db.sql(`SELECT min(n)::int AS first, (SELECT id FROM ${q("ordered")} ORDER BY n LIMIT 1) AS id FROM ${q("ordered")}`)).toEqual([{ first: 1, id: N }]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("appends or upserts the staged rows into the table another load created while this one staged them", async () => {
    const select = await numbered("in_pt_race", N);
    for (const [mode, made] of [
      ["append", "(id int, s text); INSERT INTO {t} VALUES (0, 'there before')"],
      ["upsert", "(id int PRIMARY KEY, s text); INSERT INTO {t} VALUES (1, 'there before')"],
    ] as const) {
      const table = `raced ${mode}`;
      // Missing when the sink checks it; created (by "someone else") once DuckDB has staged the rows.
      const duck: DuckExec = {
        run: async (sql) => {
          await duck4.run(sql);
          if (sql.startsWith("COPY")) await db.sql(`CREATE TABLE ${q(table)} ${made.replace("{t}", q(table))}`);
        },
        query: (sql) => duck4.query(sql),
      };
      const ctx = ctxFor(select, { duck, columns: cols });
      const r = await writePostgresSink(ctx, spec(table, mode, ["id"]), { loadConnections: 2, parallelLoadBytes: 0 });
      expect([mode, r]).toEqual([mode, { ok: true, value: { rowsWritten: N } }]);
      expect(ctx.logs).toEqual([expect.stringMatching(new RegExp(`\\(${mode}, over 2 connections at once\\)`))]);
      const rows = mode === "append" ? `(SELECT * FROM ${q(table)} WHERE id > 0) t` : q(table);
      expect(await db.sql(digestSql(rows))).toEqual([await expected("in_pt_race")]);
      expect(await db.sql(`SELECT count(*)::int AS n FROM ${q(table)}`)).toEqual([{ n: mode === "append" ? N + 1 : N }]);
      expect(await stages()).toEqual([]);
      expect(readdirSync(work.dir)).toEqual([]);
    }
  });

  it("leaves no target, stage or file when PostgreSQL rejects a row of one file", async () => {
    const select = await numbered("in_pt_bad", N);
    const bad = `SELECT id, CASE WHEN id = ${N / 2} THEN 'nul ' || chr(0) ELSE s END AS s FROM (${select})`;
    const r = await writePostgresSink(ctx4(bad), spec("per thread bad", "create"), { loadConnections: 2, parallelLoadBytes: 0 });
    expect(!r.ok && r.issues[0]?.code).toBe("SINK_DATA_REJECTED");
    expect(staged.length).toBeGreaterThanOrEqual(2);
    expect(await db.sql("SELECT to_regclass($1) AS t", [q("per thread bad")])).toEqual([{ t: null }]);
    expect(await stages()).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("leaves no file when DuckDB fails while writing the files", async () => {
    const select = await numbered("in_pt_fail", N);
    const failing = `SELECT CASE WHEN id = ${N - 1} THEN error('boom') ELSE id END AS id, s FROM (${select})`;
    const r = await writePostgresSink(ctx4(failing), spec("per thread fail", "create"), { loadConnections: 2, parallelLoadBytes: 0 });
    expect(!r.ok && r.issues[0]?.code).toBe("SINK_FAILED");
    expect(await db.sql("SELECT to_regclass($1) AS t", [q("per thread fail")])).toEqual([{ t: null }]);
    expect(readdirSync(work.dir)).toEqual([]);
  });

  it("leaves the target as it was, and no stage or file, when cancelled after the files were copied", async () => {
    const before = await loaded("per thread");
    await whileLocked("per thread", async () => {
      const abort = new AbortController();
      const ctx = ctx4(await numbered("in_pt_cancel", N), { signal: abort.signal });
      const load = writePostgresSink(ctx, spec("per thread", "replace"), { loadConnections: 2, parallelLoadBytes: 0 });
      // Cancelled once the load waits for the lock on the target: its stage is full, its files still there.
      const waiting = async () => (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = to_regclass($1) AND NOT granted`, [q("per thread")]))[0]!.n;
      await expect.poll(waiting, { timeout: 30_000 }).toBe(1);
      expect(staged.length).toBeGreaterThanOrEqual(2);
      abort.abort();
      const r = await load;
      expect(!r.ok && r.issues[0]?.code).toBe("SINK_CANCELLED");
    });
    expect(await loaded("per thread")).toEqual(before);
    await expect.poll(stages).toEqual([]);
    expect(readdirSync(work.dir)).toEqual([]);
  });
});
