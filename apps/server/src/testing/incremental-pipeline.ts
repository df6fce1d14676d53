import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";

/**
 * An incremental pipeline: warehouse.<source> read by its `id` watermark column, appended (or upserted on id) into
 * warehouse.<target>. Node ids: "src" and "sink".
 */
export function incrementalGraph(source: string, target: string, o: { mode?: "append" | "upsert" | "replace"; column?: string } = {}) {
  return {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "postgres", position: { x: 0, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, mode: "table", schema: "warehouse", table: source, watermarkColumn: o.column ?? "id" } },
      {
        id: "sink",
        type: "postgres-sink",
        position: { x: 300, y: 0 },
        config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: target, mode: o.mode ?? "append", ...(o.mode === "upsert" ? { keys: ["id"] } : {}) },
      },
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }],
  };
}

/**
 * An incremental file pipeline: every uploaded file matching `pattern` not read before (node "src", with the
 * `_source_file` column), appended into warehouse.<target> (node "sink").
 */
export function incrementalFilesGraph(pattern: string, target: string) {
  return {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "file", position: { x: 0, y: 0 }, config: { pattern, onlyNew: true, sourceFileColumn: true } },
      { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: target, mode: "append" } },
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }],
  };
}
