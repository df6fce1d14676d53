import { setupRequestSchema } from "@sluice/model";
import type { Config } from "../config.ts";
import type { Deps } from "../http/deps.ts";
import { createOwner } from "./accounts.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/**
 * Headless first start (Docker, CI): SLUICE_OWNER_EMAIL and SLUICE_OWNER_PASSWORD create the owner when no account
 * exists yet (they are ignored afterwards, so changing them never resets anyone's password); SLUICE_OWNER_TOKEN is
 * an owner API token of the Default workspace for as long as it is set.
 */
export async function provisionOwner(deps: Deps, owner: Config["owner"], log: (m: string) => void): Promise<void> {
  const { email, password, token } = owner;
  if ((email === undefined) !== (password === undefined)) {
    throw new Error("Set both SLUICE_OWNER_EMAIL and SLUICE_OWNER_PASSWORD to create the owner account at start, or neither.");
  }
  if (email !== undefined && password !== undefined && (await deps.auth.accounts.users.count()) === 0) {
    const parsed = setupRequestSchema.safeParse({ email, password, name: email.split("@")[0] ?? "owner" });
    if (!parsed.success) {
      throw new Error(`SLUICE_OWNER_EMAIL / SLUICE_OWNER_PASSWORD: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    const user = await createOwner(deps.auth.accounts, parsed.data, null);
    log(`created the owner account ${user.email} (SLUICE_OWNER_EMAIL)`);
  }
  if (token !== undefined) {
    await deps.tokens.provisionOwnerToken(DEFAULT_WORKSPACE_ID, token);
    log("SLUICE_OWNER_TOKEN is an owner API token of the Default workspace");
  } else {
    await deps.tokens.retireOwnerToken();
  }
}

/** Served beyond loopback with no account yet: owner setup takes a code only the server's log shows (setup-code.ts). */
export async function requireSetupCode(deps: Deps, onNetwork: boolean, log: (m: string) => void): Promise<void> {
  if (!onNetwork || (await deps.auth.accounts.users.count()) > 0) return;
  log(`owner setup on this network-facing install needs the setup code ${deps.auth.setupCode.issue()} (shown only here; it stops working once the owner exists)`);
}
