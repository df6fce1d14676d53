import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitForRun } from "../testing/wait-for-run.ts";
import { slowPipelineGraph } from "../testing/slow-pipeline.ts";
import { startLineageReceiver, type LineageReceiver, type ReceivedRequest } from "../testing/lineage-receiver.ts";
import { openLineageProblems } from "../testing/openlineage-schemas.ts";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import type { RunEvent } from "./openlineage.types.ts";

/** What the receiver answers now: the tests switch it to 500, a hang, or take it down. */
let answer: number | "hang" = 200;
let receiver: LineageReceiver;
/** Requests of every receiver started on the port, so one taken down and back loses none. */
const seen: ReceivedRequest[] = [];
let t: TestApp;

beforeAll(async () => {
  receiver = await startLineageReceiver(() => answer);
  t = await createTestApp({
    startWorker: true,
    openLineage: { endpoint: `${receiver.url}/api/v1/lineage`, apiKey: "ol-test-key", namespace: "sluice-test", timeoutMs: 1000 },
    openLineageDelivery: { baseDelayMs: 100, maxDelayMs: 400, maxAttempts: 1000 },
  });
  await warehouse("CREATE TABLE warehouse.ol_customers (id integer, name text); INSERT INTO warehouse.ol_customers VALUES (1, ' ada '), (2, 'grace')");
}, 60_000);
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

