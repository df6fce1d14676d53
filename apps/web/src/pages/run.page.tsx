import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { RunDetail } from "@sluice/model";
import { usePipelineVersion } from "../api/pipelines.queries.ts";
import { useRunEvents } from "../api/run-events.ts";
import { useCancelRun, useResumeRun, useRetryRun, useRun } from "../api/runs.queries.ts";
import { Button } from "../components/button.tsx";
import { useCan } from "../auth/use-can.ts";
import { DataTable, PageSection } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatDateTime } from "../lib/format-time.ts";
import { formatCount, formatDuration } from "../lib/format-duration.ts";
import { CheckResults } from "../runs/check-results.tsx";
import { nodeLabel } from "../graph/node-label.ts";
import { RunGraph } from "../runs/run-graph.tsx";
import { RunLog } from "../runs/run-log.tsx";
import { SinkRows, sinkNodes } from "../runs/sink-rows.tsx";
import { RunWatermarks } from "../runs/run-watermarks.tsx";
import { nodeRows } from "../runs/node-rows.ts";
import { ranInLabel, runEngineLabel } from "../runs/ran-in.ts";
import { ApiDownloadLink } from "../components/api-download-link.tsx";

export function RunPage() {
  const { id = "" } = useParams();
  const run = useRun(id);
  const events = useRunEvents(id);
  if (run.isPending) return <Spinner label="Loading run" />;
  if (run.error) {
    return (
      <div className="max-w-5xl">
        <Link to="/runs" className="text-sm text-cyan-800 hover:underline">
          ← Runs
        </Link>
        <ErrorBanner error={run.error} />
      </div>
    );
  }
  // The event stream is fresher while the run goes on; the query has the outputs and the final word.
  const live = events && !events.ended;
  const nodes = live && events.nodes.size > 0 ? [...events.nodes.values()] : run.data.nodes;
  const summary = live && events.run ? { ...run.data, ...events.run } : run.data;
  return <RunView run={summary} nodes={nodes} logs={events?.logs ?? []} live={Boolean(live)} />;
}

