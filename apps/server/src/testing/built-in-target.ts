import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import { sqlRows } from "./sql-rows.ts";

/**
 * Runs SQL where pipelines using the built-in connection write, as that connection's user (the test
 * server trusts local connections, so no password is needed): to set up a target and see it afterwards.
 */
export async function builtInTargetSql(metadataUrl: string, text: string): Promise<Record<string, unknown>[]> {
  const [row] = await sqlRows(metadataUrl, "SELECT settings FROM connections WHERE id = $1", [BUILT_IN_CONNECTION_ID]);
  const s = row?.settings as { host: string; port: number; database: string; user: string } | undefined;
  if (!s) throw new Error("the built-in connection is missing");
  return sqlRows(`postgresql://${encodeURIComponent(s.user)}@${s.host}:${s.port}/${encodeURIComponent(s.database)}`, text);
}
