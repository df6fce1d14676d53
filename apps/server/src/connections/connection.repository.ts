import { postgresSettingsSchema, type ConnectionInfo, type PostgresSettings } from "@sluice/model";
import type { PostgresConnectionSettings } from "@sluice/engine";
import type { Db } from "../db/prisma.ts";
import type { SecretBox } from "./secret-box.ts";

/** The connection to Sluice's own database, schema `warehouse`: lets the demo load data with no setup. */
export const BUILT_IN_CONNECTION_ID = "00000000-0000-4000-8000-00000000c0de";

type Row = { id: string; name: string; kind: string; settings: unknown; secretEncrypted: string | null; createdAt: Date; updatedAt: Date };

function toInfo(row: Row): ConnectionInfo {
  return {
    id: row.id,
    name: row.name,
    kind: "postgres",
    settings: postgresSettingsSchema.parse(row.settings),
    hasPassword: row.secretEncrypted !== null,
    builtIn: row.id === BUILT_IN_CONNECTION_ID,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function connectionRepository(db: Db, box: SecretBox) {
  return {
    async list(): Promise<ConnectionInfo[]> {
      const rows = await db.connection.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
      return rows.map(toInfo);
    },
    async get(id: string): Promise<ConnectionInfo | null> {
      const row = await db.connection.findUnique({ where: { id } });
      return row ? toInfo(row) : null;
    },
    async create(input: { name: string; settings: PostgresSettings; password?: string | undefined }, id?: string) {
      const row = await db.connection.create({
        data: {
          ...(id ? { id } : {}),
          name: input.name,
          kind: "postgres",
          settings: input.settings,
          secretEncrypted: input.password === undefined ? null : box.seal(input.password),
        },
      });
      return toInfo(row);
    },
    async update(id: string, input: { name?: string | undefined; settings?: PostgresSettings | undefined; password?: string | null | undefined }) {
      const { count } = await db.connection.updateMany({
        where: { id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.settings !== undefined ? { settings: input.settings } : {}),
          ...(input.password !== undefined ? { secretEncrypted: input.password === null ? null : box.seal(input.password) } : {}),
        },
      });
      return count ? this.get(id) : null;
    },
    async remove(id: string): Promise<boolean> {
      const { count } = await db.connection.deleteMany({ where: { id } });
      return count > 0;
    },
    /** Settings with the password decrypted, for the engine only. */
    async resolve(id: string): Promise<PostgresConnectionSettings | null> {
      const row = await db.connection.findUnique({ where: { id } });
      if (!row) return null;
      const settings = postgresSettingsSchema.parse(row.settings);
      return { ...settings, password: row.secretEncrypted ? box.open(row.secretEncrypted) : "" };
    },
    /** Keeps the built-in connection pointing at the metadata database, whose port may change per start. */
    async upsertBuiltIn(databaseUrl: string) {
      const u = new URL(databaseUrl);
      const settings: PostgresSettings = {
        host: u.hostname,
        port: Number(u.port || 5432),
        database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
        user: decodeURIComponent(u.username) || "postgres",
        sslMode: "disable",
      };
      const secretEncrypted = u.password ? box.seal(decodeURIComponent(u.password)) : null;
      await db.connection.upsert({
        where: { id: BUILT_IN_CONNECTION_ID },
        create: { id: BUILT_IN_CONNECTION_ID, name: "Sluice warehouse (built-in)", kind: "postgres", settings, secretEncrypted },
        update: { settings, secretEncrypted },
      });
    },
  };
}

export type ConnectionRepository = ReturnType<typeof connectionRepository>;
