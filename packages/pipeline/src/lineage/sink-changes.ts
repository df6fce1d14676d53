import type { Column } from "@sluice/model";
import { analyzeGraph } from "../graph/analyze-graph.ts";
import { datasetOf, type DatasetRef } from "./dataset-name.ts";
import type { LineageEnvironment } from "./column-lineage.ts";

/** What a change to a pipeline does to a table or file one of its sinks writes: columns it would no longer write, or write with another type. */
export interface SinkColumnChange {
  nodeId: string;
  dataset: DatasetRef;
  removed: string[];
  retyped: { column: string; before: Column; after: Column }[];
}

/** Per sink whose dataset is known: the columns it writes (its input's schema), when known. */
function written(graph: unknown, env: LineageEnvironment): Map<string, { nodeId: string; dataset: DatasetRef; columns: Column[] }> {
  const a = analyzeGraph(graph, env);
  const out = new Map<string, { nodeId: string; dataset: DatasetRef; columns: Column[] }>();
  for (const [id, entry] of a.index?.nodes ?? []) {
    if (!entry.node || entry.def?.category !== "sink") continue;
    const dataset = datasetOf({ type: entry.node.type, config: a.configs.get(id) }, env);
    const e = a.index!.incoming.get(id)?.get("in")?.[0];
    const columns = e?.sourcePort === undefined ? undefined : a.portSchemas.get(e.edge.source)?.[e.sourcePort];
    if (dataset && columns) out.set(`${dataset.namespace}\u0000${dataset.name}`, { nodeId: id, dataset, columns });
  }
  return out;
}

const sameType = (a: Column, b: Column) => a.type === b.type && a.precision === b.precision && a.scale === b.scale;

/**
 * The impact of saving `after` over `before` on what the sinks write, for the save dialog to warn before a reader
 * downstream breaks: per dataset written by both, the columns `after` drops or retypes. A sink whose schema is not
 * known in one of them (a problem upstream) is left out, as nothing certain can be said.
 */
export function sinkColumnChanges(before: unknown, after: unknown, env: LineageEnvironment): SinkColumnChange[] {
  const was = written(before, env);
  const will = written(after, env);
  const changes: SinkColumnChange[] = [];
  for (const [key, now] of will) {
    const old = was.get(key);
    if (!old) continue;
    const removed = old.columns.filter((c) => !now.columns.some((n) => n.name === c.name)).map((c) => c.name);
    const retyped = old.columns.flatMap((c) => {
      const n = now.columns.find((x) => x.name === c.name);
      return n && !sameType(c, n) ? [{ column: c.name, before: c, after: n }] : [];
    });
    if (removed.length || retyped.length) changes.push({ nodeId: now.nodeId, dataset: now.dataset, removed, retyped });
  }
  return changes;
}
