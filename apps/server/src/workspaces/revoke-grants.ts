import { rolesAbove, type Role } from "@sluice/model";
import type { Tx } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import type { TokenRepository } from "../tokens/token.repository.ts";
import type { InvitationRepository } from "./invitation.repository.ts";

/** What a member's removal or demotion changes besides the membership. */
export interface GrantRepositories {
  tokens: TokenRepository;
  invitations: InvitationRepository;
}

/**
 * Revokes, in `tx` (the transaction that removes or demotes the member), the API tokens and pending invitations
 * the member made in the workspace: all of them when they leave it, those above their new role when demoted.
 * Otherwise an owner removed or demoted would keep an owner's power through a token, or come back through a link
 * they made. Each revocation is audited with the reason.
 */
export async function revokeGrantsOf(
  r: GrantRepositories,
  tx: Tx,
  auth: RequestAuth,
  workspaceId: string,
  userId: string,
  change: { removed: true } | { demotedTo: Role },
): Promise<void> {
  const roles = "demotedTo" in change ? rolesAbove(change.demotedTo) : undefined;
  if (roles?.length === 0) return;
  const reason = "demotedTo" in change ? "member demoted" : "member removed";
  for (const t of await r.tokens.revokeMadeBy(tx, workspaceId, userId, roles)) {
    await recordAudit(tx, auth, { action: "token.revoked", resourceType: "token", resourceId: t.id, resourceLabel: t.name, details: { role: t.role, reason } });
  }
  for (const i of await r.invitations.revokeMadeBy(tx, workspaceId, userId, roles)) {
    await recordAudit(tx, auth, { action: "invitation.revoked", resourceType: "invitation", resourceId: i.id, ...(i.email ? { resourceLabel: i.email } : {}), details: { role: i.role, email: i.email, reason } });
  }
}
