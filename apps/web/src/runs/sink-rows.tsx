import type { PipelineGraph } from "@sluice/model";
import { useSinkRows } from "../api/runs.queries.ts";
import { DataGrid } from "../components/data-grid.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatDateTime } from "../lib/format-time.ts";

const SINK_TYPES = new Set(["postgres-sink", "file-sink"]);

/** The sink nodes of a graph, in the graph's order: what a run wrote. */
export const sinkNodes = (graph: PipelineGraph) => graph.nodes.filter((n) => SINK_TYPES.has(n.type));

/**
 * The first rows one sink wrote, read back from its table or file, so the result can be checked here. A table
 * is read as it is now: a later run or another program may have changed it since, which the heading says.
 */
export function SinkRows({ runId, nodeId, label }: { runId: string; nodeId: string; label: string }) {
  const rows = useSinkRows(runId, nodeId);
  return (
    <section aria-label={`What ${label} wrote`} data-testid={`sink-rows-${nodeId}`} className="rounded-lg border border-slate-200 bg-white">
      <header className="flex flex-wrap items-baseline gap-x-2 border-b border-slate-200 px-3 py-2 text-sm">
        <h3 className="font-medium">{label}</h3>
        {rows.data && (
          <span className="text-slate-600">
            {rows.data.target.kind === "table" ? "table" : "file"} <span className="font-mono" data-testid="sink-target">{rows.data.target.name}</span> · first {rows.data.rows.length} rows, read{" "}
            {formatDateTime(rows.data.readAt)}
          </span>
        )}
      </header>
      {rows.isPending ? (
        <div className="p-3">
          <Spinner label={`Reading what ${label} wrote`} />
        </div>
      ) : rows.error ? (
        <p role="status" className="px-3 py-2 text-sm text-amber-800">
          Cannot show what {label} wrote: {rows.error.message}
        </p>
      ) : rows.data.rows.length === 0 ? (
        <p className="px-3 py-2 text-sm text-slate-600">The {rows.data.target.kind} is empty.</p>
      ) : (
        <div className="h-72">
          <DataGrid columns={rows.data.columns} rows={rows.data.rows} label={`Rows ${label} wrote`} />
        </div>
      )}
    </section>
  );
}
