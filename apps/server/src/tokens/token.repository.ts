import { createHash, randomBytes } from "node:crypto";
import type { ApiTokenInfo } from "@sluice/model";
import type { Db } from "../db/prisma.ts";

const LAST_USED_RESOLUTION_MS = 60_000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

type Row = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toInfo = (r: Row): ApiTokenInfo => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

/** API tokens: 32 random bytes, stored as a SHA-256 hash (a token is high-entropy, so no slow hash is needed). */
export function tokenRepository(db: Db) {
  return {
    async list(): Promise<ApiTokenInfo[]> {
      return (await db.apiToken.findMany({ orderBy: { createdAt: "desc" } })).map(toInfo);
    },
    async create(name: string): Promise<ApiTokenInfo & { token: string }> {
      const token = `slc_${randomBytes(32).toString("base64url")}`;
      const row = await db.apiToken.create({ data: { name, tokenHash: hash(token), prefix: token.slice(0, 8) } });
      return { ...toInfo(row), token };
    },
    async revoke(id: string): Promise<boolean> {
      const r = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
      if (r.count > 0) return true;
      return (await db.apiToken.count({ where: { id } })) > 0;
    },
    /**
     * The token's record when it exists and is not revoked; records its use. Every API call of a web app on a
     * network carries a token, so the time is written at most once a minute per token.
     */
    async verify(token: string): Promise<ApiTokenInfo | null> {
      const row = await db.apiToken.findUnique({ where: { tokenHash: hash(token) } });
      if (!row || row.revokedAt) return null;
      const now = new Date();
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      }
      return toInfo(row);
    },
  };
}

export type TokenRepository = ReturnType<typeof tokenRepository>;
