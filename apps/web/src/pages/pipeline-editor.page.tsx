import { Link, useParams } from "react-router-dom";
import { usePipeline } from "../api/pipelines.queries.ts";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { PipelineEditor } from "../editor/pipeline-editor.tsx";
import "@xyflow/react/dist/style.css";

export function PipelineEditorPage() {
  const { id = "" } = useParams();
  const pipeline = usePipeline(id);
  if (pipeline.isPending) return <Spinner label="Loading pipeline" />;
  if (pipeline.error) {
    return (
      <div className="max-w-4xl">
        <Link to="/pipelines" className="text-sm text-cyan-800 hover:underline">
          ← Pipelines
        </Link>
        <ErrorBanner error={pipeline.error} />
      </div>
    );
  }
  // Keyed by id: opening another pipeline starts a fresh editor (and undo history).
  return <PipelineEditor key={pipeline.data.id} pipeline={pipeline.data} />;
}
