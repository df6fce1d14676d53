import { error, fail, ok, type PipelineEngine, type Result } from "@sluice/model";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { postgresDialect } from "../sql/postgres-dialect.ts";
import { analyzeGraph, type AnalyzeOptions } from "./analyze-graph.ts";
import { pushdownReport } from "./pushdown-report.ts";

/** Node types that name a PostgreSQL connection: in the database they read and write in place. */
const CONNECTED_TYPES = new Set(["postgres", "postgres-sink"]);

/**
 * Sources the worker reads (a file, an HTTP API). With the engine set to "database" their rows are first copied into
 * a temporary table of the run's session with COPY, then everything else runs inside; "auto" never stages them.
 */
export const STAGED_SOURCE_TYPES: ReadonlySet<string> = new Set(["file", "http"]);

export interface EngineChoice {
  /** Where a run executes. */
  engine: "duckdb" | "database";
  /** The pipeline's setting ("auto" when absent). */
  setting: PipelineEngine;
  /** The PostgreSQL connection every source and sink uses, when there is exactly one. */
  connectionId: string | undefined;
  /** For people, to follow "Runs on DuckDB: " or "Runs in the database: ", e.g. "1 node cannot run in the database". */
  reason: string;
  /** Each node that cannot run in the database, and why (shown on the node). */
  notPushable: { nodeId: string; reason: string }[];
  /** With engine "database": the file and HTTP sources whose rows are copied into the database first (STAGED_SOURCE_TYPES). */
  staged: string[];
}

const connectionOf = (config: unknown): string | undefined => {
  const id = (config as { connectionId?: unknown } | undefined)?.connectionId;
  return typeof id === "string" && id !== "" ? id : undefined;
};

/**
 * Where a pipeline runs: DuckDB in the worker, or inside the one PostgreSQL connection that every source and sink
 * uses. "auto" (the default) picks the database when every source reads a table of that one connection, every sink
 * writes to it, and every node can give DuckDB's results there (pushdownReport); "database" insists and is refused with the reasons when it cannot;
 * "duckdb" always runs in the worker. With "database", file and HTTP sources do not stand in the way: their rows are
 * staged into the database with COPY (STAGED_SOURCE_TYPES); "auto" keeps them on DuckDB. Pure: the connections are
 * compared by id, so two connections to the same database count as two.
 */
