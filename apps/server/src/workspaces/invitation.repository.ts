import { createHash, randomBytes } from "node:crypto";
import type { Invitation, Role } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Who an invitation names as its sender when no person made it (an owner's API token did). */
const BY_TOKEN = "an API token";

/** Where an invitation stands; only a pending one can be accepted. */
export type InvitationState = "pending" | "used" | "expired" | "revoked";

export interface StoredInvitation {
  id: string;
  workspace: { id: string; name: string };
  role: Role;
  email: string | null;
  invitedBy: string;
  expiresAt: Date;
  state: InvitationState;
}

type Row = { id: string; role: string; email: string | null; createdBy: string | null; createdAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null };

const stateOf = (r: Row, now: Date): InvitationState =>
  r.acceptedAt ? "used" : r.revokedAt ? "revoked" : r.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";

/**
 * One-time invitation links. The token is 32 random bytes shown once, in the link; the table keeps only its
 * SHA-256 (a high-entropy token needs no slow hash), so a dump holds nothing that joins a workspace.
 */
export function invitationRepository(db: Db) {
  /** "Name" of each inviter, by user id, as the invitations list and the link's page show them. */
  async function inviters(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const users = wanted.length ? await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } }) : [];
    return new Map(users.map((u) => [u.id, u.name || u.email]));
  }
  const inviterOf = (names: Map<string, string>, createdBy: string | null) => (createdBy ? (names.get(createdBy) ?? "a former member") : BY_TOKEN);

  return {
    async create(tx: Tx, i: { workspaceId: string; role: Role; email: string | null; createdBy: string | null; days: number }) {
      const token = randomBytes(32).toString("base64url");
      const expiresAt = new Date(Date.now() + i.days * 24 * 3_600_000);
      const row = await tx.invitation.create({
        data: { workspaceId: i.workspaceId, role: i.role, email: i.email, createdBy: i.createdBy, tokenHash: hash(token), expiresAt },
      });
      return { id: row.id, role: i.role, email: row.email, expiresAt: row.expiresAt.toISOString(), token };
    },
    /** The workspace's invitations that can still be accepted, newest first. */
    async listPending(workspaceId: string): Promise<Invitation[]> {
      const rows = await db.invitation.findMany({
        where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      const names = await inviters(rows.map((r) => r.createdBy));
      return rows.map((r) => ({
        id: r.id,
        role: r.role as Role,
        email: r.email,
        createdAt: r.createdAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        invitedBy: inviterOf(names, r.createdBy),
      }));
    },
    /** The invitation of the workspace with this id, in whatever state, or null. */
    async find(workspaceId: string, id: string): Promise<{ id: string; email: string | null; role: Role; state: InvitationState } | null> {
      const row = await db.invitation.findFirst({ where: { id, workspaceId } });
      return row ? { id: row.id, email: row.email, role: row.role as Role, state: stateOf(row, new Date()) } : null;
    },
    /** Revokes a pending invitation; false when it was already used, revoked or is not the workspace's. */
    async revoke(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
      const r = await tx.invitation.updateMany({ where: { id, workspaceId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
      return r.count > 0;
    },
    /**
     * Revokes the pending invitations of the workspace that `userId` made, all of them or only those offering one
     * of `roles`; the ones revoked, for the audit log.
     */
    async revokeMadeBy(tx: Tx, workspaceId: string, userId: string, roles?: Role[]): Promise<{ id: string; email: string | null; role: Role }[]> {
      const rows = await tx.invitation.updateManyAndReturn({
        where: { workspaceId, createdBy: userId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() }, ...(roles ? { role: { in: roles } } : {}) },
        data: { revokedAt: new Date() },
        select: { id: true, email: true, role: true },
      });
      return rows.map((r) => ({ id: r.id, email: r.email, role: r.role as Role }));
    },
    /** The invitation a link's token stands for, in whatever state, or null when no invitation has it. */
    async byToken(token: string): Promise<StoredInvitation | null> {
      const row = await db.invitation.findUnique({ where: { tokenHash: hash(token) }, include: { workspace: { select: { id: true, name: true } } } });
      if (!row) return null;
      const names = await inviters([row.createdBy]);
      return { id: row.id, workspace: row.workspace, role: row.role as Role, email: row.email, invitedBy: inviterOf(names, row.createdBy), expiresAt: row.expiresAt, state: stateOf(row, new Date()) };
    },
    /**
     * Marks the invitation used by `userId`, if it is still pending: one statement, so of two people accepting the
     * same link at once exactly one gets true.
     */
    async claim(tx: Tx, id: string, userId: string): Promise<boolean> {
      const changed = await tx.$executeRaw`
        UPDATE invitations SET accepted_at = now(), accepted_by = ${userId}::uuid
        WHERE id = ${id}::uuid AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`;
      return changed === 1;
    },
  };
}

export type InvitationRepository = ReturnType<typeof invitationRepository>;
