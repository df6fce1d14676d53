import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTransientFailure } from "../transient-failure.ts";
import { connectIssue, connectionLost, pgMessage } from "./postgres-errors.ts";
import { connectPostgres } from "../postgres-connection.ts";
import { describePostgresSource } from "./postgres-source.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-postgres.ts";

// A database restart, a failover or an administrator's pg_terminate_backend ends a session at any moment. Whatever
// node-postgres then says (PostgreSQL's 57P01 during a query, "Connection terminated unexpectedly", or "Client has
// encountered a connection error and is not queryable" on the next query over the dead client), a run must read it
// as worth another attempt: a run failed for good, "no longer valid", when a describe lost its connection.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase("sluice_conn_lost");
  await db.sql("CREATE TABLE held (n int)");
});

afterAll(async () => {
  await db?.drop();
});

/** Ends every other session of the test database that runs (or last ran) a statement containing `marker`. */
async function terminate(marker: string): Promise<number> {
  const rows = await db.sql<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%' || $2 || '%' AND pid <> pg_backend_pid() AND pg_terminate_backend(pid)",
    [db.name, marker],
  );
  return rows.length;
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable("the query succeeded"), (e: unknown) => e);

describe("a PostgreSQL connection that went away", () => {
  it("is reported as lost and transient, both during the query and on the next query over the same client", async () => {
    const client = new pg.Client({ ...db.settings, ssl: false });
    client.on("error", () => undefined);
    const ended = new Promise((resolve) => client.once("end", resolve));
    await client.connect();
    try {
      const running = failure(client.query("SELECT pg_sleep(30) /* drop-me */"));
      await expect.poll(() => terminate("drop-me"), { timeout: 10_000 }).toBe(1);
      const during = await running;
      // Once the socket has closed (before that, a query gets "Connection terminated unexpectedly", also lost).
      await ended;
      const after = await failure(client.query("SELECT 1"));
      expect(String((after as Error).message)).toMatch(/not queryable/);
      for (const e of [during, after]) {
        expect(connectionLost(e)).toBe(true);
        expect(pgMessage(e)).toMatch(/^The connection to the database was lost \(/);
        expect(isTransientFailure(pgMessage(e))).toBe(true);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it("is not confused with a statement's own failure", async () => {
    const client = new pg.Client({ ...db.settings, ssl: false });
    await client.connect();
    try {
      for (const sql of ["SELECT 1/0", "SELECT * FROM missing", "SELECT pg_sleep(1)"]) {
        const e = await failure(client.query(sql.endsWith("(1)") ? "SET statement_timeout = 10; SELECT pg_sleep(1)" : sql));
        expect(connectionLost(e)).toBe(false);
        expect(isTransientFailure(pgMessage(e))).toBe(false);
      }
    } finally {
      await client.end();
    }
  });

  it("while a source is described, gives SOURCE_CONNECTION_LOST on its field, which a run tries again", async () => {
    // The describe waits for a lock another session holds, so it is surely running when its session is ended.
    const holder = new pg.Client({ ...db.settings, ssl: false });
    await holder.connect();
    try {
      await holder.query("BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
      const described = describePostgresSource(db.settings, { connectionId: "c", mode: "query", sql: "SELECT n AS described_here FROM held", schema: "", table: "" }, "src");
      await expect.poll(() => terminate("described_here"), { timeout: 10_000 }).toBe(1);
      const r = await described;
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues).toEqual([expect.objectContaining({ code: "SOURCE_CONNECTION_LOST", nodeId: "src", field: "sql" })]);
      expect(isTransientFailure(r.issues[0]!.message)).toBe(true);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    }
  });

  // A restart or a failover refuses connections for a few seconds: a run's next attempt, 2 s after a session was
  // ended, found "Nothing is listening" and failed for good, as if the source's settings were wrong.
  it("when a source or sink cannot connect because nothing listens, a run tries again; not for wrong settings", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    const config = { connectionId: "c", mode: "query", sql: "SELECT 1 AS one", schema: "", table: "" };
    const down = await describePostgresSource({ ...db.settings, port: closed }, config, "src");
    expect(down.ok ? "described" : [down.issues[0]!.code, down.issues[0]!.message]).toEqual([
      "SOURCE_UNREACHABLE",
      `Could not connect to the database: Nothing is listening on 127.0.0.1:${closed}: check the host and port, and that the server is running. If the server is restarting, a run tries again.`,
    ]);
    expect(isTransientFailure(down.ok ? "" : down.issues[0]!.message)).toBe(true);
    const thrown = await connectPostgres({ ...db.settings, port: closed }).then(() => undefined, (e: unknown) => e);
    expect(isTransientFailure(connectIssue("SINK_UNREACHABLE", thrown, db.settings, "sink").message)).toBe(true);

    for (const wrong of [{ user: "sluice_no_such_role" }, { database: "sluice_no_such_database" }, { host: "no-such-host.invalid" }]) {
      const r = await describePostgresSource({ ...db.settings, ...wrong }, config, "src");
      expect(r.ok ? "described" : r.issues[0]!.code).toBe("SOURCE_UNREACHABLE");
      expect(isTransientFailure(r.ok ? "" : r.issues[0]!.message), JSON.stringify(wrong)).toBe(false);
    }
  });
});
