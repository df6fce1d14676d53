import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { ok } from "@sluice/model";
import { defineNode, ROW_ORDER_COLUMN, type AnyNodeDefinition } from "../catalog/node-definition.ts";
import { observeNodeRuns, runNode, type ObservedNodeRun } from "./duckdb-harness.ts";
import { connectDifferential, runOnPostgres } from "./postgres-node-run.ts";

const url = process.env.DIFFERENTIAL_PG15_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A node whose SQL is `value` in every dialect but PostgreSQL's, where it is `onPostgres`. */
const constant = (value: string, onPostgres: string, pushable = true): AnyNodeDefinition =>
  defineNode({
    type: "constant",
    version: 1,
    category: "compute",
    label: "constant",
    description: "",
    inputs: [],
    outputs: [{ name: "out", label: "out" }],
    configSchema: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never,
    defaultConfig: {},
    summary: () => "",
    inferSchema: () => ok({ out: [{ name: "v", type: "double" }] }),
    lineage: () => ({ out: { columns: { v: [] }, rows: [] } }),
    ...(pushable ? {} : { pushdown: () => ({ ok: false, reason: "not here" }) }),
    compile: (ctx) => ({
      kind: "query",
      outputs: { out: `SELECT CAST(${ctx.dialect.name === "postgres" ? onPostgres : value} AS ${ctx.dialect.type({ type: "double" })}) AS "v", CAST(1 AS BIGINT) AS "${ROW_ORDER_COLUMN}"` },
    }),
  });

/** What runNode saw on DuckDB, to hand to runOnPostgres. */
async function observed(def: AnyNodeDefinition): Promise<ObservedNodeRun> {
  let seen: ObservedNodeRun | undefined;
  observeNodeRuns(async (run) => void (seen = run));
  try {
    await runNode(def, {}, {});
  } finally {
    observeNodeRuns(undefined);
  }
  return seen!;
}

describe("runOnPostgres", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = await connectDifferential(url);
  });
  afterAll(async () => {
    await client?.end();
  });

  it("finds equal results equal, and a value that differs in the last bit different", async () => {
    expect(await runOnPostgres(client, await observed(constant("CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE)", "0.1::float8 + 0.2::float8")))).toEqual({ kind: "equal" });
    const value = await runOnPostgres(client, await observed(constant("1.5", "2.5")));
    expect(value).toMatchObject({ kind: "differs", detail: expect.stringContaining('"v":2.5') });
    // Doubles compare exactly: 0.30000000000000004 is not 0.3.
    const exact = await runOnPostgres(client, await observed(constant("CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE)", "0.3")));
    expect(exact.kind).toBe("differs");
  });

  it("reports a failure on PostgreSQL alone as a difference, and a node that says it is not pushable as such", async () => {
    expect(await runOnPostgres(client, await observed(constant("1", "1 / 0")))).toMatchObject({ kind: "differs", detail: expect.stringContaining("division by zero") });
    expect(await runOnPostgres(client, await observed(constant("1", "1 / 0", false)))).toEqual({ kind: "not-pushable", reason: "not here" });
  });
});
