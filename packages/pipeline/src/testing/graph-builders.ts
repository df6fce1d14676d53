import type { PipelineGraph } from "@sluice/model";

/** Small builders for graph tests; `graph` returns an unvalidated document typed as a graph. */
export const inlineSource = (id: string, columns: object[] = [{ name: "id", type: "integer" }, { name: "name", type: "string" }], rows: unknown[][] = []) => ({
  id,
  type: "inline",
  position: { x: 0, y: 0 },
  config: { columns, rows },
});
export const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, config });
export const edge = (id: string, source: string, target: string, extra: object = {}) => ({ id, source, target, ...extra });
export const fileSink = (id: string) => node(id, "file-sink", { name: "out", format: "csv" });
export const graph = (nodes: object[], edges: object[] = []) => ({ formatVersion: 1, nodes, edges }) as PipelineGraph;
