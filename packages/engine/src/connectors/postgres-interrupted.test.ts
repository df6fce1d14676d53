import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column, Issue } from "@sluice/model";
import { writePostgresSink } from "./postgres-sink.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";
import { openTestDuck } from "./testing/test-duck.ts";
import { tempDir, testLoadContext, testSinkContext } from "./testing/test-context.ts";
import type { DuckExec } from "../connector.ts";
import { isTransientFailure } from "../transient-failure.ts";
import { queryFailure } from "../database/database-executor.ts";
import { readPostgresTable } from "../readback/postgres-table-rows.ts";
import { loadPostgresSource } from "./postgres-source.ts";

// An administrator's pg_terminate_backend (or a restart, a failover) ends a session in the middle of a sink's load or
// a read of what it wrote. Whatever statement it was in, the user sees a code of its own that says what happened and
// what to do, the run tries again, the target is as it was, and nothing of the load is left in the database.
let db: TestDatabase;
let duck: DuckExec;
let closeDuck: () => void;
let work: ReturnType<typeof tempDir>;
const columns: Column[] = [
  { name: "id", type: "integer" },
  { name: "s", type: "string" },
];

beforeAll(async () => {
  db = await createTestDatabase("sluice_interrupted");
  ({ duck, close: closeDuck } = await openTestDuck());
  work = tempDir("interrupted");
  // Enough rows (about 30 MB of CSV) that a parallel load takes a while.
  await duck.run("CREATE TABLE rows AS SELECT i::INTEGER AS id, repeat('x', 40) || i AS s FROM range(600000) t(i)");
  await duck.run("CREATE TABLE few AS SELECT i::INTEGER AS id, 'new' AS s FROM range(3) t(i)");
});
afterAll(async () => {
  closeDuck?.();
  work?.remove();
  await db?.drop();
});

async function session(): Promise<pg.Client> {
  const c = new pg.Client({ ...db.settings, ssl: false, application_name: "sluice-test" });
  c.on("error", () => undefined);
  await c.connect();
  return c;
}

/**
 * Ends Sluice's sessions whose statement starts with `prefix` (waiting on a lock, when said), polling until one is;
 * with `cancel`, cancels the statement instead (pg_cancel_backend).
 */
async function endWhenRunning(prefix: string, o: { waiting?: boolean; cancel?: boolean } = {}): Promise<void> {
  const admin = await session();
  try {
    for (let i = 0; i < 1000; i++) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice' AND starts_with(query, $2)${o.waiting ? " AND wait_event_type = 'Lock'" : ""}`,
        [db.name, prefix],
      );
      for (const r of rows) await admin.query(o.cancel ? "SELECT pg_cancel_backend($1)" : "SELECT pg_terminate_backend($1)", [r.pid]);
      if (rows.length) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no statement starting with ${prefix} ran`);
  } finally {
    await admin.end();
  }
}

/** While another session holds `lock` on `table`. */
async function whileLocked<T>(table: string, lock: string, work: () => Promise<T>): Promise<T> {
  const locker = await session();
  try {
    await locker.query(`BEGIN; LOCK TABLE ${table} IN ${lock} MODE`);
    return await work();
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
}

/** What a load leaves: staging tables, and Sluice sessions still open. */
async function leftovers() {
  const stages = await db.sql(`SELECT relname FROM pg_class WHERE starts_with(relname, '_sluice_stage')`);
  const sessions = await db.sql(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice'`, [db.name]);
  return { stages, sessions };
}

let runs = 0;
const sink = (table: string, mode: string, from = "rows", options = {}) =>
  writePostgresSink(
    testSinkContext({ duck, workDir: work.dir, settings: db.settings, select: `SELECT id, s FROM ${from} ORDER BY id`, columns, loadKey: { runId: `run-${++runs}`, nodeId: "sink" }, nodeId: "sink" }),
    { connectionId: "conn", schema: "public", table, mode, keys: [] },
    options,
  );

