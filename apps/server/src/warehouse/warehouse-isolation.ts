import type pg from "pg";

/**
 * Predefined roles that reach past a database: server files, server programs, every table. A warehouse
 * role in any of them could read Sluice's secrets however its own database is set up.
 */
const PRIVILEGED_ROLES = ["pg_read_server_files", "pg_write_server_files", "pg_execute_server_program", "pg_read_all_data", "pg_write_all_data"];

export interface MetadataSide {
  database: string;
  user: string;
  started: string;
}

/** Who Sluice is on its metadata database, and which server that is. */
export async function describeMetadata(meta: pg.Client): Promise<MetadataSide> {
  const { rows } = await meta.query<MetadataSide>(
    "SELECT current_database() AS database, current_user AS user, pg_postmaster_start_time()::text AS started",
  );
  return rows[0]!;
}

/**
 * Why the warehouse connection `wh` is not safe to hand to pipelines, or null when it is: its role must not
 * be a superuser or able to make roles, replicate, skip row security, read server files or all data, and
 * (when it lives on the same server as the metadata) must not be, or act as, Sluice's own user, nor be able
 * to connect to the metadata database at all. The queries run as the warehouse role itself, so they see
 * exactly what a pipeline would.
 */
export async function isolationProblem(meta: MetadataSide, wh: pg.Client, source: string): Promise<string | null> {
  const { rows } = await wh.query<{ database: string; user: string; started: string; super: boolean; createrole: boolean; replication: boolean; bypassrls: boolean }>(
    `SELECT current_database() AS database, current_user AS user, pg_postmaster_start_time()::text AS started,
            r.rolsuper AS super, r.rolcreaterole AS createrole, r.rolreplication AS replication, r.rolbypassrls AS bypassrls
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const me = rows[0]!;
  const role = `${source} connects as "${me.user}"`;
  if (me.super) return `${role}, a superuser, who could read server files and every table. Use a role without SUPERUSER.`;
  const powers = [me.createrole && "CREATEROLE", me.replication && "REPLICATION", me.bypassrls && "BYPASSRLS"].filter(Boolean);
  if (powers.length) return `${role}, who has ${powers.join(", ")}. Use a role without ${powers.join(", ")}.`;
  const granted = await wh.query<{ rolname: string }>(
    "SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND pg_has_role(current_user, oid, 'MEMBER') ORDER BY rolname",
    [PRIVILEGED_ROLES],
  );
  if (granted.rowCount) {
    const names = granted.rows.map((r) => r.rolname).join(", ");
    return `${role}, who is a member of ${names}. Revoke that membership.`;
  }
  // Another server cannot reach the metadata tables through this one; on the same server, check access.
  if (me.started !== meta.started) return null;
  if (me.database === meta.database) return `${source} is Sluice's own metadata database "${meta.database}". Give the warehouse a database of its own.`;
  if (me.user === meta.user) return `${role}, Sluice's own metadata user. Give the warehouse a role of its own.`;
  const reach = await wh.query<{ acts: boolean; connects: boolean }>(
    "SELECT pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = $1), 'MEMBER') AS acts, has_database_privilege(current_user, $2, 'CONNECT') AS connects",
    [meta.user, meta.database],
  );
  const { acts, connects } = reach.rows[0]!;
  if (acts) return `${role}, who is a member of Sluice's metadata user "${meta.user}". Revoke that membership.`;
  if (connects) {
    return `${role}, who may connect to Sluice's metadata database "${meta.database}". Run REVOKE CONNECT ON DATABASE "${meta.database}" FROM PUBLIC (and from "${me.user}") as its owner.`;
  }
  return null;
}
