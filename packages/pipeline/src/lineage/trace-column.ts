import { DATASET_PORT, compose, type LineageTransformation } from "../catalog/node-lineage.ts";
import type { ColumnLineage, ColumnRef } from "./column-lineage.ts";
import type { DatasetRef } from "./dataset-name.ts";

/** A column reached from the traced one, and how it relates: composed along the most direct path found. */
export interface TraceStep extends ColumnRef {
  /** Upstream: how the traced column derives from this one; downstream: how this one derives from the traced column. */
  transformation: LineageTransformation;
  /** Steps from the traced column (1: an immediate origin or reader). */
  depth: number;
  /** On a DATASET_PORT step: the file, table or API column it is (a source's input, a sink's output). */
  dataset?: DatasetRef;
}

export interface ColumnTrace {
  column: ColumnRef;
  /** Every column the traced one comes from, back to the source datasets' columns. */
  upstream: TraceStep[];
  /** Every column that comes from the traced one, down to the sinks' datasets' columns. */
  downstream: TraceStep[];
}

export interface TraceOptions {
  /** Follow INDIRECT origins too (filter conditions, join keys, group keys…); default true. */
  indirect?: boolean;
}

const key = (r: ColumnRef) => `${r.nodeId}\u0000${r.port}\u0000${r.column}`;

interface Link {
  to: ColumnRef;
  transformation: LineageTransformation;
}

/** One step back from each column: its own origins, and its port's row origins. */
function upstreamLinks(lineage: ColumnLineage, indirect: boolean): (r: ColumnRef) => Link[] {
  return (r) => {
    const port = lineage.nodes[r.nodeId]?.ports[r.port];
    if (!port) return [];
    const list = [...(port.columns[r.column] ?? []), ...(indirect ? port.rows : [])];
    return list.filter((o) => indirect || o.transformation.type === "DIRECT").map((o) => ({ to: o.from, transformation: o.transformation }));
  };
}

/** The reverse: per column, the columns that read it. */
function downstreamLinks(lineage: ColumnLineage, indirect: boolean): (r: ColumnRef) => Link[] {
  const readers = new Map<string, Link[]>();
  for (const [nodeId, node] of Object.entries(lineage.nodes)) {
    for (const [port, p] of Object.entries(node.ports)) {
      const names = Object.keys(p.columns);
      for (const column of names) {
        const to = { nodeId, port, column };
        const from = [...(p.columns[column] ?? []), ...(indirect ? p.rows : [])];
        for (const o of from) {
          if (!indirect && o.transformation.type !== "DIRECT") continue;
          const k = key(o.from);
          // Appended in place: a column read by every column of a wide port (a filter's condition) has thousands
          // of readers, and copying the list per reader made the whole index cubic in the port's width.
          const list = readers.get(k);
          if (list) list.push({ to, transformation: o.transformation });
          else readers.set(k, [{ to, transformation: o.transformation }]);
        }
      }
    }
  }
  return (r) => readers.get(key(r)) ?? [];
}

const moreDirect = (a: LineageTransformation, b: LineageTransformation) => a.type === "DIRECT" && b.type === "INDIRECT";

function walk(lineage: ColumnLineage, start: ColumnRef, links: (r: ColumnRef) => Link[], upstream: boolean): TraceStep[] {
  const found = new Map<string, TraceStep>();
  const queue: { ref: ColumnRef; transformation: LineageTransformation | undefined; depth: number }[] = [{ ref: start, transformation: undefined, depth: 0 }];
  while (queue.length) {
    const { ref, transformation, depth } = queue.shift()!;
    for (const link of links(ref)) {
      // Upstream, the traced column is `transformation` of ref, which is link's of link.to; downstream the other way round.
      const t = transformation === undefined ? link.transformation : upstream ? compose(transformation, link.transformation) : compose(link.transformation, transformation);
      const k = key(link.to);
      const had = found.get(k);
      if (k === key(start) || (had && !moreDirect(t, had.transformation))) continue;
      const dataset = link.to.port === DATASET_PORT ? lineage.nodes[link.to.nodeId]?.dataset : undefined;
      found.set(k, { ...link.to, transformation: t, depth: depth + 1, ...(dataset ? { dataset } : {}) });
      queue.push({ ref: link.to, transformation: t, depth: depth + 1 });
    }
  }
  return [...found.values()].sort((a, b) => a.depth - b.depth);
}

/**
 * Where a column comes from and where it goes, through every node, to source file, table or API columns upstream
 * and sink table or file columns downstream. `column.port` defaults to "out" (DATASET_PORT for a sink's table).
 */
export function traceColumn(lineage: ColumnLineage, column: { nodeId: string; port?: string; column: string }, options: TraceOptions = {}): ColumnTrace {
  const indirect = options.indirect ?? true;
  const port = column.port ?? (lineage.nodes[column.nodeId]?.ports.out ? "out" : DATASET_PORT);
  const start: ColumnRef = { nodeId: column.nodeId, port, column: column.column };
  return {
    column: start,
    upstream: walk(lineage, start, upstreamLinks(lineage, indirect), true),
    downstream: walk(lineage, start, downstreamLinks(lineage, indirect), false),
  };
}
