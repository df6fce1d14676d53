import { z } from "zod";
import { headerNameProblem, headerValueProblem } from "../http-headers.ts";
import { displayNameSchema } from "../display-name.ts";

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

/**
 * The hosts an HTTP credential may be sent to; names only (no scheme, port or path), compared case-insensitively.
 * At least one: a credential without hosts would go wherever a node's URL points.
 */
export const httpCredentialSettingsSchema = z.strictObject({
  hosts: z.array(hostname.transform((h) => h.toLowerCase())).min(1, "add at least one host the secrets may be sent to").max(50),
});
export type HttpCredentialSettings = z.infer<typeof httpCredentialSettingsSchema>;

const headerName = z
  .string()
  .trim()
  .min(1, "a header name is required")
  .max(200)
  .refine((n) => headerNameProblem(n) === undefined, { error: (i) => headerNameProblem(String(i.input)) ?? "not a valid header name" });
const headerValue = z
  .string()
  .min(1, "a value is required")
  .max(8000)
  .refine((v) => headerValueProblem(v) === undefined, "Header values cannot contain line breaks.");
const distinctNames = (headers: { name: string }[]) => new Set(headers.map((h) => h.name.toLowerCase())).size === headers.length;

/** A secret header as sent to the server: the value is write-only, stored encrypted, never returned. */
export const secretHeaderSchema = z.strictObject({ name: headerName, value: headerValue });
export type SecretHeader = z.infer<typeof secretHeaderSchema>;

const queryParamName = z.string().trim().min(1, "a parameter name is required").max(200);
const queryParamValue = z.string().min(1, "a value is required").max(8000);

/** A secret URL query parameter (api_key, access_token, …) as sent to the server: write-only like a header value. */
export const secretQueryParamSchema = z.strictObject({ name: queryParamName, value: queryParamValue });
export type SecretQueryParam = z.infer<typeof secretQueryParamSchema>;

/** A credential's secret headers and query parameters: none of either is fine, none of both is not. */
const someSecret = (c: { headers?: unknown[] | undefined; queryParams?: unknown[] | undefined }) => (c.headers?.length ?? 0) + (c.queryParams?.length ?? 0) > 0;

export const connectionIdParamsSchema = z.object({ id: z.uuid("not a connection id") });

const connectionName = displayNameSchema;

export const createPostgresConnectionRequestSchema = z.strictObject({
  name: connectionName,
  kind: z.literal("postgres").default("postgres"),
  settings: postgresSettingsSchema,
  /** Write-only: stored encrypted, never returned. */
  password: z.string().max(1000).optional(),
});

export const createHttpCredentialRequestSchema = z.strictObject({
  name: connectionName,
  kind: z.literal("http"),
  settings: httpCredentialSettingsSchema,
  /** Write-only: stored encrypted; only their names are ever returned. */
  headers: z.array(secretHeaderSchema).max(20).refine(distinctNames, "each header name once").default([]),
  /** Write-only like headers: added to the URL of each request to the credential's hosts. */
  queryParams: z.array(secretQueryParamSchema).max(20).refine(distinctNames, "each parameter name once").default([]),
}).refine(someSecret, { error: "add at least one header or query parameter", path: ["headers"] });

/** A Postgres connection (the default kind) or an HTTP credential. */
export const createConnectionRequestSchema = z.discriminatedUnion("kind", [createPostgresConnectionRequestSchema, createHttpCredentialRequestSchema]);
export type CreateConnectionRequest = z.input<typeof createConnectionRequestSchema>;

const updatePostgresConnectionRequestSchema = z.strictObject({
  kind: z.literal("postgres").optional(),
  name: connectionName.optional(),
  settings: postgresSettingsSchema.optional(),
  /** Omit to keep the stored password; null clears it. */
  password: z.string().max(1000).nullable().optional(),
});

const updateHttpCredentialRequestSchema = z.strictObject({
  kind: z.literal("http"),
  name: connectionName.optional(),
  settings: httpCredentialSettingsSchema.optional(),
  /**
   * The whole new list of secret headers; omit to keep them all. A header without a value keeps the value
   * stored under that name, so an edit never needs the secrets it does not change.
   */
  headers: z
    .array(z.strictObject({ name: headerName, value: headerValue.optional() }))
    .max(20)
    .refine(distinctNames, "each header name once")
    .optional(),
  /** The whole new list of secret query parameters, kept and replaced like headers. */
  queryParams: z
    .array(z.strictObject({ name: queryParamName, value: queryParamValue.optional() }))
    .max(20)
    .refine(distinctNames, "each parameter name once")
    .optional(),
});

/** Edits keep a connection's kind: an HTTP credential's edit says `kind: "http"`. */
export const updateConnectionRequestSchema = z.discriminatedUnion("kind", [updatePostgresConnectionRequestSchema, updateHttpCredentialRequestSchema]);
export type UpdateConnectionRequest = z.input<typeof updateConnectionRequestSchema>;

const connectionCommon = {
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const postgresConnectionSchema = z.object({
  ...connectionCommon,
  kind: z.literal("postgres"),
  settings: postgresSettingsSchema,
  hasPassword: z.boolean(),
  /** Sluice's built-in warehouse (a database and a role of its own, schema `warehouse`); it cannot be edited or deleted. */
  builtIn: z.boolean(),
  /** Why the connection cannot be used, for people; only the built-in warehouse has one, when Sluice could not set it up safely. */
  unavailable: z.string().optional(),
});
export type PostgresConnectionInfo = z.infer<typeof postgresConnectionSchema>;

export const httpCredentialSchema = z.object({
  ...connectionCommon,
  kind: z.literal("http"),
  settings: z.object({ hosts: z.array(z.string()) }),
  /** The names of the stored secret headers; their values are never returned. */
  headerNames: z.array(z.string()),
  /** The names of the stored secret query parameters; their values are never returned. */
  queryParamNames: z.array(z.string()),
  builtIn: z.literal(false),
});
export type HttpCredentialInfo = z.infer<typeof httpCredentialSchema>;

export const connectionSchema = z.discriminatedUnion("kind", [postgresConnectionSchema, httpCredentialSchema]);
export type ConnectionInfo = z.infer<typeof connectionSchema>;
export type ConnectionKind = ConnectionInfo["kind"];

export const connectionListSchema = z.object({ connections: z.array(connectionSchema) });

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  serverVersion: z.string().optional(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