function RunView({ run, nodes, logs, live }: { run: RunDetail; nodes: RunDetail["nodes"]; logs: Parameters<typeof RunLog>[0]["logs"]; live: boolean }) {
  const navigate = useNavigate();
  const version = usePipelineVersion(run.pipelineId, run.versionNumber);
  const cancel = useCancelRun();
  const retry = useRetryRun();
  const resume = useResumeRun();
  const runs = useCan("run.start", "cancel and retry runs");
  const [actionError, setActionError] = useState<unknown>(null);
  const active = run.status === "queued" || run.status === "running";
  // Node outputs are kept on DuckDB only (docs/runs.md): a run inside the database has nothing to resume from.
  const resumable = (run.status === "failed" || run.status === "cancelled") && run.engine?.engine !== "database";
  const doResume = (version: "same" | "current") => resume.mutate({ id: run.id, version }, { onSuccess: (r) => navigate(`/runs/${r.runId}`), onError: setActionError });
  const failedNode = nodes.find((n) => n.status === "failed");
  const label = (nodeId: string) => nodeLabel(version.data?.graph, nodeId);
  const rows = nodeRows(version.data?.graph, nodes);
  // Read back only once the run has succeeded: before, a target may be half-way or hold an earlier run's rows.
  const sinks = run.status === "succeeded" && version.data ? sinkNodes(version.data.graph) : [];

  return (
    <div className="max-w-6xl space-y-6">
      <div>
        <Link to="/runs" className="text-sm text-cyan-800 hover:underline">
          ← Runs
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            Run <span className="font-mono text-xl">{run.id.slice(0, 8)}</span>
          </h1>
          <RunStatusBadge status={run.status} />
          {run.cancelRequested && active && <span className="text-sm text-slate-500">cancelling…</span>}
          <span className="ml-auto flex gap-2">
            {/* Only while there is something to stop: a red button on a finished run reads as an alarm. */}
            {active && (
              <Button
                variant="danger"
                disabled={run.cancelRequested || cancel.isPending || !runs.allowed}
                title={runs.reason ?? "Stop this run; targets stay as they were"}
                onClick={() => cancel.mutate(run.id, { onError: setActionError })}
              >
                Cancel run
              </Button>
            )}
            {resumable && (
              <>
                <Button
                  variant="primary"
                  disabled={resume.isPending || !runs.allowed}
                  title={runs.reason ?? `Run version ${run.versionNumber} again from what failed, reusing the nodes that succeeded`}
                  onClick={() => doResume("same")}
                >
                  Resume
                </Button>
                <Button
                  disabled={resume.isPending || !runs.allowed}
                  title={runs.reason ?? "Resume on the pipeline's current version; refused if a reused node changed there"}
                  onClick={() => doResume("current")}
                >
                  Resume on current version
                </Button>
              </>
            )}
            <Button
              disabled={active || retry.isPending || !runs.allowed}
              title={runs.reason ?? (active ? "Wait for the run to finish" : "Run the same version again")}
              onClick={() => retry.mutate(run.id, { onSuccess: (r) => navigate(`/runs/${r.runId}`), onError: setActionError })}
            >
              Retry
            </Button>
          </span>
        </div>
        <p className="text-sm text-slate-600">
          {/* Underlined: in a line of text, colour alone does not tell a link apart (axe's link-in-text-block). */}
          <Link to={`/pipelines/${run.pipelineId}`} className="text-cyan-800 underline hover:no-underline">
            {run.pipelineName}
          </Link>{" "}
          · version {run.versionNumber} · {run.trigger}
          {run.attempt > 1 ? ` · attempt ${run.attempt}` : ""}
        </p>
      </div>
      {run.resumedFrom && (
        <p className="text-sm text-slate-700" data-testid="run-resumed-from">
          Resumed from run{" "}
          <Link to={`/runs/${run.resumedFrom}`} className="font-mono text-cyan-800 underline hover:no-underline">
            {run.resumedFrom.slice(0, 8)}
          </Link>
          ; reused: {nodes.filter((n) => n.ranIn === "reused").map((n) => label(n.nodeId)).join(", ") || "none"}.
        </p>
      )}
      {actionError !== null && <ErrorBanner error={actionError} />}
      {run.error && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {/* Some errors (a failed quality rule) already start with the node's label; naming it twice reads as a stutter. */}
          {failedNode && !run.error.startsWith(label(failedNode.nodeId)) ? <strong>{label(failedNode.nodeId)}: </strong> : null}
          {run.error}
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {[
          ["Queued", formatDateTime(run.createdAt)],
          ["Started", run.startedAt ? formatDateTime(run.startedAt) : "–"],
          ["Duration", formatDuration(run.durationMs)],
          ["Rows read", formatCount(run.rowsRead)],
          ["Rows written", formatCount(run.rowsWritten)],
          ["Ran in", runEngineLabel(run.engine)],
        ].map(([k, v]) => (
          <div key={k} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-500">{k}</dt>
            <dd className="font-medium tabular-nums" data-testid={`run-${k!.toLowerCase().replace(" ", "-")}`}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {run.engine && (
        <p className="text-sm text-slate-700" data-testid="run-engine-reason">
          {run.engine.engine === "database" ? "Ran in the database" : "Ran on DuckDB"}: {run.engine.reason}.
        </p>
      )}
      {run.params && Object.keys(run.params).length > 0 && (
        <PageSection title="Parameters">
          <ul className="text-sm">
            {Object.entries(run.params).map(([k, v]) => (
              <li key={k}>
                <span className="font-mono">{k}</span> = <span className="font-mono">{JSON.stringify(v)}</span>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      <RunWatermarks runId={run.id} pipelineId={run.pipelineId} active={active} label={label} />
      {run.checks.length > 0 && (
        <PageSection title="Data quality">
          <CheckResults checks={run.checks} label={label} />
        </PageSection>
      )}
      <PageSection title="Pipeline">
        {version.data ? <RunGraph graph={version.data.graph} nodes={nodes} /> : version.error ? <ErrorBanner error={version.error} /> : <Spinner label="Loading the pipeline" />}
      </PageSection>
      <PageSection title="Nodes">
        <DataTable
          columns={[
            { label: "Node" },
            { label: "Status" },
            { label: "Rows in", numeric: true },
            { label: "Rows out", numeric: true },
            { label: "Duration", numeric: true },
            { label: "Ran in" },
            { label: "Error" },
          ]}
        >
            {rows.map(({ nodeId, info: n }) =>
              n ? (
                <tr key={nodeId} data-testid={`node-row-${nodeId}`} className={n.status === "failed" ? "bg-red-50" : ""}>
                  <td className="px-3 py-1.5">{label(nodeId)}</td>
                  <td className="px-3 py-1.5">
                    <RunStatusBadge status={n.status} />
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(n.rowsIn)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(n.rowsOut)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatDuration(n.durationMs)}</td>
                  <td className="px-3 py-1.5 whitespace-nowrap" data-testid={`node-ran-in-${nodeId}`}>
                    {n.ranIn ? ranInLabel[n.ranIn] : "–"}
                  </td>
                  <td className="px-3 py-1.5 text-red-700">{n.error}</td>
                </tr>
              ) : (
                // Not started: waiting while the run goes on; once it has ended, the node never ran.
                <tr key={nodeId} data-testid={`node-row-${nodeId}`}>
                  <td className="px-3 py-1.5">{label(nodeId)}</td>
                  <td className="px-3 py-1.5 text-xs text-slate-600">{active ? "waiting" : "not run"}</td>
                  <td colSpan={5} />
                </tr>
              ),
            )}
        </DataTable>
      </PageSection>
      {run.outputs.length > 0 && (
        <PageSection title="Files written">
          <ul className="space-y-1 text-sm">
            {run.outputs.map((o) => (
              <li key={o.name}>
                <ApiDownloadLink path={`/runs/${run.id}/outputs/${encodeURIComponent(o.name)}`} filename={o.name} className="text-cyan-800 hover:underline">
                  Download {o.name}
                </ApiDownloadLink>{" "}
                <span className="text-slate-500">
                  ({o.format}, {formatCount(o.bytes)} bytes)
                </span>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      {sinks.length > 0 && (
        <PageSection title="What this run wrote">
          <div className="space-y-3">
            {sinks.map((n) => (
              <SinkRows key={n.id} runId={run.id} nodeId={n.id} label={label(n.id)} />
            ))}
          </div>
        </PageSection>
      )}
      <PageSection title="Log">
        <RunLog logs={logs} live={live} />
      </PageSection>
    </div>
  );
}
