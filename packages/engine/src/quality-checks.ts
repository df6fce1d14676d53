import type { CheckResult } from "@sluice/model";
import { quoteIdent, ROW_ORDER_COLUMN, type CompiledCheck } from "@sluice/pipeline";
import type { DuckSession } from "./duckdb-session.ts";
import { jsonSafeRows } from "./json-values.ts";

/** Failing rows kept per rule: enough to see the pattern, small enough to store with every run. */
export const SAMPLE_ROWS = 20;

const ORDER = quoteIdent(ROW_ORDER_COLUMN);
const n = (x: number) => x.toLocaleString("en-US");
const rowsOf = (x: number) => `${n(x)} row${x === 1 ? "" : "s"}`;

function rowCountResult(c: CompiledCheck, rows: number): Pick<CheckResult, "passed" | "message"> {
  const { min, max } = c.rowCount ?? {};
  if (min !== undefined && rows < min) return { passed: false, message: `${rowsOf(rows)}; expected at least ${n(min)}` };
  if (max !== undefined && rows > max) return { passed: false, message: `${rowsOf(rows)}; expected at most ${n(max)}` };
  return { passed: true, message: rowsOf(rows) };
}

/** One rule's result from its count of failing rows (row-count rules: from the rows checked) and a few of them. */
export function checkResult(nodeId: string, c: CompiledCheck, rowsChecked: number, failing: number, samples: Record<string, unknown>[]): CheckResult {
  const base = { nodeId, ruleIndex: c.index, rule: c.rule, kind: c.kind, severity: c.severity, rowsChecked };
  if (c.failingRows === undefined) return { ...base, ...rowCountResult(c, rowsChecked), failingRows: 0, samples: [] };
  return {
    ...base,
    passed: failing === 0,
    failingRows: failing,
    message: failing === 0 ? (rowsChecked === 1 ? "the 1 row passes" : `all ${n(rowsChecked)} rows pass`) : `${n(failing)} of ${rowsOf(rowsChecked)} fail${rowsChecked === 1 ? "s" : ""}`,
    samples,
  };
}

/**
 * Evaluates a check node's rules on the rows that reached it (`rowsChecked` of them): per rule, the number
 * of failing rows and the first few of them in input order. The input relations must exist in the session.
 */
export async function evaluateChecks(session: DuckSession, nodeId: string, checks: readonly CompiledCheck[], rowsChecked: number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    if (c.failingRows === undefined) {
      results.push(checkResult(nodeId, c, rowsChecked, 0, []));
      continue;
    }
    const counted = await session.query(`SELECT count(*)::BIGINT AS n FROM (${c.failingRows})`);
    const failing = Number(counted[0]?.n ?? 0);
    let samples: Record<string, unknown>[] = [];
    if (failing > 0) {
      const read = await session.read(`SELECT * EXCLUDE (${ORDER}) FROM (${c.failingRows}) ORDER BY ${ORDER} LIMIT ${SAMPLE_ROWS}`);
      samples = jsonSafeRows(read.rows, read.columns);
    }
    results.push(checkResult(nodeId, c, rowsChecked, failing, samples));
  }
  return results;
}

/** The message a run fails with when "fail" rules failed, or undefined when none did. */
export function failedChecksMessage(results: readonly CheckResult[]): string | undefined {
  const failed = results.filter((r) => !r.passed && r.severity === "fail");
  if (failed.length === 0) return undefined;
  const list = failed.map((r) => `"${r.rule}" (${r.message})`).join("; ");
  return `${failed.length === 1 ? "A quality rule" : `${failed.length} quality rules`} failed, so nothing was written: ${list}.`;
}
