import { DuckDBInstance } from "@duckdb/node-api";
import type { CompiledPipeline } from "../graph/compile-graph.ts";
import { ROW_ORDER_COLUMN } from "../catalog/node-definition.ts";

type Rows = Record<string, unknown>[];

/**
 * Runs a compiled pipeline on in-memory DuckDB the simplest way: every query step's outputs become views
 * named by their relations. Returns each relation's rows in row order (without the row-order column) and
 * the rows each sink would write. Load steps are not supported here.
 */
export async function runCompiled(pipeline: CompiledPipeline): Promise<{ relations: Record<string, Rows>; sinks: Record<string, Rows> }> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const row = `"${ROW_ORDER_COLUMN}"`;
  try {
    const relations: Record<string, Rows> = {};
    const sinks: Record<string, Rows> = {};
    for (const s of pipeline.steps) {
      if (s.step.kind === "load") throw new Error(`runCompiled cannot load ${s.nodeId}`);
      if (s.step.kind === "sink") {
        sinks[s.nodeId] = (await conn.runAndReadAll(s.step.input)).getRowObjectsJson() as Rows;
        continue;
      }
      for (const [port, sql] of Object.entries(s.step.outputs)) {
        const name = s.relations[port];
        if (!name) throw new Error(`${s.nodeId} has no relation for ${port}`);
        await conn.run(`CREATE VIEW ${name} AS ${sql}`);
        const reader = await conn.runAndReadAll(`SELECT * EXCLUDE (${row}) FROM ${name} ORDER BY ${row}`);
        relations[`${s.nodeId}.${port}`] = reader.getRowObjectsJson() as Rows;
      }
    }
    return { relations, sinks };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
