import type { RenamedColumn } from "@sluice/model";
import { renamedColumnsNote } from "./renamed-columns-text.ts";

/** The renamed headers of an uploaded file, as one short note; nothing when every header was kept. */
export function RenamedColumnsNote({ renamed, className = "" }: { renamed: readonly RenamedColumn[]; className?: string }) {
  const note = renamedColumnsNote(renamed);
  if (!note) return null;
  return (
    <p role="note" data-testid="renamed-columns" className={`text-xs whitespace-normal text-amber-800 ${className}`}>
      {note}
    </p>
  );
}
