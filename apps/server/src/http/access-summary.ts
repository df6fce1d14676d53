import type { Config } from "../config.ts";

/** What the server logs at start about who can reach it, so an admin sees the effect of HOST and PUBLIC_URL. */
export function accessSummary(config: Pick<Config, "network" | "publicUrl">, hasAccounts: boolean): string[] {
  const { network } = config;
  const names = ["localhost", "127.0.0.1", "[::1]", ...network.hosts.map((h) => (h.port ? `${h.hostname}:${h.port}` : h.hostname))];
  const lines = [`answers to the host names ${[...new Set(names)].join(", ")} (others: set ALLOWED_HOSTS or PUBLIC_URL)`];
  lines.push("every API request but health, sign-in, owner setup and the API description needs a signed-in session or an API token");
  if (!hasAccounts) lines.push("no account yet: open the web app to create the owner account (or set SLUICE_OWNER_EMAIL and SLUICE_OWNER_PASSWORD)");
  if (network.onNetwork && !(config.publicUrl ?? "").startsWith("https:")) {
    lines.push("WARNING: served beyond loopback without an https PUBLIC_URL: passwords and session cookies cross the network in clear; put Sluice behind HTTPS (docs/security.md)");
  }
  return lines;
}
