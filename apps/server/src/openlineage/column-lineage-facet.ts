import { compose, DATASET_PORT, IDENTITY, type ColumnLineage, type ColumnRef, type LineageTransformation } from "@sluice/pipeline";
import type { InputField } from "./openlineage.types.ts";

/** An input column of a dataset outside the pipeline, reached from some column by a chain of steps read as `how`. */
interface Reached {
  field: InputField;
  how: LineageTransformation;
}

const refKey = (r: ColumnRef) => `${r.nodeId}\u0000${r.port}\u0000${r.column}`;
const reachedKey = (r: Reached) => `${r.field.namespace}\u0000${r.field.name}\u0000${r.field.field}\u0000${r.how.type}\u0000${r.how.subtype}`;

function unique(list: Reached[]): Reached[] {
  const seen = new Map<string, Reached>();
  for (const r of list) if (!seen.has(reachedKey(r))) seen.set(reachedKey(r), r);
  return [...seen.values()];
}

/** One InputField per dataset column, listing each distinct way it is reached (e.g. AGGREGATION and FILTER). */
function toInputFields(list: Reached[]): InputField[] {
  const byField = new Map<string, InputField & { transformations: NonNullable<InputField["transformations"]> }>();
  for (const r of list) {
    const k = `${r.field.namespace}\u0000${r.field.name}\u0000${r.field.field}`;
    const f = byField.get(k) ?? { ...r.field, transformations: [] };
    f.transformations.push({ ...r.how });
    byField.set(k, f);
  }
  return [...byField.values()];
}

/**
 * Follows the per-node lineage (one step back each, from @sluice/pipeline's columnLineage) to the columns of the
 * datasets the pipeline reads, composing each step's transformation, for OpenLineage's column lineage facet: per
 * column a sink writes, the dataset columns it comes from (`fields`), and those that decide its rows (`dataset`).
 * Memoized per column, so diamonds in the graph cost nothing extra. A source without a dataset (inline rows, a query)
 * ends a chain: OpenLineage has no name for it. Not traceColumn: that keeps one relation per column (the most direct,
 * for the editor), while the facet lists every way a column is used, e.g. `amount` summed into `revenue` and filtered on.
 */
export function sinkColumnLineage(lineage: ColumnLineage, sinkId: string) {
  const columnMemo = new Map<string, Reached[]>();
  const rowMemo = new Map<string, Reached[]>();

  function fromColumn(ref: ColumnRef, path: Set<string>): Reached[] {
    const key = refKey(ref);
    const known = columnMemo.get(key);
    if (known) return known;
    if (path.has(key)) return []; // cannot happen in a valid graph; guards a malformed declaration
    const node = lineage.nodes[ref.nodeId];
    if (!node) return [];
    if (ref.port === DATASET_PORT && ref.nodeId !== sinkId) {
      const reached = node.dataset ? [{ field: { namespace: node.dataset.namespace, name: node.dataset.name, field: ref.column }, how: IDENTITY }] : [];
      columnMemo.set(key, reached);
      return reached;
    }
    path.add(key);
    const origins = node.ports[ref.port]?.columns[ref.column] ?? [];
    const reached = unique(origins.flatMap((o) => fromColumn(o.from, path).map((r) => ({ field: r.field, how: compose(o.transformation, r.how) }))));
    path.delete(key);
    columnMemo.set(key, reached);
    return reached;
  }

  /** What decides the rows of a node's port: its own row origins, and those of every port feeding it. */
  function fromRows(nodeId: string, port: string, path: Set<string>): Reached[] {
    const key = `${nodeId}\u0000${port}`;
    const known = rowMemo.get(key);
    if (known) return known;
    if (path.has(key)) return [];
    const p = lineage.nodes[nodeId]?.ports[port];
    if (!p) return [];
    path.add(key);
    const own = p.rows.flatMap((o) => fromColumn(o.from, new Set()).map((r) => ({ field: r.field, how: compose(o.transformation, r.how) })));
    const feeding = new Map<string, ColumnRef>();
    for (const o of [...Object.values(p.columns).flat(), ...p.rows]) if (o.from.port !== DATASET_PORT || o.from.nodeId === sinkId) feeding.set(`${o.from.nodeId}\u0000${o.from.port}`, o.from);
    const upstream = [...feeding.values()].flatMap((f) => fromRows(f.nodeId, f.port, path));
    path.delete(key);
    const reached = unique([...own, ...upstream]);
    rowMemo.set(key, reached);
    return reached;
  }

  const sink = lineage.nodes[sinkId]?.ports[DATASET_PORT];
  if (!sink) return undefined;
  const fields: Record<string, { inputFields: InputField[] }> = {};
  for (const column of Object.keys(sink.columns)) fields[column] = { inputFields: toInputFields(fromColumn({ nodeId: sinkId, port: DATASET_PORT, column }, new Set())) };
  return { fields, dataset: toInputFields(fromRows(sinkId, DATASET_PORT, new Set())) };
}
