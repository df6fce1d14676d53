import { error, type Issue } from "@sluice/model";
import type { GraphIndex } from "./graph-index.ts";

/** Whether a node reads only new rows: a PostgreSQL source with a watermark column, or a file source of new files only. */
export const isIncrementalSource = (type: string, config: unknown): boolean => {
  const c = config as { watermarkColumn?: unknown; pattern?: unknown; onlyNew?: unknown } | undefined;
  if (type === "file") return typeof c?.pattern === "string" && c.pattern.trim() !== "" && c.onlyNew === true;
  return type === "postgres" && typeof c?.watermarkColumn === "string" && c.watermarkColumn !== "";
};

/**
 * A table sink fed by an incremental source must add to the table (append or upsert): it receives only the new
 * rows, so create would fail on the second run and replace would keep only the latest rows. File sinks write one
 * file per run, holding that run's new rows, which is what they would mean.
 */
export function incrementalSinkIssues(index: GraphIndex, configs: Map<string, unknown>): Issue[] {
  const downstream = new Map<string, string[]>();
  for (const l of index.links) downstream.set(l.source, [...(downstream.get(l.source) ?? []), l.target]);
  const issues: Issue[] = [];
  const reported = new Set<string>();
  for (const [id, entry] of index.nodes) {
    if (!entry.node || !isIncrementalSource(entry.node.type, configs.get(id))) continue;
    const seen = new Set<string>();
    const queue = [...(downstream.get(id) ?? [])];
    while (queue.length) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(downstream.get(next) ?? []));
      const node = index.nodes.get(next)?.node;
      const mode = (configs.get(next) as { mode?: unknown } | undefined)?.mode;
      if (node?.type !== "postgres-sink" || (mode !== "create" && mode !== "replace") || reported.has(next)) continue;
      reported.add(next);
      issues.push(
        error(
          "INCREMENTAL_SINK_MODE",
          `This table gets only the new rows of incremental source "${id}", so mode ${mode} would ${mode === "create" ? "fail once the table exists" : "keep only the latest rows"}; choose append or upsert.`,
          { nodeId: next, field: "mode" },
        ),
      );
    }
  }
  return issues;
}
