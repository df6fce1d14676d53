import type { PipelineSummary } from "@sluice/model";
import { useDeletePipeline } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";

export function DeletePipelineDialog({
  pipeline,
  onClose,
  onDeleted,
}: {
  pipeline: PipelineSummary | null;
  onClose: () => void;
  onDeleted: (p: PipelineSummary) => void;
}) {
  return (
    <Dialog title="Delete pipeline?" open={pipeline !== null} onClose={onClose}>
      {pipeline && <DeleteConfirm key={pipeline.id} pipeline={pipeline} onCancel={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function DeleteConfirm({ pipeline, onCancel, onDeleted }: { pipeline: PipelineSummary; onCancel: () => void; onDeleted: (p: PipelineSummary) => void }) {
  const remove = useDeletePipeline();
  return (
    <>
      <p className="mb-3 text-sm text-slate-700">
        “{pipeline.name}” and all its versions and run history will be deleted. Tables it already loaded are kept.
      </p>
      {/* e.g. PIPELINE_RUNNING: the server says what to do (cancel the run or wait), so show its words. */}
      {remove.error && <ErrorBanner error={remove.error} />}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate(pipeline.id, { onSuccess: () => onDeleted(pipeline) })}>
          {remove.isPending ? "Deleting…" : "Delete"}
        </Button>
      </div>
    </>
  );
}
