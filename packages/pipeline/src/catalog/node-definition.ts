import type { z } from "zod";
import type { Column, ColumnType, Issue, Result } from "@sluice/model";
import type { ResolvedParameters } from "../graph/resolve-parameters.ts";
import type { Dialect } from "../sql/dialect.ts";
import { quoteIdent } from "../sql/quote.ts";
import type { NodeLineage } from "./node-lineage.ts";

export type NodeCategory =
  | "source"
  | "structure"
  | "clean"
  | "types"
  | "compute"
  | "combine"
  | "summarize"
  | "quality"
  | "sink";

export interface PortSpec {
  /** Stable id used in edges: "in", "out", "left", "right", "rejects". */
  name: string;
  label: string;
  /** Inputs only: how many edges may end at this port (default exactly 1). */
  minEdges?: number;
  maxEdges?: number;
}

/** Metadata of an uploaded data file, captured at upload time by the server. */
export interface DataFileInfo {
  id: string;
  name: string;
  /** Absolute path DuckDB reads; only the server and engine ever fill this in. */
  path: string;
  format: "csv" | "tsv" | "json" | "ndjson" | "parquet";
  columns: Column[];
  /** How the file was parsed at upload; a file source reads it the same way unless its config overrides an option. */
  options?: DataFileOptions;
  /** Rows counted at upload, when known. */
  rowCount?: number | null;
  /** Why the file must not be read, found after upload (e.g. one stored before a limit existed); a file source refuses it. */
  unreadable?: { code: string; message: string };
}

/**
 * Parsing options detected at upload. All but `offsetTimestamps` apply to CSV and TSV only.
 * A type alias, not an interface, so it fits JSON-shaped records (an index signature) as stored.
 */
export type DataFileOptions = {
  delimiter?: string;
  header?: boolean;
  /** "" means no quoting. */
  quote?: string;
  escape?: string;
  nullStrings?: string[];
  /** Lines before the header (e.g. a title line). */
  skip?: number;
  comment?: string;
  /** strftime formats DuckDB detected, e.g. "%d/%m/%Y"; absent means ISO 8601. */
  dateFormat?: string;
  timestampFormat?: string;
  /** Timestamp columns whose values carry UTC offsets: read as instants, stored as UTC. */
  offsetTimestamps?: string[];
};

/**
 * What the surroundings know about the outside world. Lookups are synchronous: the server
 * fetches file metadata and database catalogs first, so validation stays pure and runs in the browser too.
 */
export interface PipelineEnvironment {
  file(fileId: string): DataFileInfo | undefined;
  /**
   * The uploaded files a file source with a name pattern reads (`files`, in upload order: in a run of an `onlyNew`
   * source only those not read before), and `shape`, the first of every matching file, which gives the columns when
   * `files` is empty. Undefined where uploads are not known (the CLI's local runs, the browser).
   */
  filesMatching?(nodeId: string): { files: DataFileInfo[]; shape?: DataFileInfo | undefined } | undefined;
  /** Columns of an external source node (postgres, http) resolved before validation, if any. */
  sourceColumns(nodeId: string): Result<Column[]> | undefined;
}

export interface InferContext {
  nodeId: string;
  /** Per input port, the schema of each upstream output connected to it, in edge order. */
  inputs: Record<string, Column[][]>;
  env: PipelineEnvironment;
  /** The pipeline's parameters with this run's values (defaults in previews), for param('name') in expressions. */
  params?: ResolvedParameters | undefined;
}

export interface CompileContext extends InferContext {
  /** Per input port, the (already quoted) relation names of the upstream steps, in edge order. */
  relations: Record<string, string[]>;
  /** The schema this node's own inferSchema returned, per output port. */
  outputs: Record<string, Column[]>;
  /** The SQL dialect to emit: every engine-specific piece of SQL comes from it (sql/dialect.ts). */
  dialect: Dialect;
  /**
   * False when nothing downstream observes the order of this node's rows (graph/row-order.ts): the node may
   * then give its rows in any order and leave the row-order column unnumbered. Absent means observed.
   */
  orderObserved?: boolean;
}

