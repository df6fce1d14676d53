import { useCallback, useMemo, useState } from "react";
import { Background, ReactFlow, type NodeChange } from "@xyflow/react";
import type { NodeRunInfo, PipelineGraph } from "@sluice/model";
import { CanvasControls } from "./canvas-controls.tsx";
import { flowEdges, flowNodes } from "./flow-elements.ts";
import { nodeTypes, type PipelineFlowNode } from "./pipeline-node.tsx";
import "@xyflow/react/dist/style.css";

type Sizes = Record<string, { width: number; height: number }>;

/**
 * A pipeline drawn read-only with the editor's node cards, each coloured by its status in a run, its edges
 * labelled with the rows that passed. Nothing can be moved, connected or selected, so it needs no editor store.
 * It sits in a page that scrolls: the mouse wheel scrolls the page until the graph is clicked or focused, then zooms
 * it until the pointer or focus leaves.
 */
export function GraphView({ graph, runNodes, label }: { graph: PipelineGraph; runNodes: ReadonlyMap<string, NodeRunInfo>; label: string }) {
  // React Flow measures nodes itself; keeping the sizes lets the minimap and fit view work on controlled nodes.
  const [measured, setMeasured] = useState<Sizes>({});
  const [active, setActive] = useState(false);
  const nodes = useMemo(() => flowNodes(graph.nodes, { runNodes, measured }), [graph.nodes, runNodes, measured]);
  const edges = useMemo(() => flowEdges(graph.edges, { runNodes }), [graph.edges, runNodes]);
  const onNodesChange = useCallback((changes: NodeChange<PipelineFlowNode>[]) => {
    const sizes: Sizes = {};
    for (const c of changes) if (c.type === "dimensions" && c.dimensions) sizes[c.id] = c.dimensions;
    if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));
  }, []);
  return (
    <div
      className="h-full w-full"
      data-active={active}
      onPointerDown={() => setActive(true)}
      onFocus={() => setActive(true)}
      onPointerLeave={() => setActive(false)}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setActive(false)}
    >
      <ReactFlow<PipelineFlowNode>
        aria-label={label}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        zoomOnScroll={active}
        preventScrolling={active}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <CanvasControls fitOnLoad={graph.nodes.length > 0} />
      </ReactFlow>
    </div>
  );
}
