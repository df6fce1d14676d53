import type pg from "pg";

/**
 * Sets a role's password with both values bound: ALTER ROLE takes no parameters, so they pass through
 * session settings into format(%I, %L) inside the server, and the password is cleared from the session after.
 */
export async function setRolePassword(client: pg.Client, role: string, password: string): Promise<void> {
  await client.query("SELECT set_config('sluice.role_name', $1, false), set_config('sluice.role_password', $2, false)", [role, password]);
  try {
    await client.query(
      "DO $$ BEGIN EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', current_setting('sluice.role_name'), current_setting('sluice.role_password')); END $$",
    );
  } finally {
    await client.query("SELECT set_config('sluice.role_password', '', false)");
  }
}
