import type { DataFileInfoDto, FileOnExists } from "@sluice/model";
import { useFilePipelines } from "../api/files.queries.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { fileFacts } from "./file-description.ts";

export interface NameConflict {
  /** The file being uploaded. */
  upload: File;
  /** The workspace's file of that name (its details when the list had it, its id when only the server's 409 said so). */
  existing: DataFileInfoDto | { id: string; name: string };
}

/**
 * Asks what to do with an upload whose name the workspace already has: Replace (the file keeps its id, so the
 * pipelines that read it, named here, read the new content on their next run), Keep both (a numbered name), or Cancel.
 */
export function NameConflictDialog({ conflict, onChoose }: { conflict: NameConflict | null; onChoose: (choice: FileOnExists | null) => void }) {
  return (
    <Dialog title="A file of this name exists" open={conflict !== null} onClose={() => onChoose(null)}>
      {conflict && <ConflictBody conflict={conflict} onChoose={onChoose} />}
    </Dialog>
  );
}

function ConflictBody({ conflict: { upload, existing }, onChoose }: { conflict: NameConflict; onChoose: (choice: FileOnExists | null) => void }) {
  const users = useFilePipelines(existing.id);
  const pipelines = users.data?.pipelines ?? [];
  return (
    <>
      <p className="mb-2 text-sm text-slate-700">
        “{existing.name}” is already uploaded
        {"size" in existing ? ` (${fileFacts(existing)})` : ""}.
        Replace it with the file you chose, or keep both?
      </p>
      {pipelines.length > 0 && (
        <p role="note" className="mb-2 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="replace-used-by">
          Used by {pipelines.length === 1 ? "1 pipeline" : `${pipelines.length} pipelines`} ({pipelines.map((p) => `“${p.name}”`).join(", ")}): replacing changes what
          {pipelines.length === 1 ? " it reads" : " they read"} from the next preview or run.
        </p>
      )}
      <p className="mb-3 text-xs text-slate-600">Keep both uploads “{upload.name}” under a numbered name, such as “{numbered(upload.name)}”.</p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => onChoose(null)}>Cancel</Button>
        <Button onClick={() => onChoose("keep-both")}>Keep both</Button>
        <Button variant="primary" onClick={() => onChoose("replace")}>
          Replace
        </Button>
      </div>
    </>
  );
}

/** The first numbered name the server would try ("orders (2).csv"); the server picks the first free one. */
function numbered(name: string): string {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  return `${stem.replace(/ \(\d+\)$/, "")} (2)${ext}`;
}
