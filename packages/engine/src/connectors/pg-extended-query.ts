import type pg from "pg";

/**
 * Runs one statement over the extended protocol (Parse, Bind, Execute), where PostgreSQL itself refuses a
 * text holding more than one statement, unlike the simple protocol node-postgres uses for a query without
 * parameters. node-postgres has done this on request since 8.9; @types/pg does not know the option yet.
 */
export function extendedQuery<R extends pg.QueryResultRow = Record<string, unknown>>(client: pg.Client, text: string): Promise<pg.QueryResult<R>> {
  const config: pg.QueryConfig & { queryMode: "extended" } = { text, values: [], queryMode: "extended" };
  return client.query<R>(config);
}
