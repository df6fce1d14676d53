import { Button } from "../components/button.tsx";
import type { Draft } from "./local-draft.ts";

/** Offers back the unsaved edits a reload or a closed tab left behind; says so when the pipeline was saved since. */
export function DraftOffer({ offer, currentVersion, onRestore, onDiscard }: { offer: { draft: Draft; older: boolean }; currentVersion: number; onRestore(): void; onDiscard(): void }) {
  const when = new Date(offer.draft.savedAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div role="region" aria-label="Unsaved draft" className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900">
      <span>
        You have unsaved changes from {when}.
        {offer.older && ` They are based on version ${offer.draft.baseVersion}; the pipeline has been saved since (now version ${currentVersion}), so saving them will ask how to go on.`}
      </span>
      <Button className="!py-0.5" onClick={onRestore}>
        Restore
      </Button>
      <Button variant="ghost" className="!py-0.5" onClick={onDiscard}>
        Discard
      </Button>
    </div>
  );
}
