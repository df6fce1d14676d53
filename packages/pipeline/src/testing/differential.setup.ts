import { appendFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, expect, inject } from "vitest";
import { observeNodeRuns } from "./duckdb-harness.ts";
import { connectDifferential, runOnPostgres } from "./postgres-node-run.ts";

/**
 * Setup of the differential suite (vitest.differential.config.ts): every runNode of the node tests that ran its SQL
 * on DuckDB runs again on each PostgreSQL of the global setup, and a different result fails the test. Each outcome
 * is appended to the report the global setup counts at the end.
 */
const targets = inject("sluiceDifferentialTargets");
const report = inject("sluiceDifferentialReport");
const clients = new Map<string, Promise<pg.Client>>();
const client = (name: string, url: string) => {
  if (!clients.has(name)) clients.set(name, connectDifferential(url));
  return clients.get(name)!;
};

observeNodeRuns(async (run) => {
  const test = expect.getState().currentTestName ?? "";
  const file = path.basename(expect.getState().testPath ?? "");
  for (const t of targets) {
    const outcome = await runOnPostgres(await client(t.name, t.url), run);
    appendFileSync(report, `${JSON.stringify({ target: t.name, node: run.def.type, test: `${file} > ${test}`, ...outcome })}\n`);
    if (outcome.kind === "differs") throw new Error(`${run.def.type} on ${t.name} differs from DuckDB: ${outcome.detail}`);
  }
});

afterAll(async () => {
  observeNodeRuns(undefined);
  for (const c of clients.values()) await (await c).end();
});

declare module "vitest" {
  export interface ProvidedContext {
    sluiceDifferentialTargets: { name: string; url: string }[];
    sluiceDifferentialReport: string;
  }
}
