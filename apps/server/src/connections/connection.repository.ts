import { z } from "zod";
import {
  postgresSettingsSchema,
  type ConnectionInfo,
  type createConnectionRequestSchema,
  type PostgresSettings,
  type SecretHeader,
  type updateConnectionRequestSchema,
} from "@sluice/model";
import { DEFAULT_CONNECTION_POLICY, trustingHost, type AddressPolicy, type HttpCredentialSecret, type PostgresConnectionSettings } from "@sluice/engine";
import type { Db } from "../db/prisma.ts";
import type { SecretBox } from "./secret-box.ts";
import type { WarehouseState } from "../warehouse/warehouse-settings.ts";

/**
 * The built-in warehouse: a database and a least-privilege role of its own (never Sluice's metadata database),
 * schema `warehouse`, so the demo can load data with no setup. See warehouse/warehouse-provisioner.ts.
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

/** What an HTTP credential keeps unencrypted: its hosts and the names (never the values) of its headers. */
const httpStoredSettings = z.object({ hosts: z.array(z.string()), headerNames: z.array(z.string()) });
const sealedHeaders = z.array(z.object({ name: z.string(), value: z.string() }));

type CreateBody = z.output<typeof createConnectionRequestSchema>;
type UpdateBody = z.output<typeof updateConnectionRequestSchema>;

/** Why an edit of an HTTP credential cannot be made; the handler turns it into a 400 or 409. */
export type UpdateRefusal = { refused: "KIND_MISMATCH" | "HEADER_VALUE_REQUIRED"; message: string; field?: string };

function toInfo(row: Row): ConnectionInfo {
  if (row.kind === "http") {
    const s = httpStoredSettings.parse(row.settings);
    return { id: row.id, name: row.name, kind: "http", settings: { hosts: s.hosts }, headerNames: s.headerNames, builtIn: false, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
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

export function connectionRepository(db: Db, box: SecretBox, addressPolicy: AddressPolicy = DEFAULT_CONNECTION_POLICY) {
  return {
    /** Where this server's database connections may go; resolve() hands it to the engine with the settings. */
    addressPolicy,
    async list(): Promise<ConnectionInfo[]> {
      const rows = await db.connection.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
      return rows.map(toInfo);
    },
    async get(id: string): Promise<ConnectionInfo | null> {
      const row = await db.connection.findUnique({ where: { id } });
      return row ? toInfo(row) : null;
    },
    async create(input: CreateBody, id?: string) {
      const data =
        input.kind === "http"
          ? { kind: "http", settings: { hosts: input.settings.hosts, headerNames: input.headers.map((h) => h.name) }, secretEncrypted: box.seal(JSON.stringify(input.headers)) }
          : { kind: "postgres", settings: input.settings, secretEncrypted: input.password === undefined ? null : box.seal(input.password) };
      const row = await db.connection.create({ data: { ...(id ? { id } : {}), name: input.name, ...data } });
      return toInfo(row);
    },
    /** Null when there is no such connection; a refusal when the edit does not fit the stored one. */
    async update(id: string, input: UpdateBody): Promise<ConnectionInfo | UpdateRefusal | null> {
      const row = await db.connection.findUnique({ where: { id } });
      if (!row) return null;
      const kind = input.kind ?? "postgres";
      if (row.kind !== kind) {
        return { refused: "KIND_MISMATCH", message: `This connection is ${row.kind === "http" ? "an HTTP credential" : "a Postgres connection"}; its kind cannot change. Create a new one instead.`, field: "kind" };
      }
      let data: { name?: string; settings?: object; secretEncrypted?: string | null };
      if (input.kind === "http") {
        const stored = httpStoredSettings.parse(row.settings);
        let headers: SecretHeader[] | undefined;
        if (input.headers) {
          const old = new Map(row.secretEncrypted ? sealedHeaders.parse(JSON.parse(box.open(row.secretEncrypted))).map((h) => [h.name.toLowerCase(), h.value]) : []);
          headers = [];
          for (const [i, h] of input.headers.entries()) {
            const value = h.value ?? old.get(h.name.toLowerCase());
            if (value === undefined) return { refused: "HEADER_VALUE_REQUIRED", message: `Enter a value for the new header ${h.name}.`, field: `headers.${i}.value` };
            headers.push({ name: h.name, value });
          }
        }
        data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          settings: { hosts: input.settings?.hosts ?? stored.hosts, headerNames: headers ? headers.map((h) => h.name) : stored.headerNames },
          ...(headers ? { secretEncrypted: box.seal(JSON.stringify(headers)) } : {}),
        };
      } else {
        data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.settings !== undefined ? { settings: input.settings } : {}),
          ...(input.password !== undefined ? { secretEncrypted: input.password === null ? null : box.seal(input.password) } : {}),
        };
      }
      const { count } = await db.connection.updateMany({ where: { id, kind }, data });
      return count ? this.get(id) : null;
    },
    async remove(id: string): Promise<boolean> {
      const { count } = await db.connection.deleteMany({ where: { id } });
      return count > 0;
    },
    /** Settings with the password decrypted, for the engine only; a connection that is off says why. */
    async resolve(id: string): Promise<ResolvedConnection> {
      const row = await db.connection.findUnique({ where: { id } });
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
    /** An HTTP credential with its secret headers decrypted, for the engine only; null for any other id. */
    async resolveHttpCredential(id: string): Promise<HttpCredentialSecret | null> {
      if (!z.uuid().safeParse(id).success) return null;
      const row = await db.connection.findUnique({ where: { id } });
      if (!row || row.kind !== "http" || !row.secretEncrypted) return null;
      const headers = sealedHeaders.parse(JSON.parse(box.open(row.secretEncrypted)));
      return { name: row.name, hosts: httpStoredSettings.parse(row.settings).hosts, headers };
    },
    /**
     * Points the built-in connection at the warehouse set up at this start (its port may change per start), or
     * turns it off with the reason: then it keeps no password, and resolve() refuses it.
     */
    async setBuiltIn(state: WarehouseState) {
      const settings: PostgresSettings = state.settings;
      const data = state.available
        ? { settings, secretEncrypted: state.password ? box.seal(state.password) : null, unavailableReason: null }
        : { settings, secretEncrypted: null, unavailableReason: state.reason };
      await db.connection.upsert({
        where: { id: BUILT_IN_CONNECTION_ID },
        create: { id: BUILT_IN_CONNECTION_ID, name: "Sluice warehouse (built-in)", kind: "postgres", ...data },
        update: data,
      });
    },
  };
}

export type ConnectionRepository = ReturnType<typeof connectionRepository>;
