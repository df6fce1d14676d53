import type { Column, Issue, PipelineGraph, PipelineNode } from "@sluice/model";
import type { AnyNodeDefinition } from "@sluice/pipeline";

/**
 * What the editor hands the inspector for the selected node. The editor owns the graph and undo:
 * the inspector only reports new values, at once, on every edit (the store coalesces quick edits
 * of one node into one undo step).
 */
export interface NodeInspectorProps {
  node: PipelineNode;
  definition: AnyNodeDefinition;
  /** Per input port, the columns of each upstream output connected to it, in edge order (empty when unknown). */
  inputs: Record<string, Column[][]>;
  /** Validation problems of this node; `field` is a dotted path into config (e.g. "keys.0.left"). */
  problems: Issue[];
  /** The whole graph being edited, for previews (e.g. retype's count of values that fail to convert). */
  graph: PipelineGraph;
  onConfigChange(config: Record<string, unknown>): void;
  onLabelChange(label: string): void;
}
