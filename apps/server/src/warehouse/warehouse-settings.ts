import { createHmac } from "node:crypto";
import type { PostgresSettings } from "@sluice/model";

/** What the built-in warehouse connection is: usable, with its password, or turned off, with the reason. */
export type WarehouseState =
  | { available: true; settings: PostgresSettings; password: string }
  | { available: false; settings: PostgresSettings; reason: string };

const SSL_MODES = new Set(["disable", "prefer", "require", "verify-full"]);

/** Connection settings from a postgres:// URL, with its database and user replaced when given. */
export function settingsFromUrl(url: string, override: { database?: string; user?: string } = {}): PostgresSettings {
  const u = new URL(url);
  const sslmode = u.searchParams.get("sslmode") ?? "disable";
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || 5432),
    database: override.database ?? (decodeURIComponent(u.pathname.slice(1)) || "postgres"),
    user: override.user ?? (decodeURIComponent(u.username) || "postgres"),
    sslMode: (SSL_MODES.has(sslmode) ? sslmode : "require") as PostgresSettings["sslMode"],
  };
}

export const passwordFromUrl = (url: string) => decodeURIComponent(new URL(url).password);

/**
 * The warehouse role's password, derived from the secret key, so every Sluice process sharing the key
 * arrives at the same one without storing it anywhere new; a new key gives a new password at the next start.
 */
export function warehousePassword(secretKey: Buffer, role: string): string {
  return createHmac("sha256", secretKey).update(`sluice warehouse role\0${role}`).digest("hex");
}
