import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fileWatchSchema } from "@sluice/model";
import { api } from "../api/client.ts";
import { Button } from "../components/button.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { panelInputClass } from "../components/input-class.ts";
import { formatDateTime } from "../lib/format-time.ts";
import { useCan } from "../auth/use-can.ts";

/** A file name pattern whose uploads start this pipeline (docs/schedules.md, "Running when a file is uploaded"). */
export function RunOnUpload({ pipelineId }: { pipelineId: string }) {
  const qc = useQueryClient();
  const path = `/pipelines/${encodeURIComponent(pipelineId)}/file-watch`;
  const key = ["file-watch", pipelineId];
  const current = useQuery({ queryKey: key, queryFn: () => api("GET", path, fileWatchSchema) });
  const [draft, setDraft] = useState("");
  useEffect(() => setDraft(current.data?.pattern ?? ""), [current.data?.pattern]);
  const save = useMutation({
    mutationFn: (pattern: string | null) => api("PUT", path, fileWatchSchema, { body: { pattern } }),
    onSuccess: (v) => qc.setQueryData(key, v),
  });
  const change = useCan("schedule.edit", "change what starts a pipeline");
  const watching = current.data?.pattern ?? null;
  return (
    <div className="border-t border-slate-200 p-3" data-testid="run-on-upload">
      <form
        aria-label="Run when a file is uploaded"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft.trim());
        }}
      >
        <fieldset disabled={!change.allowed || !current.data || save.isPending} title={change.reason ?? undefined}>
          <legend className="mb-1 text-sm font-semibold">Run when a file is uploaded</legend>
          <p className="mb-2 text-xs text-slate-500">
            {watching ? `Watching uploads named ${watching}: each new content starts one run.` : "Not watching uploads. * stands for any characters, ? for one."}
          </p>
          <label className="mb-2 block text-xs text-slate-700">
            File name pattern
            <input className={panelInputClass} value={draft} placeholder="orders-*.csv" maxLength={200} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <div className="flex gap-2">
            <Button type="submit" disabled={draft.trim() === "" || draft.trim() === watching}>
              Watch
            </Button>
            {watching && (
              <Button onClick={() => save.mutate(null)}>Stop watching</Button>
            )}
          </div>
        </fieldset>
      </form>
      {save.error && <ErrorBanner error={save.error} />}
      {current.data && current.data.recent.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-xs text-slate-600" aria-label="Uploads that started runs">
          {current.data.recent.slice(0, 3).map((r) => (
            <li key={`${r.fileId}-${r.createdAt}`}>
              {formatDateTime(r.createdAt)}: {r.fileName} {r.coalesced ? "joined" : "started"}{" "}
              {r.runId ? <Link to={`/runs/${r.runId}`} className="underline">a run</Link> : "a run"}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
