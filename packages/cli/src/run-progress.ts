import type { ExecutionEvent } from "@sluice/engine";
import type { CheckResult } from "@sluice/model";

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export const rows = (n: number) => `${n} row${n === 1 ? "" : "s"}`;

/** One line per quality rule, e.g. `  Checks (qa): FAILED "amount > 0": 1 of 3 rows fail`; the same for local and server runs. */
export function checkLines(results: readonly CheckResult[], labelOf: (nodeId: string) => string): { line: string; isError: boolean }[] {
  return results.map((r) => ({
    line: `  ${labelOf(r.nodeId)} (${r.nodeId}): ${r.passed ? "passed" : r.severity === "fail" ? "FAILED" : "warning"} "${r.rule}": ${r.message}`,
    isError: !r.passed && r.severity === "fail",
  }));
}

export interface NodeName {
  label: string;
  /** A sink's rows out are the rows it wrote. */
  sink: boolean;
}

/**
 * One line per node as it ends, e.g. `  Orders (src): succeeded, 120 rows out, 0.2 s`; warnings and errors
 * the engine logs; nothing for a node starting or for routine log lines, so CI logs stay short.
 */
export function progressLine(e: ExecutionEvent, nodes: ReadonlyMap<string, NodeName>): { line: string; isError: boolean } | undefined {
  if (e.type === "log") {
    if (e.level === "info") return undefined;
    const who = e.nodeId ? `${nodes.get(e.nodeId)?.label ?? e.nodeId} (${e.nodeId}): ` : "";
    return { line: `  ${e.level}: ${who}${e.message}`, isError: e.level === "error" };
  }
  if (e.type === "checks") {
    const lines = checkLines(e.results, (id) => nodes.get(id)?.label ?? id);
    return { line: lines.map((l) => l.line).join("\n"), isError: lines.some((l) => l.isError) };
  }
  if (e.type === "watermark") {
    // An incremental source says which range it read, so a CI log shows what a run loaded.
    const label = nodes.get(e.nodeId)?.label ?? e.nodeId;
    return { line: `  ${label} (${e.nodeId}): watermark on ${e.column} ${e.before ?? "none"} -> ${e.after ?? "none"}`, isError: false };
  }
  if (e.status === "running") return undefined;
  const node = nodes.get(e.nodeId);
  const parts = [
    e.status,
    // A node streamed into the next step as a view is never counted on its own.
    ...(e.status === "succeeded" ? [e.rowsOut === null ? "rows not counted (streamed)" : `${rows(e.rowsOut)} ${node?.sink ? "written" : "out"}`] : []),
    ...(e.durationMs !== null ? [seconds(e.durationMs)] : []),
  ];
  const line = `  ${node?.label ?? e.nodeId} (${e.nodeId}): ${parts.join(", ")}${e.error ? ` — ${e.error}` : ""}`;
  return { line, isError: e.status === "failed" };
}
