import type { ConnectionInfo, DataFileInfoDto } from "@sluice/model";
import type { LineageEnvironment } from "@sluice/pipeline";
import type { Column } from "@sluice/model";

/**
 * What the pipeline package's lineage functions need, from what the web app already has: the uploaded files (their
 * columns), the connections' addresses (so tables are named as the server names them, `postgres://host:port`), and the
 * columns the server resolved for external sources (validation's answer), so lineage is worked out in the browser on
 * the graph being edited, unsaved.
 */
export function lineageEnvironment(
  files: readonly DataFileInfoDto[],
  connections: readonly ConnectionInfo[],
  sourceSchemas: Readonly<Record<string, Readonly<Record<string, Column[]>>>>,
): LineageEnvironment {
  const byId = new Map(files.map((f) => [f.id, f]));
  return {
    file: (id) => {
      const f = byId.get(id);
      // The path is the server's business; lineage reads names and columns only.
      return f ? { id: f.id, name: f.name, path: "", format: f.format, columns: f.columns, rowCount: f.rowCount } : undefined;
    },
    sourceColumns: (nodeId) => {
      const out = sourceSchemas[nodeId]?.out;
      return out ? { ok: true, value: out } : undefined;
    },
    connection: (id) => {
      const c = connections.find((x) => x.id === id);
      return c?.kind === "postgres" ? { host: c.settings.host, port: c.settings.port, database: c.settings.database } : undefined;
    },
  };
}
