import { Link, useParams } from "react-router-dom";
import { nodeCatalog } from "@sluice/pipeline";
import { usePipeline, usePipelineVersions } from "../api/pipelines.ts";
import { ErrorBanner, Spinner } from "../components/states.tsx";
import { StatusBadge } from "../components/status-badge.tsx";

const labelOf = (type: string) => nodeCatalog.find((d) => d.type === type)?.label ?? type;

/** Read-only for now: the canvas editor takes this page over. */
export function PipelineDetailPage() {
  const { id = "" } = useParams();
  const pipeline = usePipeline(id);
  const versions = usePipelineVersions(id);
  if (pipeline.isPending) return <Spinner />;
  if (pipeline.error) return <ErrorBanner error={pipeline.error} action={<Link to="/pipelines">Back to pipelines</Link>} />;
  const p = pipeline.data;
  return (
    <div className="max-w-4xl">
      <Link to="/pipelines" className="text-sm text-cyan-800 hover:underline">
        ← Pipelines
      </Link>
      <div className="mt-2 mb-1 flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{p.name}</h1>
        <StatusBadge status={p.lastRun?.status ?? null} />
      </div>
      <p className="mb-6 text-slate-600">{p.description || "No description."}</p>
      <section className="mb-8">
        <h2 className="mb-2 font-semibold">Nodes ({p.graph.nodes.length})</h2>
        {p.graph.nodes.length === 0 ? (
          <p className="text-sm text-slate-500">This pipeline has no nodes yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {p.graph.nodes.map((n) => (
              <li key={n.id} className="flex justify-between px-4 py-2 text-sm">
                <span className="font-medium">{n.label ?? n.id}</span>
                <span className="text-slate-500">{labelOf(n.type)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2 className="mb-2 font-semibold">Version history</h2>
        {versions.isPending ? (
          <Spinner />
        ) : versions.error ? (
          <ErrorBanner error={versions.error} />
        ) : (
          <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {versions.data.versions.map((v) => (
              <li key={v.number} className="flex justify-between px-4 py-2 text-sm">
                <span>
                  <span className="font-medium">Version {v.number}</span> {v.message && <span className="text-slate-600">— {v.message}</span>}
                </span>
                <time className="text-slate-500" dateTime={v.createdAt}>
                  {new Date(v.createdAt).toLocaleString()}
                </time>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
