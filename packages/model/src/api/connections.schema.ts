import { z } from "zod";

/**
 * Structured fields only, never a connection URL: a URL's options could point the driver at another host
 * or a local key file.
 */
const hostname = z
  .string()
  .trim()
  .min(1, "a host is required")
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, "a host name or IP address, without scheme, port or path");

export const sslModeSchema = z.enum(["disable", "prefer", "require", "verify-full"]);

export const postgresSettingsSchema = z.strictObject({
  host: hostname,
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().trim().min(1, "a database name is required").max(63),
  user: z.string().trim().min(1, "a user is required").max(63),
  sslMode: sslModeSchema.default("prefer"),
});
export type PostgresSettings = z.infer<typeof postgresSettingsSchema>;

export const connectionIdParamsSchema = z.object({ id: z.uuid("not a connection id") });

export const createConnectionRequestSchema = z.strictObject({
  name: z.string().trim().min(1, "a name is required").max(200),
  kind: z.literal("postgres").default("postgres"),
  settings: postgresSettingsSchema,
  /** Write-only: stored encrypted, never returned. */
  password: z.string().max(1000).optional(),
});
export type CreateConnectionRequest = z.input<typeof createConnectionRequestSchema>;

export const updateConnectionRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  settings: postgresSettingsSchema.optional(),
  /** Omit to keep the stored password; null clears it. */
  password: z.string().max(1000).nullable().optional(),
});
export type UpdateConnectionRequest = z.input<typeof updateConnectionRequestSchema>;

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.literal("postgres"),
  settings: postgresSettingsSchema,
  hasPassword: z.boolean(),
  /** The connection to Sluice's own database (schema `warehouse`); it cannot be edited or deleted. */
  builtIn: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionInfo = z.infer<typeof connectionSchema>;

export const connectionListSchema = z.object({ connections: z.array(connectionSchema) });

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  serverVersion: z.string().optional(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
