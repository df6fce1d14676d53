import type { PipelineGraph } from "@sluice/model";
import { DATASET_PORT, type ColumnLineage } from "@sluice/pipeline";
import { nodeOrigins } from "./trace-view.ts";

/** In the inspector: each output column of the node and where it comes from, worked out from the graph being edited. */
export function ColumnOrigins({ lineage, nodeId, graph }: { lineage: ColumnLineage | null; nodeId: string; graph: PipelineGraph }) {
  const ports = lineage ? nodeOrigins(lineage, nodeId, graph) : [];
  return (
    <details className="border-t border-slate-200 p-3 text-sm" data-testid="column-origins">
      <summary className="cursor-pointer font-semibold text-slate-800">Where its columns come from</summary>
      {!lineage ? (
        <p className="mt-2 text-slate-600">Working it out…</p>
      ) : ports.length === 0 ? (
        <p className="mt-2 text-slate-600">Not known while this node or one above it has a problem.</p>
      ) : (
        ports.map((p) => (
          <section key={p.port} className="mt-2" aria-label={p.port === DATASET_PORT ? "Columns written" : `Output ${p.port}`}>
            {ports.length > 1 || p.port === DATASET_PORT ? <h4 className="text-xs font-medium text-slate-600">{p.port === DATASET_PORT ? "Columns written" : `Output ${p.port}`}</h4> : null}
            <ul className="mt-1 space-y-0.5 font-mono text-xs break-words text-slate-800">
              {p.columns.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {p.rows && <p className="mt-1 text-xs text-slate-600">Rows decided by {p.rows}</p>}
          </section>
        ))
      )}
    </details>
  );
}
