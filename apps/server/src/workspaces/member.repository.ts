import type { Member, Role } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";
import { AppError } from "../http/app-error.ts";

type Row = { userId: string; role: string; createdAt: Date; user: { email: string; name: string } };
const toMember = (r: Row): Member => ({ userId: r.userId, email: r.user.email, name: r.user.name, role: r.role as Role, joinedAt: r.createdAt.toISOString() });

const lastOwner = () =>
  new AppError(409, "LAST_OWNER", "This is the workspace's last owner: make another member an owner first, so someone can still manage the workspace.");

/**
 * The people of a workspace and their roles. Every change that could take away an owner holds the workspace's
 * row lock while it counts the owners, so two owners demoting (or removing) each other at once cannot both pass
 * and leave the workspace with nobody to manage it.
 */
export function memberRepository(db: Db) {
  /** Waits for any other membership change of the workspace, then counts its owners, all in `tx`. */
  async function ownersAfterLock(tx: Tx, workspaceId: string): Promise<number> {
    // NO KEY UPDATE: serialises the membership changes of this workspace without blocking rows that merely
    // reference it (pipelines, runs, new members).
    await tx.$queryRaw`SELECT id FROM workspaces WHERE id = ${workspaceId}::uuid FOR NO KEY UPDATE`;
    return tx.membership.count({ where: { workspaceId, role: "owner" } });
  }

  async function find(tx: Tx | Db, workspaceId: string, userId: string): Promise<Member | null> {
    const row = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { user: true } });
    return row ? toMember(row) : null;
  }

  return {
    async list(workspaceId: string): Promise<Member[]> {
      const rows = await db.membership.findMany({ where: { workspaceId }, include: { user: true }, orderBy: [{ createdAt: "asc" }, { userId: "asc" }] });
      return rows.map(toMember);
    },
    find: (workspaceId: string, userId: string) => find(db, workspaceId, userId),
    /** The member before and after, or null when the person is not a member; refuses to demote the last owner. */
    async setRole(tx: Tx, workspaceId: string, userId: string, role: Role): Promise<{ before: Member; after: Member } | null> {
      const owners = await ownersAfterLock(tx, workspaceId);
      const before = await find(tx, workspaceId, userId);
      if (!before) return null;
      if (before.role === "owner" && role !== "owner" && owners <= 1) throw lastOwner();
      if (before.role === role) return { before, after: before };
      await tx.membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { role } });
      return { before, after: { ...before, role } };
    },
    /** The member removed, or null when the person is not a member; refuses to remove the last owner. */
    async remove(tx: Tx, workspaceId: string, userId: string): Promise<Member | null> {
      const owners = await ownersAfterLock(tx, workspaceId);
      const member = await find(tx, workspaceId, userId);
      if (!member) return null;
      if (member.role === "owner" && owners <= 1) throw lastOwner();
      await tx.membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } });
      return member;
    },
  };
}

export type MemberRepository = ReturnType<typeof memberRepository>;
