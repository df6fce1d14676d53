import type { PipelineGraph } from "@sluice/model";
import { DATASET_PORT, type ColumnLineage, type ColumnTrace, type LineageOrigin, type LineageTransformation, type TraceStep } from "@sluice/pipeline";

/** What the canvas marks on one node for a traced column: the columns its values flow through, and those that only decide rows. */
export interface NodeHighlight {
  /** The traced column itself, or one it comes from or flows into (DIRECT). */
  columns: string[];
  /** Columns that decide which rows there are, or which value is picked (INDIRECT), without flowing into it. */
  rows: string[];
  /** Where the node sits from the traced column. */
  role: "start" | "upstream" | "downstream";
}

const add = (list: string[], name: string) => (list.includes(name) ? list : [...list, name]);

/** Per node, what to mark on the canvas for a column's trace. */
export function traceHighlight(trace: ColumnTrace): Map<string, NodeHighlight> {
  const out = new Map<string, NodeHighlight>([[trace.column.nodeId, { columns: [trace.column.column], rows: [], role: "start" }]]);
  const mark = (s: TraceStep, role: NodeHighlight["role"]) => {
    const h = out.get(s.nodeId) ?? { columns: [], rows: [], role };
    if (s.transformation.type === "DIRECT") out.set(s.nodeId, { ...h, columns: add(h.columns, s.column), rows: h.rows.filter((c) => c !== s.column) });
    else if (!h.columns.includes(s.column)) out.set(s.nodeId, { ...h, rows: add(h.rows, s.column) });
  };
  for (const s of trace.upstream) mark(s, "upstream");
  for (const s of trace.downstream) mark(s, "downstream");
  return out;
}

const nodeLabel = (graph: PipelineGraph, id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;

const datasetColumn = (s: TraceStep) => `${s.column} in ${s.dataset?.label ?? "its source"}`;

const unique = (list: string[]) => [...new Set(list)];

/**
 * The trace in one sentence, for people and screen readers: "revenue ← amount in orders.csv via Tidy, Types, …;
 * rows decided by order_id in orders.csv, …; → revenue in warehouse.revenue_by_country".
 */
export function describeTrace(trace: ColumnTrace, graph: PipelineGraph): string {
  const up = trace.upstream.filter((s) => s.transformation.type === "DIRECT");
  const sources = unique(up.filter((s) => s.port === DATASET_PORT).map(datasetColumn));
  // In the order the data flows: furthest upstream first; the sources themselves are named by their files.
  const via = unique(
    [...up]
      .filter((s) => s.port !== DATASET_PORT && s.nodeId !== trace.column.nodeId && !readsDataset(s.nodeId, up))
      .sort((a, b) => b.depth - a.depth)
      .map((s) => nodeLabel(graph, s.nodeId)),
  );
  const rows = unique(trace.upstream.filter((s) => s.transformation.type === "INDIRECT" && s.port === DATASET_PORT).map(datasetColumn));
  const down = unique(trace.downstream.filter((s) => s.port === DATASET_PORT && s.transformation.type === "DIRECT").map(datasetColumn));
  const head = `${trace.column.column} ← ${sources.length ? sources.join(", ") : "no file, table or API column"}${via.length ? ` via ${via.join(", ")}` : ""}`;
  return [head, ...(rows.length ? [`rows decided by ${rows.join(", ")}`] : []), ...(down.length ? [`→ ${down.join(", ")}`] : [])].join("; ");
}

/** A source node (one whose dataset column is on the path) is named by its dataset, not as a "via". */
const readsDataset = (nodeId: string, up: readonly TraceStep[]) => up.some((d) => d.port === DATASET_PORT && d.nodeId === nodeId);

const kind = (t: LineageTransformation) => t.subtype.toLowerCase().replace("_", " ");

/** One output column's origin, e.g. "revenue = sum(amount) from Has an amount", "id: identity of orders.csv.id". */
export function describeOrigin(column: string, origins: readonly LineageOrigin[], lineage: ColumnLineage, graph: PipelineGraph): string {
  const from = (o: LineageOrigin) => (o.from.port === DATASET_PORT ? (lineage.nodes[o.from.nodeId]?.dataset?.label ?? nodeLabel(graph, o.from.nodeId)) : nodeLabel(graph, o.from.nodeId));
  const direct = origins.filter((o) => o.transformation.type === "DIRECT");
  const indirect = origins.filter((o) => o.transformation.type === "INDIRECT");
  const picked = indirect.length ? `; picked by ${unique(indirect.map((o) => `${o.from.column} (${kind(o.transformation)})`)).join(", ")}` : "";
  if (direct.length === 0) return `${column}: no upstream column${picked}`;
  if (direct.every((o) => o.transformation.subtype === "IDENTITY")) return `${column}: identity of ${unique(direct.map((o) => `${from(o)}.${o.from.column}`)).join(", ")}${picked}`;
  const parts = unique(
    direct.map((o) => {
      const d = o.transformation.description;
      const how = o.transformation.subtype === "AGGREGATION" ? `${d ?? "aggregate"}(${o.from.column})` : d ? `${o.from.column} by ${d}` : `${kind(o.transformation)} of ${o.from.column}`;
      return `${how} from ${from(o)}`;
    }),
  );
  return `${column} = ${parts.join(", ")}${picked}`;
}

/** Every output column of a node with its origin, per port (a sink's under "dataset", the columns it writes), and what decides its rows. */
export function nodeOrigins(lineage: ColumnLineage, nodeId: string, graph: PipelineGraph): { port: string; columns: string[]; rows: string | null }[] {
  const node = lineage.nodes[nodeId];
  if (!node) return [];
  return Object.entries(node.ports).map(([port, p]) => ({
    port,
    columns: Object.entries(p.columns).map(([c, list]) => describeOrigin(c, list, lineage, graph)),
    rows: p.rows.length
      ? unique(p.rows.map((o) => `${o.from.column} of ${o.from.port === DATASET_PORT ? (node.dataset?.label ?? nodeLabel(graph, o.from.nodeId)) : nodeLabel(graph, o.from.nodeId)} (${kind(o.transformation)})`)).join(", ")
      : null,
  }));
}
