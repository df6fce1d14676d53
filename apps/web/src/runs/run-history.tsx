import { useRunHistory } from "../api/runs.queries.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { PageSection } from "../components/data-table.tsx";
import { RunHistoryChart } from "./run-history-chart.tsx";

const RUNS = 20;
/** A dashboard, not a report: the pipelines run most recently; the pipeline filter shows any other one. */
const PIPELINES = 6;

/** The dashboard's run history: per pipeline, its last runs' durations and rows written, failures marked. */
export function RunHistorySection({ pipelineId }: { pipelineId?: string | undefined }) {
  const history = useRunHistory(RUNS, pipelineId);
  if (history.isPending) return null;
  return (
    <div className="mb-6">
      <PageSection title="Run history">
        {history.error ? (
          <ErrorBanner error={history.error} />
        ) : history.data.pipelines.length === 0 ? (
          <p className="text-sm text-slate-500">No run has started yet: run a pipeline to see its durations and rows written here.</p>
        ) : (
          <div className="grid gap-3 md:grid-cols-2">
            {history.data.pipelines.slice(0, PIPELINES).map((p) => (
              <RunHistoryChart key={p.pipelineId} pipeline={p} />
            ))}
          </div>
        )}
      </PageSection>
    </div>
  );
}
