import { useMemo, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import type { Issue, NodeRunInfo, PipelineGraph } from "@sluice/model";
import { Canvas } from "../editor/canvas.tsx";
import { EditorStoreContext } from "../editor/editor-context.ts";
import { createEditorStore } from "../editor/editor.store.ts";
import "@xyflow/react/dist/style.css";

const noProblems = new Map<string, Issue[]>();

/** The pipeline version a run executed, read-only, each node coloured by its status in the run, with its rows. */
export function RunGraph({ graph, nodes }: { graph: PipelineGraph; nodes: NodeRunInfo[] }) {
  const [store] = useState(() => {
    const s = createEditorStore();
    s.getState().load(graph, 0);
    return s;
  });
  const runNodes = useMemo(() => new Map(nodes.map((n) => [n.nodeId, n])), [nodes]);
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <div className="h-80 rounded-lg border border-slate-200 bg-slate-50">
          <Canvas problemsByNode={noProblems} runNodes={runNodes} readOnly onRefused={() => {}} />
        </div>
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}
