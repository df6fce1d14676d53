import { useState } from "react";
import { useCreateWorkspace } from "../api/auth.queries.ts";
import { apiFieldErrors, isExplainedByFields } from "../api/field-errors.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { TextField } from "../components/text-field.tsx";
import { switchWorkspace } from "./workspace-switcher.tsx";

/** Creates a workspace, of which the creator is the owner, and moves there. */
export function NewWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="New workspace" open={open} onClose={onClose}>
      <NewWorkspaceForm onCancel={onClose} />
    </Dialog>
  );
}

export function NewWorkspaceForm({ onCancel }: { onCancel?: () => void }) {
  const create = useCreateWorkspace();
  const [name, setName] = useState("");
  const fields = apiFieldErrors(create.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name }, { onSuccess: (w) => switchWorkspace(w.id) });
      }}
    >
      <p className="mb-3 text-sm text-slate-600">A workspace has its own pipelines, files, connections, runs and members. You will be its owner.</p>
      <TextField label="Workspace name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required autoFocus />
      {create.error && !isExplainedByFields(create.error, fields) && <ErrorBanner error={create.error} />}
      <div className="flex justify-end gap-2">
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create workspace
        </Button>
      </div>
    </form>
  );
}
