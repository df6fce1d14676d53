import type { Column } from "@sluice/model";
import type { AddressPolicy } from "./network/address-policy.ts";
import type { WatermarkRange } from "./connectors/postgres-watermark.ts";

/**
 * The narrow view of a DuckDB connection that connectors get. Connectors move rows between DuckDB and
 * the outside world (a database, an API, a file) through files in `workDir`, never by building SQL from values.
 */
export interface DuckExec {
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** Settings of a stored connection with its secret decrypted; only the engine ever holds these. */
export interface PostgresConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslMode: "disable" | "prefer" | "require" | "verify-full";
  /**
   * Where this connection may go, checked after resolving the host and before every connection; the
   * server sets it from its configuration. Absent: private networks and loopback, never link-local
   * addresses or cloud metadata services (see connection-address.ts).
   */
  addressPolicy?: AddressPolicy | undefined;
}

/** An HTTP credential with its secret headers decrypted; only the engine ever holds these, and never logs them. */
export interface HttpCredentialSecret {
  name: string;
  /** Lower-case host names the secrets may be sent to; a credential stored with none is refused (CREDENTIAL_HOSTS_REQUIRED). */
  hosts: string[];
  headers: { name: string; value: string }[];
  /** Secret query parameters, set on the URL of each request to those hosts. */
  queryParams: { name: string; value: string }[];
}

/** Finds a stored HTTP credential by id: null when there is none (or the id names a database connection). */
export type HttpCredentialResolver = (id: string) => Promise<HttpCredentialSecret | null>;

export interface ConnectorContext {
  duck: DuckExec;
  /** A private folder for this run's temporary files; DuckDB may read and write here. */
  workDir: string;
  signal: AbortSignal;
  nodeId: string;
  connection(id: string): Promise<PostgresConnectionSettings>;
  log(level: "info" | "warn" | "error", message: string): void;
}

export interface LoadContext extends ConnectorContext {
  /** Quoted name of the DuckDB table to create; it must carry ROW_ORDER_COLUMN like every relation. */
  table: string;
  /** Columns the catalog inferred; the loaded table must have exactly these (name and type). */
  columns: Column[];
  /** For an incremental source in a run: the rows to read are above `low` (see postgres-watermark.ts). */
  watermark?: WatermarkRange | undefined;
}

export interface SinkContext extends ConnectorContext {
  /** A SELECT over the sink's input, already ordered and without ROW_ORDER_COLUMN. */
  select: string;
  columns: Column[];
  /**
   * Identifies this load for exactly-once delivery: a Postgres sink records it in a ledger table in the
   * target inside the same transaction as the data, so a run the queue delivers twice never loads twice.
   * Undefined for previews, which never write.
   */
  loadKey: { runId: string; nodeId: string } | undefined;
}

export interface SinkResult {
  rowsWritten: number;
  /** For file sinks: where the output now lives, relative to the outputs folder. */
  output?: { name: string; path: string; format: string; bytes: number };
}