export function chooseEngine(graph: unknown, env: PipelineEnvironment, options: AnalyzeOptions = {}): Result<EngineChoice> {
  const a = analyzeGraph(graph, env, options);
  const setting: PipelineEngine = a.graph?.engine ?? "auto";
  const duck = (reason: string, notPushable: EngineChoice["notPushable"] = [], connectionId?: string): EngineChoice => ({
    engine: "duckdb",
    setting,
    connectionId,
    reason,
    notPushable,
    staged: [],
  });
  if (!a.index) return ok(duck("the pipeline is not valid yet"));

  const connections = new Set<string>();
  for (const id of a.order) {
    const node = a.index.nodes.get(id)?.node;
    if (node && CONNECTED_TYPES.has(node.type)) {
      const c = connectionOf(a.configs.get(id));
      if (c) connections.add(c);
    }
  }
  const [only] = connections;
  const connectionId = connections.size === 1 ? only : undefined;

  const reported = new Map(pushdownReport(graph, env, postgresDialect, options).map((r) => [r.nodeId, r]));
  const notPushable: EngineChoice["notPushable"] = [];
  const staged: string[] = [];
  for (const id of a.order) {
    const node = a.index.nodes.get(id)?.node;
    if (!node) continue;
    if (setting === "database" && STAGED_SOURCE_TYPES.has(node.type) && reported.has(id)) {
      staged.push(id);
      continue;
    }
    if (CONNECTED_TYPES.has(node.type)) {
      if (connectionId === undefined || connectionOf(a.configs.get(id)) !== connectionId) {
        notPushable.push({ nodeId: id, reason: "its connection is not the one the rest of the pipeline uses" });
      } else if ((a.configs.get(id) as { mode?: string }).mode === "query") {
        // The worker runs a query source in a read-only transaction of its own; the run's transaction writes.
        notPushable.push({ nodeId: id, reason: "a query source runs in a read-only transaction of its own; read a table to run in the database" });
      } else if (((a.configs.get(id) as { watermarkColumn?: string }).watermarkColumn ?? "") !== "") {
        // The worker reads only the new rows and reports the range it read, which the run stores (docs/incremental.md).
        notPushable.push({ nodeId: id, reason: "an incremental source is read by the worker, which keeps its watermark" });
      }
      continue;
    }
    const r = reported.get(id);
    if (!r) notPushable.push({ nodeId: id, reason: "its settings have problems" });
    else if (!r.ok) notPushable.push({ nodeId: id, reason: r.reason });
  }

  if (setting === "duckdb") return ok(duck("the pipeline is set to run on DuckDB", notPushable, connectionId));
  // People know nodes by their labels; the ids only where a node has none.
  const nameOf = (id: string) => a.index!.nodes.get(id)?.node?.label?.trim() || id;
  const names = (ids: string[]) => ids.map(nameOf).join(", ");
  const why =
    connections.size === 0
      ? "no source or sink is a PostgreSQL table"
      : connections.size > 1
        ? `its sources and sinks use ${connections.size} different connections`
        : notPushable.length
          ? `${notPushable.length === 1 ? "1 node" : `${notPushable.length} nodes`} cannot run in the database`
          : undefined;
  // "auto" reads "every source is on the connection" strictly: rows typed into the pipeline (an inline table) are not.
  const inPipeline = a.order.filter((id) => {
    const entry = a.index!.nodes.get(id);
    return entry?.def?.category === "source" && entry.node?.type !== "postgres" && !notPushable.some((n) => n.nodeId === id);
  });
  const copied = staged.length ? ` (${staged.length === 1 ? "source" : "sources"} ${names(staged)} copied in first)` : "";
  if (why === undefined && setting === "auto" && inPipeline.length) {
    return ok(duck(`source ${inPipeline.join(", ")} is not on the PostgreSQL connection (set the engine to "database" to run there anyway)`, notPushable, connectionId));
  }
  if (why === undefined) {
    const reason = setting === "database" ? `the pipeline is set to run in the database${copied}` : "every source and sink is on one PostgreSQL connection and every node can run there";
    return ok({ engine: "database", setting, connectionId, reason, notPushable, staged });
  }
  if (setting === "auto" && connections.size === 1 && notPushable.length) {
    return ok(duck(autoReason(notPushable.map((n) => n.nodeId), (id) => a.index!.nodes.get(id)?.node?.type, names), notPushable, connectionId));
  }
  if (setting === "database") {
    const nodes = notPushable.map((n) => `${n.nodeId}: ${n.reason}`).join("; ");
    return fail(error("ENGINE_DATABASE_UNAVAILABLE", `The pipeline is set to run in the database, but ${why}${nodes ? ` (${nodes})` : ""}.`, { field: "engine" }));
  }
  return ok(duck(why, notPushable, connectionId));
}

/**
 * Why "auto" stays on DuckDB when some nodes cannot run in the database, naming them. Sources the worker reads (files,
 * HTTP APIs) are not a dead end: "In the database" copies them in first, so when they are all that stands in the
 * way the reason says so rather than "cannot run in the database".
 */
function autoReason(ids: string[], typeOf: (id: string) => string | undefined, names: (ids: string[]) => string): string {
  const staged = ids.filter((id) => STAGED_SOURCE_TYPES.has(typeOf(id) ?? ""));
  const others = ids.filter((id) => !staged.includes(id));
  if (others.length) return `${others.length === 1 ? "1 node" : `${others.length} nodes`} cannot run in the database (${names(others)})`;
  const types = new Set(staged.map(typeOf));
  const kind = types.size > 1 ? "file and HTTP API sources" : types.has("http") ? "HTTP API source" : "file source";
  const many = staged.length > 1;
  return `${kind}${many && types.size === 1 ? "s" : ""} (${names(staged)}) ${many ? "are" : "is"} read by the worker; choose In the database to copy ${many ? "them" : "it"} in first`;
}
