import { useState } from "react";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { SaveImpact } from "../lineage/save-impact.ts";

/**
 * Save makes a new immutable version; the message is optional, like a commit message. When the save would remove or
 * retype a column a sink writes, `impact` says so first, with the pipelines downstream that read it.
 */
export function SaveDialog({
  open,
  saving,
  onSave,
  onClose,
  impact,
}: {
  open: boolean;
  saving: boolean;
  onSave: (message: string) => void;
  onClose: () => void;
  impact?: { items: SaveImpact[]; checking: boolean } | undefined;
}) {
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
        {impact && <ImpactNote items={impact.items} checking={impact.checking} />}
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

/** The columns this save stops writing or retypes, and who reads them downstream. */
function ImpactNote({ items, checking }: { items: SaveImpact[]; checking: boolean }) {
  if (items.length === 0) return checking ? <p className="mb-3 text-xs text-slate-600">Checking what this save changes for other pipelines…</p> : null;
  return (
    <section aria-labelledby="save-impact-title" data-testid="save-impact" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <h3 id="save-impact-title" className="font-semibold">
        This version changes columns that are written
      </h3>
      {items.map((i) => (
        <div key={`${i.dataset.namespace} ${i.dataset.name}`} className="mt-2">
          <p>
            <strong>{i.dataset.label}</strong>
            {i.removed.length > 0 && <> no longer gets {i.removed.join(", ")}</>}
            {i.removed.length > 0 && i.retyped.length > 0 && ";"}
            {i.retyped.length > 0 && <> changes type: {i.retyped.map((r) => `${r.column} ${r.before} → ${r.after}`).join(", ")}</>}.
          </p>
          {i.readers.length === 0 ? (
            <p className="text-xs">{checking ? "Checking who reads it…" : "No other pipeline reads these columns."}</p>
          ) : (
            <>
              <p className="text-xs">Pipelines that read it and may break:</p>
              <ul className="ml-4 list-disc text-xs">
                {i.readers.map((r) => (
                  <li key={`${r.pipelineId} ${r.nodeId}`}>
                    <a className="underline" href={`/pipelines/${encodeURIComponent(r.pipelineId)}`} target="_blank" rel="noreferrer">
                      {r.pipelineName}
                    </a>{" "}
                    (version {r.version}) uses {r.columns === null ? "columns not known yet" : r.columns.join(", ")}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ))}
    </section>
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
