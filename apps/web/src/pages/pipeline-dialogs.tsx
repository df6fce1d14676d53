import { useState, type FormEvent } from "react";
import type { PipelineSummary } from "@sluice/model";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/states.tsx";
import { ApiError } from "../api/client.ts";
import { useCreatePipeline, useDeletePipeline, useUpdatePipeline } from "../api/pipelines.ts";

/** The API names each bad field; show the message next to the field it concerns. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_FAILED") return undefined;
  const problems = (error.details as { problems?: { field: string; message: string }[] } | undefined)?.problems ?? [];
  return problems.find((p) => p.field === `body.${field}`)?.message;
}

export function CreatePipelineDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [localError, setLocalError] = useState<string | undefined>();
  const create = useCreatePipeline();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Checked here too so an obvious slip needs no round trip; the server checks everything again.
    if (name.trim() === "") {
      setLocalError("a name is required");
      return;
    }
    setLocalError(undefined);
    create.mutate(
      { name, description },
      {
        onSuccess: (p) => {
          setName("");
          setDescription("");
          create.reset();
          onCreated(p.id);
        },
      },
    );
  };
  const nameError = localError ?? fieldError(create.error, "name");
  return (
    <Dialog title="New pipeline" open={open} onClose={onClose}>
      <form onSubmit={submit}>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={nameError} autoFocus />
        <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={fieldError(create.error, "description")} />
        {create.error && !nameError && <ErrorBanner error={create.error} />}
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function RenamePipelineDialog({ pipeline, onClose, onReload }: { pipeline: PipelineSummary | null; onClose: () => void; onReload: () => void }) {
  const [name, setName] = useState(pipeline?.name ?? "");
  const update = useUpdatePipeline();
  const conflict = update.error instanceof ApiError && update.error.code === "VERSION_CONFLICT";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pipeline) return;
    update.mutate({ id: pipeline.id, body: { baseVersion: pipeline.currentVersion, name, message: `Renamed to "${name.trim()}"` } }, { onSuccess: onClose });
  };
  return (
    <Dialog title="Rename pipeline" open={pipeline !== null} onClose={onClose}>
      <form onSubmit={submit}>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(update.error, "name")} autoFocus />
        {conflict && (
          <ErrorBanner
            error={update.error}
            action={
              <Button
                onClick={() => {
                  update.reset();
                  onReload();
                  onClose();
                }}
              >
                Reload
              </Button>
            }
          />
        )}
        {update.error && !conflict && !fieldError(update.error, "name") && <ErrorBanner error={update.error} />}
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={update.isPending || conflict}>
            Rename
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeletePipelineDialog({ pipeline, onClose }: { pipeline: PipelineSummary | null; onClose: () => void }) {
  const remove = useDeletePipeline();
  return (
    <Dialog title="Delete pipeline?" open={pipeline !== null} onClose={onClose}>
      <p className="mb-3 text-sm text-slate-700">
        “{pipeline?.name}” and all its versions and run history will be deleted. Tables it loaded are kept.
      </p>
      {remove.error && <ErrorBanner error={remove.error} />}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" disabled={remove.isPending} onClick={() => pipeline && remove.mutate(pipeline.id, { onSuccess: onClose })}>
          Delete
        </Button>
      </div>
    </Dialog>
  );
}
