import { usePipelineVersions } from "../api/pipelines.queries.ts";
import { Button } from "../components/button.tsx";
import { PermittedButton } from "../auth/permitted-button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { useDrawer } from "./use-drawer.ts";

/** Every saved version, newest first; open one read-only on the canvas, or restore it as a new version. Escape closes it. */
export function HistoryDrawer({
  pipelineId,
  current,
  viewing,
  onView,
  onRestore,
  onClose,
}: {
  pipelineId: string;
  current: number;
  viewing: number | null;
  onView: (n: number | null) => void;
  onRestore: (n: number) => void;
  onClose: () => void;
}) {
  const versions = usePipelineVersions(pipelineId);
  const ref = useDrawer<HTMLElement>(onClose);
  return (
    <aside ref={ref} tabIndex={-1} aria-label="Version history" className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-white">
      <header className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
        <h2 className="text-sm font-semibold">Version history</h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close history">
          ✕
        </Button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {versions.isPending ? (
          <Spinner label="Loading versions" />
        ) : versions.error ? (
          <div className="p-3">
            <ErrorBanner error={versions.error} />
          </div>
        ) : (
          <ol className="divide-y divide-slate-100" data-testid="version-history">
            {versions.data.versions.map((v) => (
              <li key={v.number} className={`px-3 py-2 text-sm ${viewing === v.number ? "bg-cyan-50" : ""}`}>
                <div className="flex items-center justify-between">
                  <span className="font-medium">
                    Version {v.number}
                    {v.number === current && <span className="ml-1 text-xs font-normal text-slate-500">(current)</span>}
                  </span>
                  <span className="text-xs text-slate-500">{formatDateTime(v.createdAt)}</span>
                </div>
                <p className="truncate text-slate-600">{v.message || <span className="text-slate-500">No message</span>}</p>
                <div className="mt-1 flex gap-2">
                  <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onView(viewing === v.number ? null : v.number)}>
                    {viewing === v.number ? "Back to editing" : "Open read-only"}
                  </Button>
                  {v.number !== current && (
                    <PermittedButton action="pipeline.edit" what="restore versions" variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onRestore(v.number)}>
                      Restore
                    </PermittedButton>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}
