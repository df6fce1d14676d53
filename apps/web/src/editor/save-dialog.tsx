import { useState } from "react";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/text-field.tsx";

/** Save makes a new immutable version; the message is optional, like a commit message. */
export function SaveDialog({ open, saving, onSave, onClose }: { open: boolean; saving: boolean; onSave: (message: string) => void; onClose: () => void }) {
  const [message, setMessage] = useState("");
  return (
    <Dialog title="Save a new version" open={open} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSave(message.trim());
          setMessage("");
        }}
      >
        <TextField
          label="What changed (optional)"
          value={message}
          maxLength={1000}
          autoFocus
          onChange={(e) => setMessage(e.target.value)}
          hint="Shown in the version history."
        />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={saving}>
            {saving ? "Saving…" : "Save version"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** A 409 on save: someone saved in between. Explain it and offer both ways out; never drop the user's edits silently. */
export function ConflictDialog({
  conflict,
  onReload,
  onOverwrite,
  onClose,
}: {
  conflict: { base: number; current: number } | null;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title="This pipeline changed while you edited it" open={conflict !== null} onClose={onClose}>
      {conflict && (
        <>
          <p className="mb-4 text-sm text-slate-700">
            You started from version {conflict.base}, but version {conflict.current} has been saved since (in another tab or by someone else). Saving
            yours as a new version keeps theirs in the history; reloading shows theirs and discards your unsaved changes.
          </p>
          <div className="flex flex-wrap justify-end gap-2">
            <Button onClick={onClose}>Keep editing</Button>
            <Button variant="danger" onClick={onReload}>
              Discard mine and load version {conflict.current}
            </Button>
            <Button variant="primary" onClick={onOverwrite}>
              Save mine as version {conflict.current + 1}
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
