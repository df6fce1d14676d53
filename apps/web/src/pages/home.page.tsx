import { Link } from "react-router-dom";
import { usePipelines } from "../api/pipelines.ts";
import { ErrorBanner, Spinner } from "../components/states.tsx";
import { StatusBadge } from "../components/status-badge.tsx";

export function HomePage() {
  const { data, error, isPending } = usePipelines();
  if (isPending) return <Spinner />;
  if (error) return <ErrorBanner error={error} />;
  const pipelines = data.pipelines;
  const recent = pipelines[0];
  return (
    <div className="max-w-3xl">
      <h1 className="mb-1 text-2xl font-semibold">Welcome to Sluice</h1>
      <p className="mb-6 text-slate-600">Design pipelines that move messy data into clean tables, and see the rows at every step.</p>
      <div className="mb-6 grid grid-cols-2 gap-4">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="text-sm text-slate-500">Pipelines</div>
          <div className="text-3xl font-semibold" data-testid="pipeline-count">
            {pipelines.length}
          </div>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="text-sm text-slate-500">Last changed</div>
          {recent ? (
            <div className="mt-1 flex items-center gap-2">
              <Link className="font-medium text-cyan-800 hover:underline" to={`/pipelines/${recent.id}`}>
                {recent.name}
              </Link>
              <StatusBadge status={recent.lastRun?.status ?? null} />
            </div>
          ) : (
            <div className="mt-1 text-slate-400">nothing yet</div>
          )}
        </div>
      </div>
      <h2 className="mb-2 font-semibold">Next step</h2>
      {recent ? (
        <p className="text-slate-700">
          Open <Link className="font-medium text-cyan-800 hover:underline" to={`/pipelines/${recent.id}`}>{recent.name}</Link> to see how it is built, or{" "}
          <Link className="font-medium text-cyan-800 hover:underline" to="/pipelines?new=1">create a pipeline</Link>.
        </p>
      ) : (
        <Link to="/pipelines?new=1" className="inline-block rounded-md bg-cyan-700 px-4 py-2 text-sm font-medium text-white hover:bg-cyan-800">
          Create your first pipeline
        </Link>
      )}
    </div>
  );
}
