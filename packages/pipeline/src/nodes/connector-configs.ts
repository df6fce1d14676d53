/**
 * What the engine's connectors need from the catalog: the config schemas that double as load and sink
 * specs (the engine parses every spec it receives), and the helpers both sides must agree on.
 */
export { fileSourceConfigSchema, type FileSourceConfig } from "./source/file.node.ts";
export { fileReadSql, effectiveCsvOptions } from "./source/file-read-sql.ts";
export {
  postgresSourceConfigSchema,
  postgresSourceConfigIssues,
  postgresSourceSpec,
  type PostgresSourceConfig,
  type PostgresSourceSpec,
} from "./source/postgres.node.ts";
export { isSystemSchema, systemSchemaIssue } from "./system-schemas.ts";
export { httpSourceConfigSchema, httpSourceConfigIssues, graphSecretIssues, type HttpSourceConfig, type HttpPagination } from "./source/http.node.ts";
export { urlSecrets, urlSecretLabels, type UrlSecrets } from "./source/http-url-secrets.ts";
export { postgresSinkConfigSchema, LOAD_LEDGER_TABLE, LOAD_STAGE_PREFIX, type PostgresSinkConfig, type PostgresSinkSpec } from "./sink/postgres-sink.node.ts";
export { fileSinkConfigSchema, outputFileName, type FileSinkConfig, type FileSinkSpec } from "./sink/file-sink.node.ts";