function lost(r: { ok: boolean; issues?: Issue[] }): Issue {
  expect(r.ok).toBe(false);
  const issue = r.issues![0]!;
  expect(issue.code, issue.message).toBe("SINK_CONNECTION_LOST");
  expect(issue.message).toMatch(/^The connection to the database was lost \(terminating connection due to administrator command\)\. /);
  expect(isTransientFailure(issue.message)).toBe(true);
  return issue;
}

describe("a sink whose session is ended", () => {
  it("while replacing a table loaded over several connections: the old table stays, the stage is dropped", async () => {
    await db.sql("CREATE TABLE replaced (id int, s text); INSERT INTO replaced VALUES (7, 'old')");
    // The transaction's DROP of the old table waits for the lock, with the stage filled.
    const r = await whileLocked("replaced", "ACCESS SHARE", async () => {
      const load = sink("replaced", "replace", "rows", { loadConnections: 3, parallelLoadBytes: 0, pieceBytes: 1 << 20 });
      await endWhenRunning("DROP TABLE", { waiting: true });
      return load;
    });
    expect(lost(r).message).toMatch(/Nothing was written to "public"\."replaced": its transaction was rolled back\. Nothing is wrong with the sink's settings; try again\.$/);
    expect(await db.sql("SELECT id, s FROM replaced")).toEqual([{ id: 7, s: "old" }]);
    expect(await leftovers()).toEqual({ stages: [], sessions: [] });
  }, 60_000);

  it("while one of the connections of a parallel load copies: nothing is created, the stage is dropped", async () => {
    const load = sink("created", "create", "rows", { loadConnections: 3, parallelLoadBytes: 0, pieceBytes: 1 << 20 });
    await endWhenRunning('COPY "public"."_sluice_stage_');
    lost(await load);
    expect(await db.sql("SELECT to_regclass('created') AS t")).toEqual([{ t: null }]);
    expect(await leftovers()).toEqual({ stages: [], sessions: [] });
  }, 60_000);

  it("while appending from its temporary stage: the target keeps its rows, nothing is in the ledger", async () => {
    await db.sql("CREATE TABLE appended (id int, s text); INSERT INTO appended VALUES (7, 'old')");
    const r = await whileLocked("appended", "ACCESS EXCLUSIVE", async () => {
      const load = sink("appended", "append");
      await endWhenRunning('INSERT INTO "public"."appended"', { waiting: true });
      return load;
    });
    lost(r);
    expect(await db.sql("SELECT id, s FROM appended")).toEqual([{ id: 7, s: "old" }]);
    expect(await db.sql("SELECT count(*)::int AS n FROM public._sluice_loads")).toEqual([{ n: 0 }]);
    expect(await leftovers()).toEqual({ stages: [], sessions: [] });
  }, 60_000);

  it("while committing: says whether the rows were written is not known, and where to look", async () => {
    // A deferred trigger holds the COMMIT, so the session is surely ended during it.
    await db.sql(`CREATE TABLE committed (id int, s text);
      CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER hold AFTER INSERT ON committed DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_commit()`);
    const load = sink("committed", "append", "few");
    await endWhenRunning("COMMIT");
    const issue = lost(await load);
    expect(issue.message).toMatch(
      new RegExp(`It was lost while the rows were committed to "public"\\."committed", so whether they were written is not known\\. Table "public"\\."_sluice_loads" has a row for run run-${runs} and node sink if they were, and another attempt of the run writes nothing twice\\.$`),
    );
    expect(await db.sql("SELECT count(*)::int AS n FROM committed")).toEqual([{ n: 0 }]);
    expect(await leftovers()).toEqual({ stages: [], sessions: [] });
  }, 60_000);
});

describe("a read whose session is ended", () => {
  it("of a sink's target: TARGET_UNREACHABLE (503, try again), not TARGET_UNREADABLE", async () => {
    await db.sql("CREATE TABLE target (id int); INSERT INTO target VALUES (1)");
    const r = await whileLocked("target", "ACCESS EXCLUSIVE", async () => {
      const read = readPostgresTable(db.settings, { schema: "public", table: "target" }, { limit: 10 });
      await endWhenRunning("SELECT", { waiting: true });
      return read;
    });
    expect(r.ok ? "read" : [r.issues[0]!.code, r.issues[0]!.message]).toEqual([
      "TARGET_UNREACHABLE",
      'Reading "public"."target" failed: The connection to the database was lost (terminating connection due to administrator command). Try again.',
    ]);
  }, 60_000);

  it("inside the database (a run or a preview there): DATABASE_CONNECTION_LOST, worth another attempt", async () => {
    const c = await session();
    try {
      const pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const during = c.query("SELECT pg_sleep(30)").catch((e: unknown) => e);
      await db.sql("SELECT pg_terminate_backend($1)", [pid]);
      const after = await c.query("SELECT 1").catch((e: unknown) => e);
      for (const e of [await during, after]) {
        const f = queryFailure(e);
        expect(f.code).toBe("DATABASE_CONNECTION_LOST");
        expect(f.message).toMatch(/^The connection to the database was lost \(.*\)\. Nothing is wrong with the pipeline; try again\.$/);
        expect(isTransientFailure(f.message)).toBe(true);
      }
    } finally {
      await c.end().catch(() => undefined);
    }
  });
});

// pg_cancel_backend (or a statement_timeout of the connection's user) stops one statement: PostgreSQL's 57014, which
// read "after its time limit" for a cancel, or the bare "canceling statement due to user request" at a sink.
describe("a statement the database cancels", () => {
  const CANCELLED = "canceling statement due to user request. A statement timeout (statement_timeout) or an administrator (pg_cancel_backend) stops a statement";

  it("at a sink: SINK_TIMEOUT saying nothing was written and what to do, not tried again", async () => {
    await db.sql("CREATE TABLE cancelled (id int, s text); INSERT INTO cancelled VALUES (7, 'old')");
    const r = await whileLocked("cancelled", "ACCESS EXCLUSIVE", async () => {
      const load = sink("cancelled", "append");
      await endWhenRunning('INSERT INTO "public"."cancelled"', { waiting: true, cancel: true });
      return load;
    });
    expect(r.ok ? "written" : [r.issues[0]!.code, r.issues[0]!.message]).toEqual([
      "SINK_TIMEOUT",
      'The database stopped writing to "public"."cancelled": canceling statement due to user request. Nothing was written: its transaction was rolled back. A statement timeout (statement_timeout) or an administrator (pg_cancel_backend) stops a statement; raise the connection user\'s statement_timeout, or run it again.',
    ]);
    expect(isTransientFailure(r.ok ? "" : r.issues[0]!.message)).toBe(false);
    expect(await db.sql("SELECT id, s FROM cancelled")).toEqual([{ id: 7, s: "old" }]);
    expect(await leftovers()).toEqual({ stages: [], sessions: [] });
  }, 60_000);

  it("at a source: SOURCE_TIMEOUT that does not blame a time limit", async () => {
    await db.sql("CREATE TABLE read_from (id int, s text); INSERT INTO read_from VALUES (1, 'a')");
    const r = await whileLocked("read_from", "ACCESS EXCLUSIVE", async () => {
      const ctx = testLoadContext({ duck, workDir: work.dir, settings: db.settings, table: "read_here", columns });
      const load = loadPostgresSource(ctx, { connectionId: "conn", mode: "table", schema: "public", table: "read_from" });
      await endWhenRunning("SELECT", { waiting: true, cancel: true });
      return load;
    });
    expect(r.ok ? "read" : [r.issues[0]!.code, r.issues[0]!.message]).toEqual(["SOURCE_TIMEOUT", `The database stopped the query: ${CANCELLED}; make the query faster, or run it again.`]);
  }, 60_000);

  it("reading a sink's target back: says what stopped it", async () => {
    await db.sql("CREATE TABLE IF NOT EXISTS target (id int)");
    const r = await whileLocked("target", "ACCESS EXCLUSIVE", async () => {
      const read = readPostgresTable(db.settings, { schema: "public", table: "target" }, { limit: 10 });
      await endWhenRunning("SELECT", { waiting: true, cancel: true });
      return read;
    });
    expect(r.ok ? "read" : [r.issues[0]!.code, r.issues[0]!.message]).toEqual([
      "TARGET_UNREADABLE",
      'Reading "public"."target" was stopped by the database (canceling statement due to user request); try again later.',
    ]);
  }, 60_000);
});
