import type { EngineChoiceInfo } from "@sluice/model";

/**
 * Where a run of the pipeline would execute, from validation: "Runs on DuckDB" or "Runs in your database", the why
 * and each node that cannot run in the database on hover. Said only when the database was an option or was asked
 * for: a pipeline with no PostgreSQL source or sink runs on DuckDB without a word.
 */
export function EngineBadge({ engine, nodeLabel }: { engine: EngineChoiceInfo | undefined; nodeLabel: (nodeId: string) => string }) {
  if (!engine || (engine.engine === "duckdb" && engine.setting === "auto" && engine.reason.startsWith("no source or sink"))) return null;
  const inDatabase = engine.engine === "database";
  const title = [
    `${inDatabase ? "Runs in the database" : "Runs on DuckDB"}: ${engine.reason}.`,
    ...engine.notPushable.map((n) => `${nodeLabel(n.nodeId)}: ${n.reason}.`),
  ].join("\n");
  return (
    <span
      data-testid="engine-badge"
      title={title}
      className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-medium ${inDatabase ? "bg-cyan-100 text-cyan-900" : "bg-slate-100 text-slate-700"}`}
    >
      {inDatabase ? "Runs in your database" : "Runs on DuckDB"}
      <span className="sr-only"> ({title})</span>
    </span>
  );
}
