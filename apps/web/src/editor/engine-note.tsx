/** In the inspector, why the selected node cannot run in the database (the canvas card only says that it cannot). */
export function EngineNote({ reason }: { reason: string | undefined }) {
  if (!reason) return null;
  return (
    <p role="note" data-testid="inspector-engine-note" className="mx-3 mt-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-700">
      <strong>Cannot run in the database:</strong> {reason}. While it is in the pipeline, runs go to DuckDB on Automatic and are refused when set to In the database.
    </p>
  );
}
