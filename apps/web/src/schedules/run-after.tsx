import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { triggersSchema } from "@sluice/model";
import { api } from "../api/client.ts";
import { usePipelines } from "../api/pipelines.queries.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { useCan } from "../auth/use-can.ts";

/** Pick the pipelines whose success starts this one; a choice that would make a loop is refused with the loop named. */
export function RunAfter({ pipelineId }: { pipelineId: string }) {
  const qc = useQueryClient();
  const path = `/pipelines/${encodeURIComponent(pipelineId)}/triggers`;
  const current = useQuery({ queryKey: ["triggers", pipelineId], queryFn: () => api("GET", path, triggersSchema) });
  const pipelines = usePipelines();
  const save = useMutation({
    mutationFn: (after: string[]) => api("PUT", path, triggersSchema, { body: { after } }),
    onSuccess: (v) => qc.setQueryData(["triggers", pipelineId], v),
  });
  const chosen = new Set(current.data?.after.map((a) => a.id) ?? []);
  const others = pipelines.data?.pipelines.filter((p) => p.id !== pipelineId) ?? [];
  const change = useCan("schedule.edit", "change what starts a pipeline");
  return (
    // The border and padding are the wrapper's: a fieldset draws its legend across its own top border.
    <div className="border-t border-slate-200 p-3" data-testid="run-after">
      <fieldset disabled={!change.allowed} title={change.reason ?? undefined}>
        <legend className="mb-1 text-sm font-semibold">Run after</legend>
        <p className="mb-2 text-xs text-slate-500">Start this pipeline each time one of these succeeds.</p>
        {others.length === 0 ? (
          <p className="text-xs text-slate-500">There are no other pipelines.</p>
        ) : (
          <ul className="space-y-1">
            {others.map((p) => (
              <li key={p.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={chosen.has(p.id)}
                    disabled={save.isPending || !current.data}
                    onChange={(e) => save.mutate(e.target.checked ? [...chosen, p.id] : [...chosen].filter((id) => id !== p.id))}
                  />
                  {p.name}
                </label>
              </li>
            ))}
          </ul>
        )}
        {save.error && <ErrorBanner error={save.error} />}
      </fieldset>
    </div>
  );
}
