import { useState, type FormEvent } from "react";
import { createPipelineRequestSchema, type PipelineDetail } from "@sluice/model";
import { apiFieldErrors, isExplainedByFields, localFieldErrors, type FieldErrors } from "../api/field-errors.ts";
import { useCreatePipeline } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";

export function CreatePipelineDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: PipelineDetail) => void }) {
  return (
    <Dialog title="New pipeline" open={open} onClose={onClose}>
      <CreateForm onCancel={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (p: PipelineDetail) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [local, setLocal] = useState<FieldErrors>({});
  const create = useCreatePipeline();
  const errors: FieldErrors = { ...apiFieldErrors(create.error), ...local };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { name, description };
    const found = localFieldErrors(createPipelineRequestSchema, body);
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(body, { onSuccess: onCreated });
  };
  const edited = (field: string) => {
    setLocal((prev) => ({ ...prev, [field]: undefined }));
    if (create.error) create.reset();
  };

  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Name"
        name="name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          edited("name");
        }}
        error={errors["name"]}
        autoComplete="off"
      />
      <TextField
        label="Description"
        name="description"
        hint="Optional. What it loads, and from where."
        value={description}
        onChange={(e) => {
          setDescription(e.target.value);
          edited("description");
        }}
        error={errors["description"]}
        autoComplete="off"
      />
      {create.error && !isExplainedByFields(create.error, errors) && <ErrorBanner error={create.error} />}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </Button>
      </div>
    </form>
  );
}
