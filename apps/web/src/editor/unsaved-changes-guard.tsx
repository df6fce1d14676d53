import { useEffect, useState } from "react";
import { useBlocker } from "react-router-dom";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";

/**
 * Asks before leaving the editor, in the app or by closing the tab, while there are unsaved changes: save them and
 * go, go without them, or stay. Closing the tab can only get the browser's own question (the local draft keeps the
 * edits then).
 */
export function UnsavedChangesGuard({ dirty, version, onSave, onDiscard }: { dirty: boolean; version: number; onSave(): Promise<boolean>; onDiscard(): void }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const saveAndLeave = async () => {
    setSaving(true);
    const ok = await onSave().finally(() => setSaving(false));
    // A refused save (a conflict, say) stays here, where its dialog explains it.
    if (ok) blocker.proceed?.();
    else blocker.reset?.();
  };
  return (
    <Dialog title="Leave with unsaved changes?" open={blocker.state === "blocked"} onClose={() => blocker.reset?.()}>
      <p className="mb-4 text-sm text-slate-700">Your changes since version {version} are not saved.</p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => blocker.reset?.()} disabled={saving}>
          Stay
        </Button>
        <Button
          variant="danger"
          disabled={saving}
          onClick={() => {
            onDiscard();
            blocker.proceed?.();
          }}
        >
          Leave without saving
        </Button>
        <Button variant="primary" onClick={() => void saveAndLeave()} disabled={saving}>
          {saving ? "Saving…" : "Save and leave"}
        </Button>
      </div>
    </Dialog>
  );
}
