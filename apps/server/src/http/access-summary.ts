import type { Config } from "../config.ts";

/** What the server logs at start about who can reach it, so an admin sees the effect of HOST and the token setting. */
export function accessSummary(config: Pick<Config, "network" | "apiTokens">): string[] {
  const { network, apiTokens } = config;
  const names = ["localhost", "127.0.0.1", "[::1]", ...network.hosts.map((h) => (h.port ? `${h.hostname}:${h.port}` : h.hostname))];
  const lines = [`answers to the host names ${[...new Set(names)].join(", ")} (others: set ALLOWED_HOSTS or PUBLIC_URL)`];
  if (apiTokens.reads) lines.push("every API request needs an API token; create the first with `npm run token:create`");
  else if (apiTokens.writes) lines.push("API requests that change data need an API token; create the first with `npm run token:create`");
  if (network.onNetwork && !apiTokens.writes) {
    lines.push("WARNING: listening beyond loopback with REQUIRE_API_TOKENS=false: anyone who can reach this port can read and change everything");
  }
  return lines;
}
