import type { NodeRanIn, RunEngine } from "@sluice/model";

/** Where a node ran, in the Nodes table's words. */
export const ranInLabel: Record<NodeRanIn, string> = {
  duckdb: "DuckDB (worker)",
  database: "In the database",
  "database-staged": "Copied into the database (COPY)",
  reused: "Reused (not run again)",
};

/** Where a run executed, for the run's summary: "DuckDB in the worker" or "In the database: <connection>". */
export function runEngineLabel(engine: RunEngine | null): string {
  if (!engine) return "–";
  if (engine.engine === "duckdb") return "DuckDB in the worker";
  return `In the database: ${engine.connection?.name ?? "a connection since deleted"}`;
}
