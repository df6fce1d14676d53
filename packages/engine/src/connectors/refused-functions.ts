/**
 * Functions a postgres source's query may not call, by name in any schema: they read or write files on the
 * database server, run SQL text of their own (which no check of ours would see), reach other databases,
 * change settings, or act on other sessions and the server. A READ ONLY transaction stops none of them.
 *
 * This is defence in depth, not the boundary: a function reached another way (a view, a wrapper function, an
 * extension not listed here) is governed by the privileges of the connection's database user, which is where
 * the real limit belongs.
 */
const EXACT = new Set([
  // server files
  "pg_stat_file",
  // settings, which could also change how the next statement is read
  "set_config",
  // other sessions and the server itself
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_promote",
  "pg_switch_wal",
  "pg_backup_start",
  "pg_backup_stop",
  "pg_start_backup",
  "pg_stop_backup",
  "pg_wal_replay_pause",
  "pg_wal_replay_resume",
  "pg_log_backend_memory_contexts",
  "pg_logical_emit_message",
  "pg_import_system_collations",
  "pg_drop_replication_slot",
  // SQL text run by the function itself
  "ts_stat",
  "ts_rewrite",
  // large objects by their old names
  "loread",
  "lowrite",
]);

const PREFIXES = [
  "pg_read_", // pg_read_file, pg_read_binary_file
  "pg_ls_", // pg_ls_dir, pg_ls_logdir, pg_ls_waldir, pg_ls_tmpdir, …
  "pg_file_", // adminpack: pg_file_write, pg_file_rename, pg_file_unlink, …
  "pg_logdir_", // adminpack
  "lo_", // large objects: lo_import and lo_export read and write server files
  "dblink", // dblink, dblink_exec, dblink_connect, … (runs SQL elsewhere, outside this transaction)
  "pg_stat_reset", // statistics resets are not transactional
  "pg_replication_", // replication origins and slots
  "pg_create_", // replication slots, restore points
  "pg_copy_", // pg_copy_physical_replication_slot, pg_copy_logical_replication_slot
  "query_to_xml", // query_to_xml, query_to_xmlschema, query_to_xml_and_xmlschema run SQL text
  "cursor_to_xml",
  "table_to_xml",
  "schema_to_xml",
  "database_to_xml",
];

/** Whether the function named `name` (its last name part, as the parser gives it) is refused. */
export function isRefusedFunction(name: string): boolean {
  const lower = name.toLowerCase();
  return EXACT.has(lower) || PREFIXES.some((p) => lower.startsWith(p));
}
