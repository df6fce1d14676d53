import { error, type Issue } from "@sluice/model";

/** The schema of Sluice's run queue (pg-boss) in its metadata database; the server's queue is made there. */
export const QUEUE_SCHEMA = "pgboss";

/** The system schemas as every message that refuses one names them. */
export const SYSTEM_SCHEMAS = `pg_*, information_schema, ${QUEUE_SCHEMA}`;

/**
 * Schemas no pipeline reads from or writes to, on any connection: every schema named `pg_…` (PostgreSQL
 * reserves the prefix for itself: pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N), information_schema, and
 * pgboss, where Sluice's run queue lives. Compared without case: a user schema spelled "PG_Catalog" is not
 * worth the doubt it would cause. This is defence in depth; what a connection may touch is decided by the
 * privileges of its database user.
 */
export function isSystemSchema(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("pg_") || lower === "information_schema" || lower === QUEUE_SCHEMA;
}

export function systemSchemaIssue(schema: string, where: { nodeId: string; field: string }): Issue {
  return error(
    "SYSTEM_SCHEMA_REFUSED",
    `Schema "${schema}" belongs to PostgreSQL or to Sluice itself (${SYSTEM_SCHEMAS}); pipelines may not read or write it. Choose another schema.`,
    where,
  );
}
