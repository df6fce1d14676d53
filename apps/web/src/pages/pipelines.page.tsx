import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import type { PipelineSummary } from "@sluice/model";
import { useDuplicatePipeline, usePipelines } from "../api/pipelines.ts";
import { Button } from "../components/button.tsx";
import { EmptyState, ErrorBanner, Spinner } from "../components/states.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { CreatePipelineDialog, DeletePipelineDialog, RenamePipelineDialog } from "./pipeline-dialogs.tsx";

export function PipelinesPage() {
  const [params, setParams] = useSearchParams();
  const creating = params.get("new") === "1";
  const setCreating = (on: boolean) => setParams(on ? { new: "1" } : {});
  const [renaming, setRenaming] = useState<PipelineSummary | null>(null);
  const [deleting, setDeleting] = useState<PipelineSummary | null>(null);
  const list = usePipelines();
  const duplicate = useDuplicatePipeline();
  const navigate = useNavigate();

  return (
    <div className="max-w-5xl">
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Pipelines</h1>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New pipeline
        </Button>
      </div>
      {duplicate.error && <ErrorBanner error={duplicate.error} />}
      {list.isPending ? (
        <Spinner label="Loading pipelines" />
      ) : list.error ? (
        <ErrorBanner error={list.error} action={<Button onClick={() => void list.refetch()}>Try again</Button>} />
      ) : list.data.pipelines.length === 0 ? (
        <EmptyState title="No pipelines yet">
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create your first pipeline
          </Button>
        </EmptyState>
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 font-medium">Version</th>
              <th className="px-4 py-2 font-medium">Last run</th>
              <th className="px-4 py-2 font-medium">Updated</th>
              <th className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.data.pipelines.map((p) => (
              <tr key={p.id} data-testid="pipeline-row">
                <td className="px-4 py-2">
                  <Link to={`/pipelines/${p.id}`} className="font-medium text-cyan-800 hover:underline">
                    {p.name}
                  </Link>
                  {p.description && <div className="max-w-md truncate text-slate-500">{p.description}</div>}
                </td>
                <td className="px-4 py-2 text-slate-600">v{p.currentVersion}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={p.lastRun?.status ?? null} />
                </td>
                <td className="px-4 py-2 text-slate-600">
                  <time dateTime={p.updatedAt}>{new Date(p.updatedAt).toLocaleString()}</time>
                </td>
                <td className="px-4 py-2 text-right whitespace-nowrap">
                  <Button variant="ghost" aria-label={`Rename ${p.name}`} onClick={() => setRenaming(p)}>
                    Rename
                  </Button>
                  <Button variant="ghost" aria-label={`Duplicate ${p.name}`} disabled={duplicate.isPending} onClick={() => duplicate.mutate(p.id)}>
                    Duplicate
                  </Button>
                  <Button variant="ghost" aria-label={`Delete ${p.name}`} onClick={() => setDeleting(p)}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreatePipelineDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => navigate(`/pipelines/${id}`)} />
      {renaming && <RenamePipelineDialog key={renaming.id} pipeline={renaming} onClose={() => setRenaming(null)} onReload={() => void list.refetch()} />}
      <DeletePipelineDialog pipeline={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}
