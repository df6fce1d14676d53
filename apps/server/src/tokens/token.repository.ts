import { createHash, randomBytes } from "node:crypto";
import type { ApiTokenInfo, ApiTokenListItem, Role } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";

const LAST_USED_RESOLUTION_MS = 60_000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** The token SLUICE_OWNER_TOKEN provisions keeps this id, so a changed value replaces it rather than adding one. */
export const OWNER_TOKEN_ID = "00000000-0000-4000-8000-0000000000e1";

type Row = { id: string; name: string; prefix: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toInfo = (r: Row): ApiTokenInfo => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role as Role,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export interface VerifiedToken {
  info: ApiTokenInfo;
  workspaceId: string;
  role: Role;
}

/** API tokens: 32 random bytes, stored as a SHA-256 hash (a token is high-entropy, so no slow hash is needed). */
export function tokenRepository(db: Db) {
  return {
    /** The workspace's tokens, newest first, each with the person who made it (null when no person did). */
    async list(workspaceId: string): Promise<ApiTokenListItem[]> {
      const rows = await db.apiToken.findMany({ where: { workspaceId }, orderBy: { createdAt: "desc" } });
      const makers = [...new Set(rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])))];
      const users = makers.length ? await db.user.findMany({ where: { id: { in: makers } }, select: { id: true, email: true } }) : [];
      const byId = new Map(users.map((u) => [u.id, u]));
      return rows.map((r) => ({ ...toInfo(r), createdBy: (r.createdBy && byId.get(r.createdBy)) || null }));
    },
    /** The person who made the token (null for tokens no person made): who answers for what is made with it. */
    async creatorOf(id: string): Promise<string | null> {
      return (await db.apiToken.findUnique({ where: { id }, select: { createdBy: true } }))?.createdBy ?? null;
    },
    /**
     * Revokes the live tokens of the workspace that `userId` made, all of them or only those with one of `roles`;
     * the ones revoked, for the audit log.
     */
    async revokeMadeBy(tx: Tx, workspaceId: string, userId: string, roles?: Role[]): Promise<{ id: string; name: string; role: Role }[]> {
      const rows = await tx.apiToken.updateManyAndReturn({
        where: { workspaceId, createdBy: userId, revokedAt: null, ...(roles ? { role: { in: roles } } : {}) },
        data: { revokedAt: new Date() },
        select: { id: true, name: true, role: true },
      });
      return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role }));
    },
    async create(tx: Tx | Db, t: { workspaceId: string; name: string; role: Role; createdBy: string | null }): Promise<ApiTokenInfo & { token: string }> {
      const token = `slc_${randomBytes(32).toString("base64url")}`;
      const row = await tx.apiToken.create({
        data: { name: t.name, tokenHash: hash(token), prefix: token.slice(0, 8), workspaceId: t.workspaceId, role: t.role, createdBy: t.createdBy },
      });
      return { ...toInfo(row), token };
    },
    /** The token's name when it is in the workspace (revoked or not), else null. */
    async find(workspaceId: string, id: string): Promise<ApiTokenInfo | null> {
      const row = await db.apiToken.findFirst({ where: { id, workspaceId } });
      return row ? toInfo(row) : null;
    },
    async revoke(tx: Tx | Db, workspaceId: string, id: string): Promise<boolean> {
      const r = await tx.apiToken.updateMany({ where: { id, workspaceId, revokedAt: null }, data: { revokedAt: new Date() } });
      return r.count > 0;
    },
    /**
     * SLUICE_OWNER_TOKEN: an owner token of `workspaceId` whose value the admin chose, so automation can provision
     * an install. Stored hashed like any other; a new value replaces the old one.
     */
    async provisionOwnerToken(workspaceId: string, token: string): Promise<void> {
      const data = { name: "SLUICE_OWNER_TOKEN", tokenHash: hash(token), prefix: token.slice(0, 8), workspaceId, role: "owner", revokedAt: null };
      await db.apiToken.upsert({ where: { id: OWNER_TOKEN_ID }, create: { id: OWNER_TOKEN_ID, ...data }, update: data });
    },
    /** Removes the provisioned owner token when SLUICE_OWNER_TOKEN is no longer set. */
    async retireOwnerToken(): Promise<void> {
      await db.apiToken.updateMany({ where: { id: OWNER_TOKEN_ID, revokedAt: null }, data: { revokedAt: new Date() } });
    },
    /**
     * The token's record, workspace and role when it exists and is not revoked; records its use. Every API call of
     * a system carries its token, so the time is written at most once a minute per token.
     */
    async verify(token: string): Promise<VerifiedToken | null> {
      const row = await db.apiToken.findUnique({ where: { tokenHash: hash(token) } });
      if (!row || row.revokedAt) return null;
      const now = new Date();
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      }
      return { info: toInfo(row), workspaceId: row.workspaceId, role: row.role as Role };
    },
  };
}

export type TokenRepository = ReturnType<typeof tokenRepository>;
