export type * from "./connector.ts";
export { testPostgresConnection, connectPostgres, postgresClientConfig, describeConnectError, type ConnectionTest } from "./postgres-connection.ts";
