import type { DatabaseOption, EngineChoiceInfo, PipelineEngine } from "@sluice/model";

export interface EngineStatus {
  /** What the toolbar says: "Runs on DuckDB", "Runs in your database" or "Cannot run in the database". */
  label: string;
  /** Why, as a sentence. */
  reason: string;
  tone: "duckdb" | "database" | "refused";
  /** Each node that cannot run in the database, and why. */
  nodes: { nodeId: string; reason: string }[];
}

/**
 * Whether the editor speaks of engines at all: not while the graph has errors of its own, and not for a pipeline
 * left on Automatic with no PostgreSQL source or sink (it runs on DuckDB and there is nothing to choose).
 */
export function engineShown(setting: PipelineEngine, engine: EngineChoiceInfo | undefined): boolean {
  if (!engine) return setting === "database";
  return !(engine.engine === "duckdb" && setting === "auto" && engine.reason.startsWith("no source or sink"));
}

const sentence = (s: string) => (s.endsWith(".") ? s : `${s}.`);

/** Where a run would go and why, from validation; set to the database and refused, why not. */
export function engineStatus(setting: PipelineEngine, engine: EngineChoiceInfo | undefined, database: DatabaseOption | undefined): EngineStatus {
  const nodes = database?.notPushable ?? engine?.notPushable ?? [];
  if (!engine) {
    return { label: "Cannot run in the database", reason: sentence(database?.unavailable ?? "the problems list says why"), tone: "refused", nodes };
  }
  const inDatabase = engine.engine === "database";
  return { label: inDatabase ? "Runs in your database" : "Runs on DuckDB", reason: sentence(engine.reason), tone: inDatabase ? "database" : "duckdb", nodes };
}

/**
 * The note each node that cannot run in the database carries on the canvas and in the inspector: only where the
 * database was an option or was asked for (not on a pipeline set to DuckDB, where it would be noise).
 */
export function nodeEngineNotes(setting: PipelineEngine, engine: EngineChoiceInfo | undefined, database: DatabaseOption | undefined): Map<string, string> {
  if (setting === "duckdb" || !engineShown(setting, engine)) return new Map();
  return new Map(engineStatus(setting, engine, database).nodes.map((n) => [n.nodeId, n.reason]));
}
