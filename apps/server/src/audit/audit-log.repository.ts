import { isUuid, type AuditActorKind, type AuditEvent } from "@sluice/model";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../db/prisma.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";

/** What GET /api/audit filters by (all optional); every value reaches the database as a bound parameter. */
export interface AuditFilter {
  /** Only events with a smaller id (the previous page's `nextBefore`). */
  before?: bigint | undefined;
  /** The actor's id, or a part of its label (an email, a token's name), any case. */
  actor?: string | undefined;
  /** An action, e.g. "pipeline.saved", or a prefix ending in "*", e.g. "pipeline.*". */
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

type Row = {
  id: bigint;
  at: Date;
  workspace_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  address: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  resource_label: string | null;
  details: unknown;
};

const toEvent = (r: Row): AuditEvent => ({
  id: r.id.toString(),
  at: r.at.toISOString(),
  workspaceId: r.workspace_id,
  actorKind: r.actor_kind as AuditActorKind,
  actorId: r.actor_id,
  actorLabel: r.actor_label,
  address: r.address,
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  resourceLabel: r.resource_label,
  details: r.details !== null && typeof r.details === "object" && !Array.isArray(r.details) ? (r.details as Record<string, unknown>) : null,
});

/** A LIKE pattern that matches `text` literally, anywhere. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Which events a workspace's audit readers see: the workspace's own; the installation's (no workspace: sign-ins,
 * password changes) done by or aimed at one of its members; and, for the Default workspace, whose owners run the
 * installation, every installation event, failed sign-ins with unknown emails included.
 */
function visibleIn(workspaceId: string): Prisma.Sql {
  const installation =
    workspaceId === DEFAULT_WORKSPACE_ID
      ? Prisma.sql`workspace_id IS NULL`
      : Prisma.sql`(workspace_id IS NULL AND actor_id IN (SELECT user_id FROM memberships WHERE workspace_id = ${workspaceId}::uuid))`;
  return Prisma.sql`(workspace_id = ${workspaceId}::uuid OR ${installation})`;
}

function conditions(workspaceId: string, f: AuditFilter): Prisma.Sql {
  const parts = [visibleIn(workspaceId)];
  if (f.before !== undefined) parts.push(Prisma.sql`id < ${f.before}`);
  if (f.actor !== undefined) {
    const byLabel = Prisma.sql`actor_label ILIKE ${containing(f.actor)} ESCAPE '\\'`;
    parts.push(isUuid(f.actor) ? Prisma.sql`(actor_id = ${f.actor}::uuid OR ${byLabel})` : byLabel);
  }
  if (f.action !== undefined) {
    parts.push(f.action.endsWith("*") ? Prisma.sql`starts_with(action, ${f.action.slice(0, -1)})` : Prisma.sql`action = ${f.action}`);
  }
  if (f.resourceType !== undefined) parts.push(Prisma.sql`resource_type = ${f.resourceType}`);
  if (f.resourceId !== undefined) parts.push(Prisma.sql`resource_id = ${f.resourceId}`);
  if (f.from !== undefined) parts.push(Prisma.sql`at >= ${f.from}`);
  if (f.to !== undefined) parts.push(Prisma.sql`at <= ${f.to}`);
  return Prisma.join(parts, " AND ");
}

/** Reading the audit log; it is written only by recordAudit (audit.repository.ts) and never changed. */
export function auditLogRepository(db: Db) {
  /** Newest first: `limit` events and the cursor of the next page (null when there is none). */
  async function page(workspaceId: string, f: AuditFilter, limit: number): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
    const rows = await db.$queryRaw<Row[]>`
      SELECT id, at, workspace_id, actor_kind, actor_id, actor_label, address, action, resource_type, resource_id, resource_label, details
      FROM audit_events WHERE ${conditions(workspaceId, f)} ORDER BY id DESC LIMIT ${limit + 1}`;
    const events = rows.slice(0, limit).map(toEvent);
    return { events, nextBefore: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
  }
  return {
    page,
    /** Every matching event, newest first, read in batches by id so the whole log is never in memory at once. */
    async *all(workspaceId: string, f: AuditFilter, batch = 500): AsyncGenerator<AuditEvent> {
      let before = f.before;
      for (;;) {
        const { events, nextBefore } = await page(workspaceId, { ...f, before }, batch);
        yield* events;
        if (nextBefore === null) return;
        before = BigInt(nextBefore);
      }
    },
  };
}

export type AuditLogRepository = ReturnType<typeof auditLogRepository>;
