import { Link } from "react-router-dom";
import type { PipelineSummary } from "@sluice/model";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";
import { formatDateTime } from "../lib/format-time.ts";

export interface PipelineRowActions {
  onRename: (p: PipelineSummary) => void;
  onDuplicate: (p: PipelineSummary) => void;
  onDelete: (p: PipelineSummary) => void;
  /** The pipeline being duplicated right now, if any. */
  duplicatingId: string | undefined;
}

export function PipelineTable({ pipelines, actions }: { pipelines: PipelineSummary[]; actions: PipelineRowActions }) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Name</th>
            <th scope="col" className="px-4 py-2 font-medium">Version</th>
            <th scope="col" className="px-4 py-2 font-medium">Last run</th>
            <th scope="col" className="px-4 py-2 font-medium">Updated</th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {pipelines.map((p) => (
            <tr key={p.id} data-testid="pipeline-row" className="hover:bg-slate-50/60">
              <td className="px-4 py-2.5">
                <Link to={`/pipelines/${p.id}`} className="font-medium text-cyan-800 hover:underline">
                  {p.name}
                </Link>
                {p.description && (
                  <div className="max-w-md truncate text-slate-500" title={p.description}>
                    {p.description}
                  </div>
                )}
              </td>
              <td className="px-4 py-2.5 text-slate-600 tabular-nums">v{p.currentVersion}</td>
              <td className="px-4 py-2.5">
                <RunStatusBadge status={p.lastRun?.status ?? null} />
              </td>
              <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">
                <time dateTime={p.updatedAt}>{formatDateTime(p.updatedAt)}</time>
              </td>
              <td className="px-2 py-2.5 text-right whitespace-nowrap">
                <PermittedButton action="pipeline.edit" what="rename pipelines" variant="ghost" aria-label={`Rename ${p.name}`} onClick={() => actions.onRename(p)}>
                  Rename
                </PermittedButton>
                <PermittedButton
                  action="pipeline.edit"
                  what="duplicate pipelines"
                  variant="ghost"
                  aria-label={`Duplicate ${p.name}`}
                  disabled={actions.duplicatingId !== undefined}
                  onClick={() => actions.onDuplicate(p)}
                >
                  {actions.duplicatingId === p.id ? "Duplicating…" : "Duplicate"}
                </PermittedButton>
                <PermittedButton action="pipeline.edit" what="delete pipelines" variant="ghost" aria-label={`Delete ${p.name}`} className="hover:text-red-700" onClick={() => actions.onDelete(p)}>
                  Delete
                </PermittedButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
