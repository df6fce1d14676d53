import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/**
 * A pipeline whose source query sleeps in PostgreSQL, so a test can catch its run while it is running
 * (to cancel it, kill its worker, or see two runs overlap). It loads into warehouse.<table>.
 */
export function slowPipelineGraph(table: string, o: { sleepSeconds: number; mode?: "replace" | "append" }) {
  return {
    formatVersion: 1,
    nodes: [
      {
        id: "src",
        type: "postgres",
        position: { x: 0, y: 0 },
        config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "query", sql: `SELECT n AS id FROM generate_series(1, 3) AS n, pg_sleep(${Number(o.sleepSeconds)}) AS s` },
      },
      {
        id: "sink",
        type: "postgres-sink",
        position: { x: 300, y: 0 },
        config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table, mode: o.mode ?? "replace" },
      },
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }],
  };
}
