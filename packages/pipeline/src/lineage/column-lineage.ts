import type { Column, Issue } from "@sluice/model";
import { analyzeGraph, type AnalyzeOptions } from "../graph/analyze-graph.ts";
import { DATASET_PORT, type LineageTransformation, type ColumnOrigin } from "../catalog/node-lineage.ts";
import { datasetOf, type DatasetEnvironment, type DatasetRef } from "./dataset-name.ts";
import type { PipelineEnvironment } from "../catalog/node-definition.ts";

/**
 * A column somewhere in the graph: a node's output port and column name. `port` DATASET_PORT is the dataset outside:
 * on a source, the column of the file, table or API it reads; on a sink, the column of the table or file it writes.
 */
export interface ColumnRef {
  nodeId: string;
  port: string;
  column: string;
}

/** One step back: the column read, and how. */
export interface LineageOrigin {
  from: ColumnRef;
  transformation: LineageTransformation;
}

export interface PortColumnLineage {
  /** Per column, in the port's column order: the upstream columns it comes from (DIRECT) or that pick its value (INDIRECT). */
  columns: Record<string, LineageOrigin[]>;
  /** Upstream columns that decide the port's rows, their order or grouping (INDIRECT: JOIN, FILTER, GROUP_BY, SORT). */
  rows: LineageOrigin[];
}

export interface NodeColumnLineage {
  type: string;
  /** Per output port; a sink's under DATASET_PORT (what it writes). */
  ports: Record<string, PortColumnLineage>;
  /** The dataset a source reads or a sink writes, when it has one (datasetOf). */
  dataset?: DatasetRef;
}

export interface ColumnLineage {
  /** Nodes whose schema could be inferred; a node with problems (or behind one) is left out until they are fixed. */
  nodes: Record<string, NodeColumnLineage>;
  /** The graph's problems, as validation reports them: why a node may be missing. */
  problems: Issue[];
}

export type LineageEnvironment = PipelineEnvironment & Pick<DatasetEnvironment, "connection">;

/**
 * Column-level lineage of a graph, saved or not: a pure function of the graph and the environment validation uses
 * (so the editor runs it as the user edits). Each node's own declaration (NodeDefinition.lineage) is resolved from
 * "input port, edge" to the upstream node's output port; a source's columns point at its dataset (DATASET_PORT).
 */
export function columnLineage(graph: unknown, env: LineageEnvironment, options: AnalyzeOptions = {}): ColumnLineage {
  const a = analyzeGraph(graph, env, options);
  const nodes: Record<string, NodeColumnLineage> = {};
  if (!a.index) return { nodes, problems: a.problems };
  for (const id of a.order) {
    const entry = a.index.nodes.get(id);
    const outputs = a.portSchemas.get(id);
    if (!entry?.node || !entry.def || !outputs) continue;
    const inputs: Record<string, Column[][]> = {};
    const known = entry.def.inputs.every((port) => {
      const edges = a.index!.incoming.get(id)?.get(port.name) ?? [];
      inputs[port.name] = edges.map((e) => (e.sourcePort === undefined ? [] : (a.portSchemas.get(e.edge.source)?.[e.sourcePort] ?? [])));
      return edges.every((e) => e.sourcePort !== undefined && a.portSchemas.get(e.edge.source)?.[e.sourcePort] !== undefined);
    });
    // A sink's outputs are {}: it is inferred once its input is.
    if (!known) continue;
    const declared = entry.def.lineage({ nodeId: id, inputs, env, params: a.params, outputs }, a.configs.get(id));
    const resolve = (o: ColumnOrigin): LineageOrigin[] => {
      if (o.port === DATASET_PORT && entry.def!.category === "source") return [{ from: { nodeId: id, port: DATASET_PORT, column: o.column }, transformation: o.transformation }];
      const edge = a.index!.incoming.get(id)?.get(o.port)?.[o.edge];
      if (!edge || edge.sourcePort === undefined) return [];
      return [{ from: { nodeId: edge.edge.source, port: edge.sourcePort, column: o.column }, transformation: o.transformation }];
    };
    const ports: Record<string, PortColumnLineage> = {};
    for (const [port, p] of Object.entries(declared)) {
      ports[port] = { columns: Object.fromEntries(Object.entries(p.columns).map(([c, list]) => [c, list.flatMap(resolve)])), rows: p.rows.flatMap(resolve) };
    }
    const dataset = datasetOf({ type: entry.node.type, config: a.configs.get(id) }, env);
    nodes[id] = { type: entry.node.type, ports, ...(dataset ? { dataset } : {}) };
  }
  return { nodes, problems: a.problems };
}
