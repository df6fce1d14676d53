import { Link, useParams } from "react-router-dom";
import { nodeCatalog } from "@sluice/pipeline";
import type { PipelineDetail } from "@sluice/model";
import { usePipeline, usePipelineVersions } from "../api/pipelines.queries.ts";
import { Badge } from "../components/badge.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { RunStatusBadge } from "../components/run-status-badge.tsx";
import { Spinner } from "../components/spinner.tsx";
import { formatDateTime } from "../lib/format-time.ts";

const labelOf = (type: string) => nodeCatalog.find((d) => d.type === type)?.label ?? type;

const backLink = (
  <Link to="/pipelines" className="text-sm text-cyan-800 hover:underline">
    ← Pipelines
  </Link>
);

/** Read-only for now: the canvas editor takes this page over. */
export function PipelineDetailPage() {
  const { id = "" } = useParams();
  const pipeline = usePipeline(id);
  if (pipeline.isPending) return <Spinner label="Loading pipeline" />;
  if (pipeline.error) {
    return (
      <div className="max-w-4xl">
        {backLink}
        <ErrorBanner error={pipeline.error} />
      </div>
    );
  }
  const p = pipeline.data;
  return (
    <div className="max-w-4xl">
      {backLink}
      <div className="mt-2 mb-1 flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{p.name}</h1>
        <RunStatusBadge status={p.lastRun?.status ?? null} />
      </div>
      <p className="mb-1 text-slate-600">{p.description || "No description."}</p>
      <p className="mb-6 text-sm text-slate-500">
        Version {p.currentVersion} · updated {formatDateTime(p.updatedAt)}
      </p>
      <NodeList pipeline={p} />
      <VersionHistory id={p.id} current={p.currentVersion} />
    </div>
  );
}

function NodeList({ pipeline }: { pipeline: PipelineDetail }) {
  const nodes = pipeline.graph.nodes;
  return (
    <section className="mb-8" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading" className="mb-2 font-semibold">
        Nodes ({nodes.length})
      </h2>
      {nodes.length === 0 ? (
        <p className="text-sm text-slate-500">This pipeline has no nodes yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {nodes.map((n) => (
            <li key={n.id} className="flex justify-between px-4 py-2 text-sm">
              <span className="font-medium">{n.label ?? n.id}</span>
              <span className="text-slate-500">{labelOf(n.type)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function VersionHistory({ id, current }: { id: string; current: number }) {
  const versions = usePipelineVersions(id);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 font-semibold">
        Version history
      </h2>
      {versions.isPending ? (
        <Spinner label="Loading versions" />
      ) : versions.error ? (
        <ErrorBanner error={versions.error} />
      ) : (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="version-history">
          {versions.data.versions.map((v) => (
            <li key={v.number} className="flex items-center justify-between gap-4 px-4 py-2 text-sm">
              <span className="flex min-w-0 items-center gap-2">
                <span className="font-medium whitespace-nowrap">Version {v.number}</span>
                {v.number === current && <Badge tone="info">current</Badge>}
                {v.message && <span className="truncate text-slate-600">{v.message}</span>}
              </span>
              <time className="whitespace-nowrap text-slate-500" dateTime={v.createdAt}>
                {formatDateTime(v.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
