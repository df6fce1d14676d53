import type { MigrationNote } from "@sluice/model";

/**
 * Says that a pipeline (or the version being viewed) was saved with older node settings and is shown migrated: what
 * the canvas shows is how it reads now, and the next save stores the current versions. The stored version is not
 * changed by opening it.
 */
export function MigratedNote({ notes }: { notes: MigrationNote[] | undefined }) {
  if (!notes?.length) return null;
  return (
    <div className="border-b border-sky-200 bg-sky-50 px-4 py-1.5 text-sm text-sky-900" role="note" data-testid="migrated-note">
      Saved with older node settings: shown as they read now; saving stores the current version.
      <details className="inline-block pl-2">
        <summary className="cursor-pointer text-sky-700">{notes.length === 1 ? "1 node" : `${notes.length} nodes`}</summary>
        <ul className="list-disc pl-5">
          {notes.map((n) => (
            <li key={n.nodeId}>{n.message}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
