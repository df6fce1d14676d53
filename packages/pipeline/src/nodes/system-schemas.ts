import { error, type Issue } from "@sluice/model";

/**
 * Schemas no pipeline reads from or writes to, on any connection: every schema named `pg_…` (PostgreSQL
 * reserves the prefix for itself: pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N), information_schema, and
 * pgboss, where Sluice's run queue lives. Compared without case: a user schema spelled "PG_Catalog" is not
 * worth the doubt it would cause. This is defence in depth; what a connection may touch is decided by the
 * privileges of its database user.
 */
export function isSystemSchema(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("pg_") || lower === "information_schema" || lower === "pgboss";
}

export function systemSchemaIssue(schema: string, where: { nodeId: string; field: string }): Issue {
  return error(
    "SYSTEM_SCHEMA_REFUSED",
    `Schema "${schema}" belongs to PostgreSQL or to Sluice itself (pg_*, information_schema, pgboss); pipelines may not read or write it. Choose another schema.`,
    where,
  );
}
