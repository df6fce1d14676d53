import type { PipelineEnvironment } from "../catalog/node-definition.ts";
import { getNodeDefinition } from "../catalog/registry.ts";
import { fileSourceConfigSchema } from "../nodes/source/file.node.ts";
import { postgresSourceConfigSchema } from "../nodes/source/postgres.node.ts";
import { httpSourceConfigSchema } from "../nodes/source/http.node.ts";
import { postgresSinkConfigSchema } from "../nodes/sink/postgres-sink.node.ts";
import { fileSinkConfigSchema, outputFileName } from "../nodes/sink/file-sink.node.ts";
import { urlSecrets } from "../nodes/source/http-url-secrets.ts";

/** Uploaded files, as OpenLineage names datasets: this namespace, and the name `<file id>/<file name>` (names need not be unique). */
export const SLUICE_FILES_NAMESPACE = "sluice://files";
/** Files a file sink writes (downloadable from the run): this namespace, and the file's name. */
export const SLUICE_OUTPUTS_NAMESPACE = "sluice://outputs";

/** A dataset named as OpenLineage names it (its naming spec): a namespace, and a name unique within it. */
export interface DatasetName {
  namespace: string;
  name: string;
}

export type DatasetKind = "file" | "postgres" | "http" | "file-output";

/** The dataset a source node reads or a sink node writes. */
export interface DatasetRef extends DatasetName {
  kind: DatasetKind;
  access: "read" | "write";
  /** What people call it in Sluice: a file's name, schema.table, an endpoint's host and path. */
  label: string;
}

/** Where a PostgreSQL connection points; never its user or password. */
export interface ConnectionAddress {
  host: string;
  port: number;
  database: string;
}

/** What naming datasets needs beyond the graph: file metadata (as for validation) and, when known, connections' addresses. */
export interface DatasetEnvironment {
  file: PipelineEnvironment["file"];
  /** A connection's address; without it a table is named in the `sluice://connections/<id>` namespace. */
  connection?(connectionId: string): ConnectionAddress | undefined;
}

/** `postgres://host:port`, as OpenLineage's naming spec names a PostgreSQL server. */
export const postgresNamespace = (a: ConnectionAddress): string => `postgres://${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`;

function tableName(connectionId: string, schema: string, table: string, env: DatasetEnvironment, access: DatasetRef["access"]): DatasetRef {
  const address = env.connection?.(connectionId);
  const label = `${schema}.${table}`;
  return address
    ? { kind: "postgres", access, namespace: postgresNamespace(address), name: `${address.database}.${label}`, label }
    : { kind: "postgres", access, namespace: `sluice://connections/${connectionId}`, name: label, label };
}

/**
 * An HTTP endpoint: namespace `scheme://host[:port]`, name its path and query. Never a secret: the URL's user info and
 * query parameters that may carry one (api_key, token, …, the ones SECRET_IN_URL refuses) are left out.
 */
function endpointName(url: string): DatasetRef | undefined {
  const clean = urlSecrets(url);
  if (!clean) return undefined;
  const u = new URL(clean.rest);
  if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
  const name = `${u.pathname}${u.search}`;
  return { kind: "http", access: "read", namespace: `${u.protocol}//${u.host}`, name, label: `${u.host}${name}` };
}

/**
 * The dataset a node reads (a source) or writes (a sink), named as OpenLineage names it; undefined for nodes that have
 * none (an inline table, a query source, whose tables Sluice does not parse out of its SQL), and for configs that do
 * not parse or name nothing yet. The one function every part of Sluice names datasets with: the lineage API, the
 * cross-pipeline graph, "used by", and OpenLineage events.
 */
export function datasetOf(node: { type: string; config: unknown }, env: DatasetEnvironment): DatasetRef | undefined {
  const def = getNodeDefinition(node.type);
  if (!def || (def.category !== "source" && def.category !== "sink")) return undefined;
  switch (node.type) {
    case "file": {
      const c = fileSourceConfigSchema.safeParse(node.config);
      // A name pattern reads many files, not the one named in fileId: no single dataset (yet).
      if (!c.success || c.data.fileId === "" || c.data.pattern !== "") return undefined;
      const file = env.file(c.data.fileId);
      const label = file?.name ?? c.data.fileId;
      return { kind: "file", access: "read", namespace: SLUICE_FILES_NAMESPACE, name: `${c.data.fileId}/${label}`, label };
    }
    case "postgres": {
      const c = postgresSourceConfigSchema.safeParse(node.config);
      if (!c.success || c.data.mode !== "table" || c.data.connectionId === "" || c.data.table === "") return undefined;
      return tableName(c.data.connectionId, c.data.schema, c.data.table, env, "read");
    }
    case "http": {
      const c = httpSourceConfigSchema.safeParse(node.config);
      return c.success ? endpointName(c.data.url) : undefined;
    }
    case "postgres-sink": {
      const c = postgresSinkConfigSchema.safeParse(node.config);
      if (!c.success || c.data.connectionId === "" || c.data.table === "") return undefined;
      return tableName(c.data.connectionId, c.data.schema, c.data.table, env, "write");
    }
    case "file-sink": {
      const c = fileSinkConfigSchema.safeParse(node.config);
      if (!c.success || c.data.name === "") return undefined;
      const name = outputFileName(c.data);
      return { kind: "file-output", access: "write", namespace: SLUICE_OUTPUTS_NAMESPACE, name, label: name };
    }
    default:
      return undefined;
  }
}

/** One string for a dataset, `namespace/name`-like but unambiguous: how the API's dataset routes take it. */
export const datasetKey = (d: DatasetName): string => `${d.namespace}|${d.name}`;
