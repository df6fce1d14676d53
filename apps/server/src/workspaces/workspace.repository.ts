import type { Role, WorkspaceInfo } from "@sluice/model";
import type { Db, Tx } from "../db/prisma.ts";

/** The workspace every install has; what existed before workspaces belongs to it. */
export const DEFAULT_WORKSPACE_ID = "00000000-0000-4000-8000-0000000000d1";

const toInfo = (m: { role: string; workspace: { id: string; name: string } }): WorkspaceInfo => ({
  id: m.workspace.id,
  name: m.workspace.name,
  role: m.role as Role,
});

export function workspaceRepository(db: Db) {
  return {
    /** The person's workspaces, oldest membership first (the first is where a request without a choice goes). */
    async of(userId: string): Promise<WorkspaceInfo[]> {
      const rows = await db.membership.findMany({ where: { userId }, include: { workspace: true }, orderBy: [{ createdAt: "asc" }, { workspaceId: "asc" }] });
      return rows.map(toInfo);
    },
    async membership(userId: string, workspaceId: string): Promise<WorkspaceInfo | null> {
      const row = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { workspace: true } });
      return row ? toInfo(row) : null;
    },
    async get(id: string): Promise<{ id: string; name: string } | null> {
      return db.workspace.findUnique({ where: { id }, select: { id: true, name: true } });
    },
    async create(tx: Tx, name: string, ownerId: string): Promise<WorkspaceInfo> {
      const w = await tx.workspace.create({ data: { name } });
      await tx.membership.create({ data: { workspaceId: w.id, userId: ownerId, role: "owner" } });
      return { id: w.id, name: w.name, role: "owner" };
    },
    async addMember(tx: Tx, workspaceId: string, userId: string, role: Role): Promise<void> {
      await tx.membership.upsert({
        where: { workspaceId_userId: { workspaceId, userId } },
        create: { workspaceId, userId, role },
        update: {},
      });
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
