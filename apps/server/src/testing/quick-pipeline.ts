/** The smallest pipeline that runs: one inline row into a CSV file sink. For tests about when runs start, not what they do. */
export function quickPipelineGraph(sinkName = "out") {
  return {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "n", type: "integer" }], rows: [[1]] } },
      { id: "out", type: "file-sink", position: { x: 300, y: 0 }, config: { name: sinkName, format: "csv" } },
    ],
    edges: [{ id: "e1", source: "src", target: "out" }],
  };
}
