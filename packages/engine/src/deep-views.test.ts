import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { PipelineGraph } from "@sluice/model";
import { compileGraph } from "@sluice/pipeline";
import { createConnectors } from "./connectors/connectors.ts";
import { executePipeline } from "./executor.ts";
import { engineFolders, environment } from "./testing/engine-fixtures.ts";

let f: ReturnType<typeof engineFolders>;
beforeEach(() => {
  f = engineFolders("deep");
});
afterEach(() => f.remove());

/**
 * `nodes` derive nodes in a row, each adding `per` columns that each read the one before (c1 = c0 + 1, …), or all
 * the input's column (c1 = c0 + 1, c2 = c0 + 2, …).
 */
function chain(nodes: number, per: number, reads: "previous" | "input" = "previous"): PipelineGraph {
  const g: PipelineGraph = {
    formatVersion: 1,
    nodes: [{ id: "src", type: "inline", position: { x: 0, y: 0 }, config: { columns: [{ name: "c0", type: "bigint" }], rows: [[1], [2]] } }],
    edges: [],
  };
  let col = 0;
  for (let k = 0; k < nodes; k++) {
    const derivations = Array.from({ length: per }, () => ({ column: `c${col + 1}`, expression: reads === "previous" ? `c${col++} + 1` : `c0 + ${++col}` }));
    g.nodes.push({ id: `d${k}`, type: "derive", position: { x: k + 1, y: 0 }, config: { derivations } });
    g.edges.push({ id: `e${k}`, source: k ? `d${k - 1}` : "src", target: `d${k}` });
  }
  g.nodes.push({ id: "out", type: "file-sink", position: { x: nodes + 1, y: 0 }, config: { name: "result", format: "csv" } });
  g.edges.push({ id: "eo", source: `d${nodes - 1}`, target: "out" });
  return g;
}

async function run(g: PipelineGraph) {
  const c = compileGraph(g, environment());
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  const out = path.join(f.outputs, "r");
  const r = await executePipeline(c.value, {
    engine: f.engine,
    workDir: path.join(f.work, "r"),
    connectors: createConnectors({ http: {}, outputDir: out }),
    connection: async (id) => {
      throw new Error(`no connection ${id}`);
    },
    runId: "r",
    onEvent: () => undefined,
  });
  expect(r.ok, JSON.stringify(r).slice(0, 500)).toBe(true);
  return { r, last: readFileSync(path.join(out, "result.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").at(-1)) };
}

it("runs derive nodes streamed into each other deeper than DuckDB nests one statement, storing views on the way (1 GB)", async () => {
  // Streamed as views into one statement, these 450 nested SELECTs failed: "Max expression depth limit of 1000 exceeded".
  const { r, last } = await run(chain(3, 150));
  expect(r.nodes.map((n) => n.storage)).toEqual(["table", "table", "table", "view", "sink"]);
  expect(last).toEqual(["451", "452"]);
}, 60_000);

it("runs as many derivations of input columns as a node may have in one SELECT (1 GB)", async () => {
  // One nested SELECT per derivation ran out of the 1 GB limit while binding these two rows.
  const { last } = await run(chain(1, 400, "input"));
  expect(last).toEqual(["401", "402"]);
}, 60_000);
