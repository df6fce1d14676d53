import { z } from "zod";
import {
  addedCredentialHosts,
  isUuid,
  postgresDestinationChanges,
  postgresSettingsSchema,
  SECRET_REQUIRED_MESSAGE,
  type ConnectionInfo,
  type createConnectionRequestSchema,
  type PostgresSettings,
  type updateConnectionRequestSchema,
} from "@sluice/model";
import { DEFAULT_CONNECTION_POLICY, trustingHost, type AddressPolicy, type HttpCredentialSecret, type PostgresConnectionSettings } from "@sluice/engine";
import type { Db, Tx } from "../db/prisma.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import type { SecretBox } from "./secret-box.ts";
import type { WarehouseState } from "../warehouse/warehouse-settings.ts";

/**
 * The built-in warehouse: a database and a least-privilege role of its own (never Sluice's metadata database),
 * schema `warehouse`, so the demo can load data with no setup. See warehouse/warehouse-provisioner.ts. It belongs
 * to the Default workspace; other workspaces add connections of their own.
 */
export const BUILT_IN_CONNECTION_ID = "00000000-0000-4000-8000-00000000c0de";

type Row = {
  id: string;
  name: string;
  kind: string;
  settings: unknown;
  secretEncrypted: string | null;
  unavailableReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** Settings with the password decrypted, or why there are none. */
export type ResolvedConnection =
  | { ok: true; settings: PostgresConnectionSettings }
  | { ok: false; code: "CONNECTION_NOT_FOUND" | "CONNECTION_UNAVAILABLE"; message: string };

/** What an HTTP credential keeps unencrypted: its hosts and the names (never the values) of its secrets. */
const httpStoredSettings = z.object({ hosts: z.array(z.string()), headerNames: z.array(z.string()), queryParamNames: z.array(z.string()).default([]) });
type Secret = { name: string; value: string };
type Sealed = { headers: Secret[]; queryParams: Secret[] };
const secretList = z.array(z.object({ name: z.string(), value: z.string() }));
/** The sealed secrets: headers and query parameters, or (stored before query parameters) a list of headers. */
const sealedSecrets = z.union([secretList.transform((headers): Sealed => ({ headers, queryParams: [] })), z.object({ headers: secretList, queryParams: secretList })]);

type CreateBody = z.output<typeof createConnectionRequestSchema>;
type UpdateBody = z.output<typeof updateConnectionRequestSchema>;

/**
 * Why an edit cannot be made; the handler turns it into a 400 or 409. SECRET_REQUIRED: the edit points a stored
 * secret somewhere else without carrying it again, naming each secret field to fill.
 */
export type UpdateRefusal =
  | { refused: "KIND_MISMATCH"; message: string }
  | { refused: "VALUE_REQUIRED"; message: string; field: string }
  | { refused: "SECRET_REQUIRED"; message: string; problems: { field: string; message: string }[] };

type SecretEdit = { name: string; value?: string | undefined }[] | undefined;

/**
 * The new list of one kind of secret: the edit's list, each without a value keeping the one stored under its name,
 * or the stored list when the edit sends none. When `retype` (the credential may now go to a new host), every value
 * must be sent again; the fields that lack one are returned instead.
 */
function mergeSecrets(field: string, stored: Secret[], edit: SecretEdit, retype: boolean): { secrets: Secret[] } | { missing: { field: string; name: string }[]; newName?: string } {
  const wanted: { name: string; value?: string | undefined }[] = edit ?? stored.map((s) => ({ name: s.name }));
  const old = new Map(stored.map((s) => [s.name.toLowerCase(), s.value]));
  const secrets: Secret[] = [];
  const missing: { field: string; name: string }[] = [];
  for (const [i, s] of wanted.entries()) {
    const kept = retype ? undefined : old.get(s.name.toLowerCase());
    const value = s.value ?? kept;
    if (value === undefined) {
      if (!retype) return { missing: [{ field: `${field}.${i}.value`, name: s.name }], newName: s.name };
      missing.push({ field: `${field}.${i}.value`, name: s.name });
    } else secrets.push({ name: s.name, value });
  }
  return missing.length ? { missing } : { secrets };
}

function toInfo(row: Row): ConnectionInfo {
  if (row.kind === "http") {
    const s = httpStoredSettings.parse(row.settings);
    return { id: row.id, name: row.name, kind: "http", settings: { hosts: s.hosts }, headerNames: s.headerNames, queryParamNames: s.queryParamNames, builtIn: false, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
  }
  return {
    id: row.id,
    name: row.name,
    kind: "postgres",
    settings: postgresSettingsSchema.parse(row.settings),
    hasPassword: row.secretEncrypted !== null,
    builtIn: row.id === BUILT_IN_CONNECTION_ID,
    ...(row.unavailableReason !== null ? { unavailable: row.unavailableReason } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Connections belong to a workspace: every method takes its id first, and a connection of another workspace is not
 * found (the routes answer 404, validation says CONNECTION_NOT_FOUND). Changes take the transaction of their audit entry.
 */
export function connectionRepository(db: Db, box: SecretBox, addressPolicy: AddressPolicy = DEFAULT_CONNECTION_POLICY) {
  // Ids come from graphs people write too: one that is not a UUID names no connection (and must not reach a uuid cast).
  const find = async (q: Tx | Db, workspaceId: string, id: string) => (isUuid(id) ? q.connection.findFirst({ where: { id, workspaceId } }) : null);
  return {
    /** Where this server's database connections may go; resolve() hands it to the engine with the settings. */
    addressPolicy,
    async list(workspaceId: string): Promise<ConnectionInfo[]> {
      const rows = await db.connection.findMany({ where: { workspaceId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
      return rows.map(toInfo);
    },
    async get(workspaceId: string, id: string, tx: Tx | Db = db): Promise<ConnectionInfo | null> {
      const row = await find(tx, workspaceId, id);
      return row ? toInfo(row) : null;
    },
    /** `id` keeps a chosen id (moved header secrets get one derived from their pipeline and node). */
    async create(workspaceId: string, input: CreateBody, o: { id?: string; tx?: Tx } = {}) {
      const data =
        input.kind === "http"
          ? {
              kind: "http",
              settings: { hosts: input.settings.hosts, headerNames: input.headers.map((h) => h.name), queryParamNames: input.queryParams.map((p) => p.name) },
              secretEncrypted: box.seal(JSON.stringify({ headers: input.headers, queryParams: input.queryParams })),
            }
          : { kind: "postgres", settings: input.settings, secretEncrypted: input.password === undefined ? null : box.seal(input.password) };
      const row = await (o.tx ?? db).connection.create({ data: { ...(o.id ? { id: o.id } : {}), workspaceId, name: input.name, ...data } });
      return toInfo(row);
    },
    /** Null when the workspace has no such connection; a refusal when the edit does not fit the stored one. */
    async update(workspaceId: string, id: string, input: UpdateBody, tx: Tx | Db = db): Promise<ConnectionInfo | UpdateRefusal | null> {
      const row = await find(tx, workspaceId, id);
      if (!row) return null;
      const kind = input.kind ?? "postgres";
      if (row.kind !== kind) {
        return { refused: "KIND_MISMATCH", message: `This connection is ${row.kind === "http" ? "an HTTP credential" : "a Postgres connection"}; its kind cannot change. Create a new one instead.` };
      }
      let data: { name?: string; settings?: object; secretEncrypted?: string | null };
      if (input.kind === "http") {
        const stored = httpStoredSettings.parse(row.settings);
        const sealed = row.secretEncrypted ? sealedSecrets.parse(JSON.parse(box.open(row.secretEncrypted))) : { headers: [], queryParams: [] };
        const hosts = input.settings?.hosts ?? stored.hosts;
        // A stored secret goes to a host it was not saved for only when the edit carries it again.
        const retype = addedCredentialHosts(stored.hosts, hosts).length > 0;
        const headers = mergeSecrets("headers", sealed.headers, input.headers, retype);
        const queryParams = mergeSecrets("queryParams", sealed.queryParams, input.queryParams, retype);
        if ("missing" in headers || "missing" in queryParams) {
          const missing = [...("missing" in headers ? headers.missing : []), ...("missing" in queryParams ? queryParams.missing : [])];
          const fresh = ("missing" in headers && headers.newName) || ("missing" in queryParams && queryParams.newName);
          if (fresh && !retype) {
            const what = missing[0]?.field.startsWith("headers") ? "header" : "query parameter";
            return { refused: "VALUE_REQUIRED", message: `Enter a value for the new ${what} ${fresh}.`, field: missing[0]?.field ?? "headers" };
          }
          const message = `Enter ${missing.map((m) => m.name).join(", ")} again: the credential's hosts changed, and its secrets are only sent to the hosts they were saved for.`;
          return { refused: "SECRET_REQUIRED", message, problems: missing.map((m) => ({ field: m.field, message: SECRET_REQUIRED_MESSAGE })) };
        }
        if (headers.secrets.length + queryParams.secrets.length === 0) return { refused: "VALUE_REQUIRED", message: "Add at least one header or query parameter.", field: "headers" };
        const changed = input.headers !== undefined || input.queryParams !== undefined;
        data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          settings: { hosts, headerNames: headers.secrets.map((h) => h.name), queryParamNames: queryParams.secrets.map((p) => p.name) },
          ...(changed ? { secretEncrypted: box.seal(JSON.stringify({ headers: headers.secrets, queryParams: queryParams.secrets })) } : {}),
        };
      } else {
        const stored = postgresSettingsSchema.parse(row.settings);
        const moved = input.settings ? postgresDestinationChanges(stored, input.settings) : [];
        if (row.secretEncrypted !== null && input.password === undefined && moved.length > 0) {
          const message = `Enter the password again: it is only sent to the server it was saved for, and the ${moved.join(", ")} changed.`;
          return { refused: "SECRET_REQUIRED", message, problems: [{ field: "password", message: SECRET_REQUIRED_MESSAGE }] };
        }
        data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.settings !== undefined ? { settings: input.settings } : {}),
          ...(input.password !== undefined ? { secretEncrypted: input.password === null ? null : box.seal(input.password) } : {}),
        };
      }
      const { count } = await tx.connection.updateMany({ where: { id, workspaceId, kind }, data });
      return count ? this.get(workspaceId, id, tx) : null;
    },
    async remove(workspaceId: string, id: string, tx: Tx | Db = db): Promise<boolean> {
      const { count } = await tx.connection.deleteMany({ where: { id, workspaceId } });
      return count > 0;
    },
    /** Settings with the password decrypted, for the engine only; a connection that is off says why. */
    async resolve(workspaceId: string, id: string): Promise<ResolvedConnection> {
      const row = await find(db, workspaceId, id);
      if (!row) return { ok: false, code: "CONNECTION_NOT_FOUND", message: `Connection ${id} does not exist; pick another one.` };
      if (row.unavailableReason !== null) {
        return { ok: false, code: "CONNECTION_UNAVAILABLE", message: `"${row.name}" is turned off: ${row.unavailableReason}` };
      }
      if (row.kind !== "postgres") return { ok: false, code: "CONNECTION_NOT_FOUND", message: `"${row.name}" is an HTTP credential, not a database connection; pick another one.` };
      const settings = postgresSettingsSchema.parse(row.settings);
      // The built-in warehouse's host is the administrator's (WAREHOUSE_URL, or this machine), never a user's: a strict policy lets it through.
      const policy = row.id === BUILT_IN_CONNECTION_ID ? trustingHost(addressPolicy, settings.host) : addressPolicy;
      return { ok: true, settings: { ...settings, password: row.secretEncrypted ? box.open(row.secretEncrypted) : "", addressPolicy: policy } };
    },
    /** An HTTP credential of the workspace with its secret headers decrypted, for the engine only; null for any other id. */
    async resolveHttpCredential(workspaceId: string, id: string): Promise<HttpCredentialSecret | null> {
      const row = await find(db, workspaceId, id);
      if (!row || row.kind !== "http" || !row.secretEncrypted) return null;
      const { headers, queryParams } = sealedSecrets.parse(JSON.parse(box.open(row.secretEncrypted)));
      return { name: row.name, hosts: httpStoredSettings.parse(row.settings).hosts, headers, queryParams };
    },
    /**
     * Points the built-in connection at the warehouse set up at this start (its port may change per start), or
     * turns it off with the reason: then it keeps no password, and resolve() refuses it. It is the Default workspace's.
     */
    async setBuiltIn(state: WarehouseState) {
      const settings: PostgresSettings = state.settings;
      const data = state.available
        ? { settings, secretEncrypted: state.password ? box.seal(state.password) : null, unavailableReason: null }
        : { settings, secretEncrypted: null, unavailableReason: state.reason };
      await db.connection.upsert({
        where: { id: BUILT_IN_CONNECTION_ID },
        create: { id: BUILT_IN_CONNECTION_ID, workspaceId: DEFAULT_WORKSPACE_ID, name: "Sluice warehouse (built-in)", kind: "postgres", ...data },
        update: data,
      });
    },
  };
}

export type ConnectionRepository = ReturnType<typeof connectionRepository>;