/** What a node's lineage is worked out from: its inputs, and the output columns its inferSchema gave. */
export interface LineageContext extends InferContext {
  outputs: Record<string, Column[]>;
}

/**
 * What a node does with the order of its input rows (docs/engine.md, "Row order"): "keeps": its output order
 * follows its inputs' order and it depends on that order for nothing else (filter, derive, join, group without
 * first or last); "uses": its result depends on input order (limit, sort's ties, dedupe's first or last, a
 * file sink); "ignores": neither its rows nor their order depend on input order (a database sink).
 */
export type RowOrderUse = "keeps" | "uses" | "ignores";

/**
 * How a node produces rows. Every relation a step produces carries the hidden BIGINT column
 * ROW_ORDER_COLUMN, which fixes row order so each node is deterministic; schemas never list it.
 */
export type CompiledStep =
  | {
      kind: "query";
      outputs: Record<string, string>;
      /**
       * For outputs whose rows come in row order (a file's as read, a join's sorted): the same SELECT without the
       * row order column. A run that stores such an output numbers its rows by position, which costs nothing,
       * instead of by a window as they stream (which keeps the whole statement on one thread: about half the
       * cost of reading a file, a third of a join).
       */
      unnumbered?: Record<string, string>;
      /** A source's row count known before reading it (a file's, counted at upload): previews of big sources go straight to samples. */
      knownRows?: number;
      checks?: CompiledCheck[];
      becameNull?: CompiledBecameNull;
    }
  /** Rows come from outside DuckDB (a database, an API); the engine fetches them. */
  | { kind: "load"; source: "postgres" | "http"; spec: Record<string, unknown> }
  /**
   * Rows leave the pipeline; `input` is a SELECT over the upstream relation in row order. `inputAsStored`
   * is the same without the sort, for the engine to use when it has found the relation stored in row order.
   */
  | { kind: "sink"; target: "postgres" | "file"; spec: Record<string, unknown>; input: string; inputAsStored?: string };

/**
 * A data quality rule as SQL over the step's inputs (a check node's). The engine counts the failing rows,
 * keeps a few, and stops the run before any sink when a "fail" rule fails.
 */
export interface CompiledCheck {
  index: number;
  /** The rule as people read it, or the name the user gave it. */
  rule: string;
  kind: string;
  severity: "warn" | "fail";
  /** A SELECT of the failing rows, with every input column and the row-order column; absent for row-count rules. */
  failingRows?: string;
  /** Row-count rules: the bounds, inclusive, on the number of input rows. */
  rowCount?: { min?: number | undefined; max?: number | undefined };
}

/**
 * Values a step turns into nulls on purpose (retype with onError "null"): the engine counts them, so that a
 * conversion that nulls a column is said in the preview, on the node and in the run log, never silent.
 */
export interface CompiledBecameNull {
  /**
   * One row over the step's inputs: for column i, BIGINT `values_i` (non-null values in) and `nulled_i` (of those,
   * nulls out). It evaluates every conversion again: for when the output is not stored (a view).
   */
  counts: string;
  /** The output whose rows are the input's rows one for one, each column named in `columns` holding its converted values. */
  port: string;
  /** The input relation the values come from. */
  input: string;
  /** Column i's name (the same in the input and the output), and the config field it is set in (where a warning points). */
  columns: { column: string; field: string }[];
}

/**
 * The same row as `counts`, from `output`, the stored relation of the spec's port: non-null values in minus non-null
 * values out, per column. Two plain scans instead of every conversion again; exact because a null converts to null.
 */
