import { useEffect } from "react";
import { useBlocker } from "react-router-dom";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";

/** Asks before leaving the editor, in the app or by closing the tab, while there are unsaved changes. */
export function UnsavedChangesGuard({ dirty, version }: { dirty: boolean; version: number }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  return (
    <Dialog title="Leave with unsaved changes?" open={blocker.state === "blocked"} onClose={() => blocker.reset?.()}>
      <p className="mb-4 text-sm text-slate-700">Your changes since version {version} are not saved and will be lost.</p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => blocker.reset?.()}>Stay</Button>
        <Button variant="danger" onClick={() => blocker.proceed?.()}>
          Leave without saving
        </Button>
      </div>
    </Dialog>
  );
}
