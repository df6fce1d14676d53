import type { Column } from "@sluice/model";

/**
 * Column lineage in OpenLineage's vocabulary (the column lineage dataset facet, "transformations"), so an emitter maps
 * it 1:1. DIRECT: the input's values flow into the output column; INDIRECT: the input decides which rows there are,
 * their order or grouping, or which value a column takes, without its values flowing in.
 */
export type DirectSubtype = "IDENTITY" | "TRANSFORMATION" | "AGGREGATION";
export type IndirectSubtype = "JOIN" | "FILTER" | "GROUP_BY" | "SORT" | "WINDOW" | "CONDITIONAL";
export type LineageTransformation =
  | { type: "DIRECT"; subtype: DirectSubtype; description?: string; masking?: boolean }
  | { type: "INDIRECT"; subtype: IndirectSubtype; description?: string; masking?: boolean };

/**
 * The pseudo-port of the dataset outside the pipeline: the file, table or API a source reads (its columns' origins
 * are on this port), and the table or file a sink writes (a sink's lineage is keyed by it).
 */
export const DATASET_PORT = "dataset";

/** One input column a node reads: its input port (or DATASET_PORT), which edge into that port (edge order, from 0), its name. */
export interface InputColumn {
  port: string;
  edge: number;
  column: string;
}

export interface ColumnOrigin extends InputColumn {
  transformation: LineageTransformation;
}

export interface PortLineage {
  /** Per output column: the input columns it derives from (DIRECT), and those that pick its value (INDIRECT CONDITIONAL, WINDOW). */
  columns: Record<string, ColumnOrigin[]>;
  /** Input columns that decide which rows the port has, or their order or grouping, for every column (INDIRECT). */
  rows: ColumnOrigin[];
}

/** A node's lineage per output port; a sink's under DATASET_PORT, the columns it writes. */
export type NodeLineage = Record<string, PortLineage>;

export const IDENTITY: LineageTransformation = { type: "DIRECT", subtype: "IDENTITY" };

export const direct = (subtype: DirectSubtype, description?: string): LineageTransformation =>
  description === undefined ? { type: "DIRECT", subtype } : { type: "DIRECT", subtype, description };

export const indirect = (subtype: IndirectSubtype, description?: string): LineageTransformation =>
  description === undefined ? { type: "INDIRECT", subtype } : { type: "INDIRECT", subtype, description };

/** `column` of the first edge into input port `port` (or of edge `edge`), read as `transformation`. */
export const origin = (column: string, transformation: LineageTransformation, port = "in", edge = 0): ColumnOrigin => ({ port, edge, column, transformation });

/** The lineage of a port whose columns are its input's, unchanged: each from itself, IDENTITY. */
export function passThrough(columns: readonly Column[], rows: ColumnOrigin[] = [], port = "in", edge = 0): PortLineage {
  return { columns: Object.fromEntries(columns.map((c) => [c.name, [origin(c.name, IDENTITY, port, edge)]])), rows };
}

/** The same input columns, each read as `transformation`, without repeats. */
export const readAs = (names: readonly string[], transformation: LineageTransformation, port = "in", edge = 0): ColumnOrigin[] =>
  [...new Set(names)].map((n) => origin(n, transformation, port, edge));

const STRENGTH: Record<DirectSubtype, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

/**
 * The transformation of reading, as `outer`, a value that came about as `inner`: a chain is as direct as its least
 * direct step, and as strong as its strongest (an aggregate of a transformed value is an aggregation). An INDIRECT step
 * makes the whole chain indirect, with that step's subtype (a filter on a derived column is a filter).
 */
export function compose(outer: LineageTransformation, inner: LineageTransformation): LineageTransformation {
  if (outer.type === "INDIRECT") return outer;
  if (inner.type === "INDIRECT") return inner;
  return STRENGTH[inner.subtype] > STRENGTH[outer.subtype] ? inner : outer;
}

const originKey = (o: ColumnOrigin) => `${o.port}\u0000${o.edge}\u0000${o.column}\u0000${o.transformation.type}\u0000${o.transformation.subtype}`;

/** The origins without repeats (same input column read the same way), first kept. */
export function uniqueOrigins(list: readonly ColumnOrigin[]): ColumnOrigin[] {
  const seen = new Map<string, ColumnOrigin>();
  for (const o of list) if (!seen.has(originKey(o))) seen.set(originKey(o), o);
  return [...seen.values()];
}
