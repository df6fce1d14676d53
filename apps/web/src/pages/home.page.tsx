import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import type { PipelineSummary } from "@sluice/model";
import { usePipelines } from "../api/pipelines.queries.ts";
import { useRuns } from "../api/runs.queries.ts";
import { RunsTable } from "../runs/runs-table.tsx";
import { Button } from "../components/button.tsx";
import { useCan } from "../auth/use-can.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { formatCount } from "../lib/format-duration.ts";

const primaryLink = "inline-block rounded-md bg-cyan-700 px-4 py-2 text-sm font-medium text-white hover:bg-cyan-800";
const secondaryLink = "inline-block rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100";

export function HomePage() {
  const list = usePipelines();
  return (
    <div className="max-w-5xl">
      <h1 className="mb-1 text-2xl font-semibold">Welcome to Sluice</h1>
      <p className="mb-6 text-slate-600">Design pipelines that move messy data into clean tables, and see the rows at every step.</p>
      {list.isPending ? (
        <Spinner />
      ) : list.error ? (
        <ErrorBanner error={list.error} action={<Button onClick={() => void list.refetch()}>Try again</Button>} />
      ) : (
        <Overview pipelines={list.data.pipelines} />
      )}
    </div>
  );
}

function Overview({ pipelines }: { pipelines: PipelineSummary[] }) {
  const create = useCan("pipeline.edit", "create pipelines");
  // The list comes most recently changed first.
  const recent = pipelines[0];
  return (
    <>
      <div className="mb-8 grid grid-cols-2 gap-4">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="text-sm text-slate-500">Pipelines</div>
          <div className="text-3xl font-semibold tabular-nums" data-testid="pipeline-count">
            {pipelines.length}
          </div>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="text-sm text-slate-500">Last changed</div>
          {recent ? (
            <>
              <div className="mt-1 flex items-center gap-2">
                <Link className="truncate font-medium text-cyan-800 hover:underline" to={`/pipelines/${recent.id}`}>
                  {recent.name}
                </Link>
                <RunStatusBadge status={recent.lastRun?.status ?? null} />
              </div>
              <div className="mt-1 text-sm text-slate-500">{formatDateTime(recent.updatedAt)}</div>
            </>
          ) : (
            <div className="mt-1 text-slate-500">Nothing yet</div>
          )}
        </div>
      </div>
      <h2 className="mb-2 font-semibold">{recent ? "Next step" : "First step"}</h2>
      {recent ? (
        <div className="flex flex-wrap items-center gap-3">
          <Link to={`/pipelines/${recent.id}`} className={primaryLink}>
            Open “{recent.name}”
          </Link>
          {create.allowed && (
            <Link to="/pipelines?new=1" className={secondaryLink}>
              Create a pipeline
            </Link>
          )}
        </div>
      ) : create.allowed ? (
        <>
          <p className="mb-3 text-slate-700">There are no pipelines yet. Create one to start.</p>
          <Link to="/pipelines?new=1" className={primaryLink}>
            Create your first pipeline
          </Link>
        </>
      ) : (
        <p className="mb-3 text-slate-700">There are no pipelines yet. {create.reason}</p>
      )}
      <RecentRuns />
    </>
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day before now as ISO 8601, moving on every 15 seconds (as often as the lists refresh). */
function useDayAgo(): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return new Date(now - DAY_MS).toISOString();
}

/** The last runs, and the failures of the last day, so trouble is the first thing a returning user sees. */
function RecentRuns() {
  const recent = useRuns({ limit: 5 });
  // Counted by the server: a page of the newest failures would stop at its size however many failed.
  const failed = useRuns({ status: "failed", finishedAfter: useDayAgo(), limit: 1 });
  const failures = failed.data?.total ?? 0;
  return (
    <section aria-labelledby="recent-runs" className="mt-8">
      <div className="mb-2 flex items-baseline justify-between">
        <h2 id="recent-runs" className="font-semibold">
          Recent runs
        </h2>
        <Link to="/runs" className="text-sm text-cyan-800 hover:underline">
          All runs
        </Link>
      </div>
      {failed.data && (
        <p className={`mb-2 text-sm ${failures > 0 ? "text-red-700" : "text-slate-600"}`} data-testid="failures-24h">
          {failures === 0 ? "No failed runs in the last 24 hours." : `${formatCount(failures)} failed run${failures === 1 ? "" : "s"} in the last 24 hours.`}{" "}
          {failures > 0 && (
            <Link to="/runs?status=failed" className="underline">
              See them
            </Link>
          )}
        </p>
      )}
      {recent.isPending ? (
        <Spinner label="Loading runs" />
      ) : recent.error ? (
        <ErrorBanner error={recent.error} />
      ) : recent.data.runs.length === 0 ? (
        <p className="text-sm text-slate-500">No runs yet. Open a pipeline and press Run.</p>
      ) : (
        <RunsTable runs={recent.data.runs} />
      )}
    </section>
  );
}