async function warehouse(sql: string) {
  const c = new pg.Client({ connectionString: t.warehouse.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const delivered = () => [...seen, ...receiver.requests].filter((r) => r.answer === 200).map((r) => r.body as RunEvent);
const eventsOf = (runId: string) => delivered().filter((e) => e.run.runId === runId);

async function until<T>(get: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify([...seen, ...receiver.requests].map((r) => [r.answer, (r.body as RunEvent).eventType]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run's events once its closing one has arrived (delivery is in order, so its START came first). */
const closedEvents = (runId: string, closing = "COMPLETE") => until(() => (eventsOf(runId).some((e) => e.eventType === closing) ? eventsOf(runId) : undefined), `${closing} of run ${runId}`);

async function startRun(name: string, graph: object) {
  const created = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const start = await request(t.app).post(`/api/pipelines/${created.body.id}/runs`).send({});
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return start.body.runId as string;
}

async function run(name: string, graph: object, status = "succeeded") {
  const runId = await startRun(name, graph);
  const detail = await waitForRun(t.app, runId);
  expect(detail.status, detail.error ?? "").toBe(status);
  return runId;
}

const sink = (table: string) => ({ id: "sink", type: "postgres-sink", position: { x: 600, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: "replace" } });
const chain = (...ids: string[]) => ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i]!, target: id }));
const tableNamespace = () => `postgres://${t.warehouse.settings.host}:${t.warehouse.settings.port}`;
const tableName = (table: string) => `${t.warehouse.settings.database}.warehouse.${table}`;

function expectValid(events: RunEvent[]) {
  for (const e of events) expect(openLineageProblems(e), `${e.eventType}: ${JSON.stringify(e)}`).toEqual([]);
}

// Generous: each test runs real pipelines, and the machine may be busy.
describe("OpenLineage events of runs", { timeout: 90_000 }, () => {
  it("a DuckDB run joining two uploaded CSVs into a table sends START then COMPLETE, valid per the spec, with datasets, schemas and column lineage", async () => {
    const upload = async (name: string, csv: string) => {
      const file = await request(t.app).post("/api/files").attach("file", Buffer.from(csv), name);
      expect(file.status, JSON.stringify(file.body)).toBe(201);
      return { namespace: "sluice://files", name: `${file.body.id as string}/${name}`, id: file.body.id as string };
    };
    const orders = await upload("orders.csv", "id,customer,amount\n1,ada,10\n2,bob,-1\n3,ada,5\n");
    const customers = await upload("customers.csv", "name,region\nada,north\nbob,south\n");
    const runId = await run("Revenue", {
      formatVersion: 1,
      nodes: [
        { id: "src", type: "file", position: { x: 0, y: 0 }, config: { fileId: orders.id } },
        { id: "people", type: "file", position: { x: 0, y: 200 }, config: { fileId: customers.id } },
        { id: "paid", type: "filter", position: { x: 200, y: 0 }, config: { condition: { kind: "group", op: "and", conditions: [{ kind: "rule", column: "amount", operator: ">", values: [0] }] } } },
        { id: "who", type: "join", position: { x: 300, y: 0 }, config: { kind: "inner", keys: [{ left: "customer", right: "name" }] } },
        { id: "by", type: "group", position: { x: 400, y: 0 }, config: { keys: ["region"], aggregations: [{ column: "amount", fn: "sum", as: "revenue" }] } },
        sink("ol_revenue"),
      ],
      edges: [
        { id: "e1", source: "src", target: "paid" },
        { id: "e2", source: "paid", target: "who", targetPort: "left" },
        { id: "e3", source: "people", target: "who", targetPort: "right" },
        { id: "e4", source: "who", target: "by" },
        { id: "e5", source: "by", target: "sink" },
      ],
    });
    const events = await closedEvents(runId);
    expectValid(events);
    expect(events.map((e) => e.eventType)).toEqual(["START", "COMPLETE"]);
    const requests = receiver.requests.filter((r) => (r.body as RunEvent).run.runId === runId);
    expect(requests.every((r) => r.path === "/api/v1/lineage" && r.headers.authorization === "Bearer ol-test-key")).toBe(true);

    const done = events[1]!;
    expect(done.job).toMatchObject({ namespace: "sluice-test", name: "Default/Revenue" });
    const named = ({ namespace, name }: { namespace: string; name: string }) => ({ namespace, name });
    const schemaOf = (names: string[]) => ({ schema: expect.objectContaining({ fields: names.map((name) => expect.objectContaining({ name })) }) });
    expect(done.inputs).toEqual([
      { ...named(orders), facets: schemaOf(["id", "customer", "amount"]) },
      { ...named(customers), facets: schemaOf(["name", "region"]) },
    ]);
    expect(done.outputs).toHaveLength(1);
    const output = done.outputs[0]!;
    expect(output).toMatchObject({ namespace: tableNamespace(), name: tableName("ol_revenue") });
    expect(output.facets?.schema?.fields.map((f) => f.name)).toEqual(["region", "revenue"]);
    expect(output.facets?.columnLineage?.fields).toEqual({
      region: { inputFields: [{ ...named(customers), field: "region", transformations: [{ type: "DIRECT", subtype: "IDENTITY" }] }] },
      revenue: { inputFields: [{ ...named(orders), field: "amount", transformations: [{ type: "DIRECT", subtype: "AGGREGATION", description: "sum" }] }] },
    });
    // Rows: kept by amount > 0, matched on customer = name, grouped by region.
    const rows = output.facets?.columnLineage?.dataset ?? [];
    const subtypes = (input: { name: string }, field: string) =>
      rows.find((f) => f.name === input.name && f.field === field)?.transformations?.map((x) => `${x.type} ${x.subtype ?? ""}`).sort();
    expect(subtypes(orders, "amount")).toEqual(["INDIRECT FILTER"]);
    expect(subtypes(orders, "customer")).toEqual(["INDIRECT JOIN"]);
    expect(subtypes(customers, "name")).toEqual(["INDIRECT JOIN"]);
    expect(subtypes(customers, "region")).toEqual(["INDIRECT GROUP_BY"]);
    expect(events[0]!.outputs).toEqual(done.outputs);
  });

  it("a run inside PostgreSQL, table to table, names both tables in the database's namespace", async () => {
    const runId = await run("Customers", {
      formatVersion: 1,
      engine: "database",
      nodes: [
        { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table: "ol_customers" } },
        { id: "up", type: "clean", position: { x: 200, y: 0 }, config: { columns: [{ column: "name", operations: [{ op: "trim" }] }] } },
        sink("ol_customers_clean"),
      ],
      edges: chain("src", "up", "sink"),
    });
    const events = await closedEvents(runId);
    expectValid(events);
    expect(events.map((e) => e.eventType)).toEqual(["START", "COMPLETE"]);
    const input = { namespace: tableNamespace(), name: tableName("ol_customers") };
    expect(events[1]!.inputs).toMatchObject([input]);
    expect(events[1]!.outputs[0]).toMatchObject({ namespace: tableNamespace(), name: tableName("ol_customers_clean") });
    expect(events[1]!.outputs[0]!.facets?.columnLineage?.fields.name).toEqual({ inputFields: [{ ...input, field: "name", transformations: [{ type: "DIRECT", subtype: "TRANSFORMATION" }] }] });
  });

  it("a failed run sends FAIL with its error, a cancelled one ABORT", async () => {
    const failing = {
      formatVersion: 1,
      nodes: [
        { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "query", sql: "SELECT n, 1 / (n - 2) AS x FROM generate_series(1, 3) AS n" } },
        sink("ol_never"),
      ],
      edges: chain("src", "sink"),
    };
    const failed = await run("Divides by zero", failing, "failed");
    const fail = await closedEvents(failed, "FAIL");
    expectValid(fail);
    expect(fail.map((e) => e.eventType)).toEqual(["START", "FAIL"]);
    expect(fail[1]!.run.facets?.errorMessage?.message).toMatch(/division by zero/);

    const slow = await startRun("Slow", slowPipelineGraph("ol_slow", { sleepSeconds: 20 }));
    await waitForRun(t.app, slow, ["running"]);
    expect((await request(t.app).post(`/api/runs/${slow}/cancel`).send({})).status).toBe(202);
    await waitForRun(t.app, slow, ["cancelled"]);
    const aborted = await closedEvents(slow, "ABORT");
    expectValid(aborted);
    expect(aborted.map((e) => e.eventType)).toEqual(["START", "ABORT"]);
  });

  it("a run retried after a transient error sends START, then RUNNING for its second attempt, then COMPLETE", async () => {
    const runId = await startRun("Flaky", slowPipelineGraph("ol_flaky", { sleepSeconds: 2 }));
    await waitForRun(t.app, runId, ["running"]);
    // The source database drops the connection mid-query, as a restart or failover would (as transient-retry.test.ts).
    const admin = new pg.Client({ connectionString: t.database.url });
    await admin.connect();
    try {
      for (let i = 0; i < 50; i++) {
        const sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()";
        if ((await admin.query(sql, [t.warehouse.settings.database])).rowCount) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.end();
    }
    const detail = await waitForRun(t.app, runId);
    expect([detail.status, detail.attempt], detail.error ?? "").toEqual(["succeeded", 2]);
    const events = await closedEvents(runId);
    expectValid(events);
    expect(events.map((e) => e.eventType)).toEqual(["START", "RUNNING", "COMPLETE"]);
  });

  it("runs succeed while the receiver answers 500, hangs or is down, and once it is back each event arrives exactly once, in order", async () => {
    const graph = (table: string) => ({
      formatVersion: 1,
      nodes: [{ id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1]] } }, sink(table)],
      edges: chain("src", "sink"),
    });
    answer = 500;
    const a = await run("While 500", graph("ol_a"));
    await until(() => (receiver.requests.filter((r) => r.answer === 500).length >= 2 ? true : undefined), "two refused tries");
    answer = "hang";
    const b = await run("While hanging", graph("ol_b"));
    await until(() => (receiver.requests.some((r) => r.answer === "hang") ? true : undefined), "a hung try");
    const port = receiver.port;
    seen.push(...receiver.requests);
    await receiver.close();
    const c = await run("While down", graph("ol_c"));
    answer = 200;
    receiver = await startLineageReceiver(() => answer, { port });
    const d = await run("Back up", graph("ol_d"));
    // Delivery is in order, so once d's COMPLETE is in, a, b and c's events are final.
    await closedEvents(d);
    for (const runId of [a, b, c, d]) {
      const events = eventsOf(runId);
      expectValid(events);
      expect(events.map((e) => e.eventType), runId).toEqual(["START", "COMPLETE"]);
    }
    expect(t.logs.some((l) => l.includes("OpenLineage: sending START") && l.includes("retrying with backoff"))).toBe(true);
  });
});
