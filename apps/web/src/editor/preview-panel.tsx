import { useMemo } from "react";
import type { PipelineGraph } from "@sluice/model";
import { getNodeDefinition } from "@sluice/pipeline";
import { useNodePreview } from "../api/editor.queries.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { useDebounced } from "../lib/use-debounced.ts";
import { formatDuration, formatCount } from "../lib/format-duration.ts";
import { DataGrid, type GridColumn } from "../components/data-grid.tsx";
import { CheckStrip } from "../runs/check-strip.tsx";
import { BecameNullStrip } from "./became-null-strip.tsx";
import { previewScope } from "./preview-scope.ts";
import { profileNote, profileScope } from "./profile-note.ts";

/** A column of the preview traced on the canvas (lineage/trace-view.ts): its name and the sentence saying its path. */
export interface PreviewTrace {
  column: string;
  text: string;
}

/**
 * Rows at the selected node; refreshes by itself when the node or anything upstream of it changes. With `onTrace`, each
 * column header is a button that traces the column's lineage on the canvas; `trace` is the one traced.
 */
export function PreviewPanel({
  graph,
  nodeId,
  port,
  trace,
  onTrace,
}: {
  graph: PipelineGraph;
  nodeId: string | null;
  port?: string | undefined;
  trace?: PreviewTrace | null | undefined;
  onTrace?: ((column: string) => void) | undefined;
}) {
  const scope = useMemo(() => (nodeId ? previewScope(graph, nodeId) : null), [graph, nodeId]);
  const scopeJson = JSON.stringify(scope);
  // Typing in the inspector changes the scope on every key; ask once it settles.
  const settledJson = useDebounced(scopeJson, 350);
  const settled = useMemo(() => JSON.parse(settledJson) as PipelineGraph | null, [settledJson]);
  const preview = useNodePreview(settled, nodeId, port);
  const node = nodeId ? graph.nodes.find((n) => n.id === nodeId) : undefined;

  // One line: with nothing selected the panel is a slim bar under the canvas.
  if (!node) return <p className="px-3 py-1.5 text-xs text-slate-600">Select a node to see its rows.</p>;
  const def = getNodeDefinition(node.type);
  const name = node.label ?? def?.label ?? node.type;
  const p = preview.data;
  const errors = p?.problems.filter((x) => x.severity === "error") ?? [];
  const columns: GridColumn[] = p ? p.columns.map((c) => ({ name: c.name, type: c.type, note: profileNote(p.profile[c.name], p.rowCount ?? p.rows.length, c.type) })) : [];
  const stale = preview.isFetching || settledJson !== scopeJson;

  return (
    <section aria-label="Preview" className="flex h-full flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-3 py-1.5 text-xs text-slate-600">
        <span className="font-semibold text-slate-800">Preview: {name}</span>
        {p && errors.length === 0 && (
          <>
            <span data-testid="preview-row-count">
              {p.rowCount !== null ? `${formatCount(p.rowCount)} rows` : `${formatCount(p.rows.length)}+ rows`}
              {p.rows.length < (p.rowCount ?? 0) ? ` (first ${formatCount(p.rows.length)} shown)` : ""}
            </span>
            {p.sampled && (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800" title={`Computed on a sample of ${formatCount(p.sampled.sourceRows)} source rows`}>
                sampled
              </span>
            )}
            {p.engine === "database" && (
              <span data-testid="preview-engine" className="rounded bg-cyan-50 px-1.5 py-0.5 font-medium text-cyan-900" title="Computed inside the pipeline's PostgreSQL database, as a run there would be, in a read-only transaction that is rolled back">
                in your database
              </span>
            )}
            {p.columns.length > 0 && <span data-testid="preview-profile-scope">{profileScope(p)}</span>}
            <span>{formatDuration(p.elapsedMs)}</span>
          </>
        )}
        {stale && p && <span role="status" className="text-cyan-700">updating…</span>}
      </header>
      {/* Said as it changes, so a keyboard or screen reader user hears what the canvas now shows. */}
      <p role="status" data-testid="lineage-trace" className={trace ? "border-b border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-950" : "sr-only"}>
        {trace ? `Lineage of ${trace.text}. Escape clears it.` : ""}
      </p>
      {p?.checks && errors.length === 0 && !preview.error && <CheckStrip key={node.id} checks={p.checks} sampled={p.sampled !== null} />}
      {p?.becameNull && errors.length === 0 && !preview.error && <BecameNullStrip counts={p.becameNull} sampled={p.sampled !== null} />}
      <div className="min-h-0 flex-1">
        {preview.error ? (
          <div className="p-3">
            <ErrorBanner error={preview.error} />
          </div>
        ) : errors.length > 0 ? (
          // The alert is a wrapper: a list given role="alert" is no longer a list, and its items lose their parent.
          <div role="alert">
            <ul className="space-y-1 p-3 text-sm text-red-800">
              {errors.map((e, i) => {
                const from = e.nodeId && e.nodeId !== node.id ? graph.nodes.find((n) => n.id === e.nodeId) : undefined;
                return (
                  <li key={i}>
                    {from ? <strong>{from.label ?? from.id}: </strong> : null}
                    {e.message}
                  </li>
                );
              })}
            </ul>
          </div>
        ) : p ? (
          p.columns.length === 0 ? (
            <p className="p-3 text-sm text-slate-500">This node has no columns.</p>
          ) : (
            <DataGrid columns={columns} rows={p.rows} label={`Rows of ${name}`} onColumn={onTrace} activeColumn={trace?.column ?? null} />
          )
        ) : (
          <div className="p-3">
            <Spinner label="Computing preview" />
          </div>
        )}
      </div>
    </section>
  );
}
