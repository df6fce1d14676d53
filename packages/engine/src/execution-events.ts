import type { CheckResult, NodeRanIn } from "@sluice/model";
import type { WatermarkMove } from "./connectors/postgres-watermark.ts";

/** A node's state in a run; the same words as a run's status. */
export type NodeStatus = "running" | "succeeded" | "failed" | "cancelled";

/** How a node's rows were kept during the run. */
export type NodeStorage = "table" | "view" | "load" | "sink";

export interface NodeEvent {
  type: "node";
  nodeId: string;
  status: NodeStatus;
  /** Rows the node read; null when an input was streamed (a view) and so never counted. */
  rowsIn: number | null;
  /** Rows the node produced (a sink: rows written); null while running, and for a streamed node. */
  rowsOut: number | null;
  durationMs: number | null;
  /** For people; null unless failed. */
  error: string | null;
  /** SCREAMING_SNAKE code of the failure, when failed. */
  code?: string;
  startedAt: Date;
  finishedAt?: Date;
  /**
   * Where the node ran, when not where the whole run did: "database-staged" for a file or HTTP source a run in the
   * database loads into a staging table with COPY. Absent: DuckDB for executePipeline, the database for executeInDatabase.
   */
  ranIn?: NodeRanIn;
}

export interface LogEvent {
  type: "log";
  level: "info" | "warn" | "error";
  message: string;
  nodeId?: string;
}

/** A check node's rules were evaluated; sent before the node finishes or fails. */
export interface ChecksEvent {
  type: "checks";
  nodeId: string;
  results: CheckResult[];
}

/**
 * An incremental source read the rows between `before` and `after`; sent once its load is done and before any sink
 * runs, so the run can record the range durably before a sink commits (docs/incremental.md).
 */
export interface WatermarkEvent extends WatermarkMove {
  type: "watermark";
  nodeId: string;
}

export type ExecutionEvent = NodeEvent | LogEvent | ChecksEvent | WatermarkEvent;

/** Polled a few times a second while a step runs; kept apart from events because it is frequent and lossy. */
export interface ExecutionProgress {
  nodeId: string;
  /** 1-based position of the running step, and how many steps the run has. */
  step: number;
  steps: number;
  /** DuckDB's own estimate for the running statement, when it has one. */
  percent: number | null;
}

/** What a run recorded about one node, also returned in the run's result. */
export interface NodeStats {
  nodeId: string;
  label: string;
  status: NodeStatus;
  storage: NodeStorage;
  rowsIn: number | null;
  rowsOut: number | null;
  durationMs: number | null;
  error: string | null;
}
