import { useRef, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { updatePipelineRequestSchema, type PipelineSummary } from "@sluice/model";
import { ApiError } from "../api/client.ts";
import { apiFieldErrors, isExplainedByFields, localFieldErrors, type FieldErrors } from "../api/field-errors.ts";
import { fetchPipeline, pipelineKeys, useUpdatePipeline } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";

export function RenamePipelineDialog({ pipeline, onClose }: { pipeline: PipelineSummary | null; onClose: () => void }) {
  return (
    <Dialog title="Rename pipeline" open={pipeline !== null} onClose={onClose}>
      {pipeline && <RenameForm key={pipeline.id} pipeline={pipeline} onDone={onClose} />}
    </Dialog>
  );
}

/** The version the rename is based on; a 409 means someone saved a newer one since. */
type Base = { version: number; name: string };

function RenameForm({ pipeline, onDone }: { pipeline: PipelineSummary; onDone: () => void }) {
  const [name, setName] = useState(pipeline.name);
  const [base, setBase] = useState<Base>({ version: pipeline.currentVersion, name: pipeline.name });
  const [local, setLocal] = useState<FieldErrors>({});
  const [reloaded, setReloaded] = useState(false);
  const [reloadError, setReloadError] = useState<unknown>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const update = useUpdatePipeline();
  const qc = useQueryClient();
  const conflict = update.error instanceof ApiError && update.error.code === "VERSION_CONFLICT";
  const errors: FieldErrors = { ...apiFieldErrors(update.error), ...local };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === base.name) return onDone();
    const body = { baseVersion: base.version, name, message: `Renamed to “${name.trim()}”` };
    const found = localFieldErrors(updatePipelineRequestSchema, body);
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    update.mutate({ id: pipeline.id, body }, { onSuccess: onDone });
  };

  /** Fetch the current version and base the rename on it, keeping what the user typed. */
  const reload = async () => {
    setReloadError(null);
    try {
      const fresh = await qc.fetchQuery({ queryKey: pipelineKeys.one(pipeline.id), queryFn: () => fetchPipeline(pipeline.id), staleTime: 0 });
      setBase({ version: fresh.currentVersion, name: fresh.name });
      setReloaded(true);
      update.reset();
      // The Reload button goes away with the conflict; keep keyboard users in the form.
      nameInput.current?.focus();
    } catch (e) {
      setReloadError(e);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <TextField
        ref={nameInput}
        label="Name"
        name="name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setLocal({});
        }}
        error={errors["name"]}
        autoComplete="off"
      />
      {conflict && (
        <ErrorBanner
          error={update.error}
          action={
            <Button variant="secondary" onClick={() => void reload()}>
              Reload
            </Button>
          }
        />
      )}
      {reloadError !== null && <ErrorBanner error={reloadError} />}
      {reloaded && !conflict && (
        <p role="status" className="mb-3 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
          Reloaded: it is now version {base.version}, named “{base.name}”. Your new name is kept; rename again to apply it.
        </p>
      )}
      {update.error && !conflict && !isExplainedByFields(update.error, errors) && <ErrorBanner error={update.error} />}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={update.isPending || conflict}>
          {update.isPending ? "Renaming…" : "Rename"}
        </Button>
      </div>
    </form>
  );
}
