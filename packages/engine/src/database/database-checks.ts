import type pg from "pg";
import type { CheckResult } from "@sluice/model";
import { quoteIdent, ROW_ORDER_COLUMN, type CompiledCheck } from "@sluice/pipeline";
import { checkResult, SAMPLE_ROWS } from "../quality-checks.ts";
import { extendedQuery } from "../connectors/pg-extended-query.ts";

const ORDER = quoteIdent(ROW_ORDER_COLUMN);

/** A value as the run stores it: JSON-safe, numbers that do not fit a double kept as text (pg gives BIGINT and NUMERIC as text). */
const jsonSafe = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? String(v) : v);

/** evaluateChecks (quality-checks.ts) for a step run in the database: the same results, counted by PostgreSQL. */
export async function evaluateChecksInDatabase(client: pg.Client, nodeId: string, checks: readonly CompiledCheck[], rowsChecked: number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    if (c.failingRows === undefined) {
      results.push(checkResult(nodeId, c, rowsChecked, 0, []));
      continue;
    }
    const counted = await extendedQuery<{ n: string }>(client, `SELECT count(*) AS n FROM (${c.failingRows}) AS failing`);
    const failing = Number(counted.rows[0]?.n ?? 0);
    let samples: Record<string, unknown>[] = [];
    if (failing > 0) {
      const read = await extendedQuery<Record<string, unknown>>(client, `SELECT * FROM (${c.failingRows}) AS failing ORDER BY ${ORDER} LIMIT ${SAMPLE_ROWS}`);
      samples = read.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== ROW_ORDER_COLUMN).map(([k, v]) => [k, jsonSafe(v)])));
    }
    results.push(checkResult(nodeId, c, rowsChecked, failing, samples));
  }
  return results;
}