export function becameNullFromOutput(spec: CompiledBecameNull, output: string): string {
  const count = (alias: string) => spec.columns.map((c, i) => `count(${quoteIdent(c.column)})::BIGINT AS ${alias}_${i}`).join(", ");
  const picked = spec.columns.map((_, i) => `i.values_${i}, i.values_${i} - o.kept_${i} AS nulled_${i}`).join(", ");
  return `SELECT ${picked} FROM (SELECT ${count("values")} FROM ${spec.input}) AS i CROSS JOIN (SELECT ${count("kept")} FROM ${output}) AS o`;
}

/**
 * Brings a node's stored config from version `from` to `from + 1`. Pure: it gets a copy it may not keep, returns the
 * new config, and never reads anything else (files, databases, the clock); it throws only when the config cannot be
 * read at all, which loading reports as an issue on the node. Old configs it receives are unchecked JSON.
 */
export interface NodeMigration {
  from: number;
  up(config: Record<string, unknown>): Record<string, unknown>;
}

export interface NodeDefinition<C = unknown> {
  type: string;
  /**
   * The current version of the type's settings, stored on every node as `typeVersion`. Bump it with every change
   * that an older config would not read the same under, and add the migration from the previous version.
   */
  version: number;
  /** Exactly one per older version, in order: from 1, 2, … version - 1 (the registry test checks it). */
  migrations?: readonly NodeMigration[];
  category: NodeCategory;
  label: string;
  description: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  configSchema: z.ZodType<C>;
  defaultConfig: C;
  /** One line for the node card, e.g. "inner join on customer_id". */
  summary(config: C): string;
  /** Output columns per output port, or the problems that prevent knowing them. */
  inferSchema(ctx: InferContext, config: C): Result<Record<string, Column[]>>;
  /**
   * Where each output column comes from (docs/lineage.md): per output port (a sink: DATASET_PORT, what it writes), per
   * column, the input columns it derives from, and the input columns that decide its rows. Asked only after
   * inferSchema succeeded, with the columns it gave. Required, so a node type cannot leave lineage out.
   */
  lineage(ctx: LineageContext, config: C): NodeLineage;
  /**
   * Warnings about a config that works but may not do what its author means, found from the config alone, e.g. a
   * filter rule with no value yet, which is left out. Validation reports them beside inferSchema's problems; they
   * block nothing.
   */
  warnings?(config: C): Issue[];
  compile(ctx: CompileContext, config: C): CompiledStep;
  /**
   * Whether this config can run inside a database with the same results as on DuckDB, when the node itself knows it
   * cannot (a source that reads a file). Settings a dialect cannot express are found by compiling for it
   * (catalog/pushdown.ts); absent means pushable as far as the node knows.
   */
  pushdown?(config: C): Pushdown;
  /**
   * True when the "out" port always has exactly as many rows as came in (summed over all inputs): a view of
   * such a node needs no storing to be counted, so the engine can stream it and still report exact row counts.
   */
  keepsRowCount?(config: C): boolean;
  /**
   * How cheaply the "out" port can be computed again from its inputs, so the engine may skip storing it when
   * those inputs are stored: "projection" for per-row work that keeps every row (derive, select): any number
   * of readers may compute it; "row-filter" for a per-row test that drops rows (filter): counted by a quick
   * pass instead of being stored. Absent: store it unless it streams into a single reader (keepsRowCount).
   */
  recompute?(config: C): "projection" | "row-filter" | undefined;
  /** See RowOrderUse; absent means "keeps". */
  rowOrder?(config: C): RowOrderUse;
}

/** Erases the config type so definitions of different nodes fit in one list. */
export type AnyNodeDefinition = NodeDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whether a node runs in a database with DuckDB's results, or why not. */
export type Pushdown = { ok: true } | { ok: false; reason: string };

export const defineNode = <C>(def: NodeDefinition<C>): NodeDefinition<C> => def;

export const ROW_ORDER_COLUMN = "__sluice_row";

export type { Column, ColumnType, Issue };
