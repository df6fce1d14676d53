import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import type { PipelineSummary } from "@sluice/model";
import { useDuplicatePipeline, usePipelines } from "../api/pipelines.queries.ts";
import { ImportExport } from "../pipelines/import-pipelines.tsx";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { useCan } from "../auth/use-can.ts";
import { EmptyState } from "../components/empty-state.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { CreatePipelineDialog } from "../pipelines/create-pipeline.dialog.tsx";
import { DeletePipelineDialog } from "../pipelines/delete-pipeline.dialog.tsx";
import { PipelineTable } from "../pipelines/pipeline-table.tsx";
import { RenamePipelineDialog } from "../pipelines/rename-pipeline.dialog.tsx";

export function PipelinesPage() {
  // ?new=1 opens the create dialog, so Home (or anyone) can link straight to it.
  const [params, setParams] = useSearchParams();
  const create = useCan("pipeline.edit", "create pipelines");
  // A link from Home opens nothing for someone who may not create: the button beside says why.
  const creating = params.get("new") === "1" && create.allowed;
  const setCreating = (on: boolean) => setParams(on ? { new: "1" } : {}, { replace: true });
  const [renaming, setRenaming] = useState<PipelineSummary | null>(null);
  const [deleting, setDeleting] = useState<PipelineSummary | null>(null);
  const [notice, setNotice] = useState("");
  const list = usePipelines();
  const duplicate = useDuplicatePipeline();
  const navigate = useNavigate();

  const onDuplicate = (p: PipelineSummary) => {
    setNotice("");
    duplicate.mutate(p.id, { onSuccess: (copy) => setNotice(`Duplicated “${p.name}” as “${copy.name}”.`) });
  };

  return (
    <div className="max-w-5xl">
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Pipelines</h1>
        <div className="flex items-center gap-2">
          <ImportExport onDone={setNotice} />
          <PermittedButton action="pipeline.edit" what="create pipelines" variant="primary" onClick={() => setCreating(true)}>
            New pipeline
          </PermittedButton>
        </div>
      </div>
      <p role="status" className={notice ? "mb-3 text-sm text-emerald-800" : "sr-only"}>
        {notice}
      </p>
      {duplicate.error && <ErrorBanner error={duplicate.error} action={<Button onClick={() => duplicate.reset()}>Dismiss</Button>} />}
      {list.isPending ? (
        <Spinner label="Loading pipelines" />
      ) : list.error ? (
        <ErrorBanner error={list.error} action={<Button onClick={() => void list.refetch()}>Try again</Button>} />
      ) : list.data.pipelines.length === 0 ? (
        <EmptyState title="No pipelines yet">
          <p className="mb-4 text-sm text-slate-500">A pipeline reads files or tables, cleans and reshapes them, and loads the result into a table.</p>
          <PermittedButton action="pipeline.edit" what="create pipelines" variant="primary" onClick={() => setCreating(true)}>
            Create your first pipeline
          </PermittedButton>
        </EmptyState>
      ) : (
        <PipelineTable
          pipelines={list.data.pipelines}
          actions={{
            onRename: setRenaming,
            onDuplicate,
            onDelete: setDeleting,
            duplicatingId: duplicate.isPending ? duplicate.variables : undefined,
          }}
        />
      )}
      <CreatePipelineDialog open={creating} onClose={() => setCreating(false)} onCreated={(p) => navigate(`/pipelines/${p.id}`, { replace: true })} />
      <RenamePipelineDialog pipeline={renaming} onClose={() => setRenaming(null)} />
      <DeletePipelineDialog
        pipeline={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(p) => {
          setDeleting(null);
          setNotice(`Deleted “${p.name}”.`);
        }}
      />
    </div>
  );
}
