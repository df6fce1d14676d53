import type { Db, Tx } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";

/** One thing that happened, in the words of the audit log (see docs/security.md for every action recorded). */
export interface AuditEntry {
  action: string;
  resourceType?: string;
  resourceId?: string;
  resourceLabel?: string;
  /** Never a secret: ids, version numbers, roles, names. */
  details?: Record<string, unknown>;
  /** Defaults to the request's workspace; null for events of the installation (sign-ins). */
  workspaceId?: string | null;
}

/** Who did it, where: from a request, or the system itself (schedules, triggers). */
export interface AuditActor {
  kind: "person" | "token" | "system" | "anonymous";
  id: string | null;
  label: string;
  address: string | null;
  workspaceId: string | null;
}

export function actorOf(auth: RequestAuth): AuditActor {
  const c = auth.caller;
  const workspaceId = auth.workspace?.id ?? null;
  if (!c) return { kind: "anonymous", id: null, label: "anonymous", address: auth.address, workspaceId };
  if (c.kind === "person") return { kind: "person", id: c.userId, label: c.email, address: auth.address, workspaceId };
  return { kind: "token", id: c.tokenId, label: `token ${c.name}`, address: auth.address, workspaceId };
}

export const systemActor = (workspaceId: string | null, label = "system"): AuditActor => ({ kind: "system", id: null, label, address: null, workspaceId });

/**
 * Appends an entry. Pass the transaction of the change it records (`tx`), so the two are written together or
 * not at all; the table refuses UPDATE and DELETE (a trigger), so an entry once written stays.
 */
export async function recordAudit(tx: Tx | Db, who: AuditActor | RequestAuth, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(who, entry) });
}

/** Appends many entries of one actor in one statement (a backfill's runs), in the transaction of the change. */
export async function recordAudits(tx: Tx | Db, who: AuditActor | RequestAuth, entries: AuditEntry[]): Promise<void> {
  await tx.auditEvent.createMany({ data: entries.map((entry) => auditRow(who, entry)) });
}

function auditRow(who: AuditActor | RequestAuth, entry: AuditEntry) {
  const actor = "caller" in who ? actorOf(who) : who;
  return {
    workspaceId: entry.workspaceId === undefined ? actor.workspaceId : entry.workspaceId,
    actorKind: actor.kind,
    actorId: actor.id,
    actorLabel: actor.label,
    address: actor.address,
    action: entry.action,
    resourceType: entry.resourceType ?? null,
    resourceId: entry.resourceId ?? null,
    resourceLabel: entry.resourceLabel ?? null,
    details: (entry.details ?? {}) as object,
  };
}
