import { memberListSchema, memberParamsSchema, memberSchema, roleRank, updateMemberRequestSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { revokeGrantsOf } from "./revoke-grants.ts";

/**
 * Members of the request's workspace. Only owners (or an owner's API token) manage them; an owner may grant any
 * role, owner included, since no role is above theirs. Removing or demoting someone also revokes, in the same
 * transaction, the tokens and invitations they made that their new place no longer allows (revoke-grants.ts).
 */
export const memberRoutes = (deps: Pick<Deps, "transaction" | "members" | "invitations" | "tokens">) => {
  const grants = { tokens: deps.tokens, invitations: deps.invitations.repository };
  return [
    defineRoute({
      method: "get",
      path: "/members",
      tag: "members",
      action: "workspace.read",
      summary: "The workspace's members with their roles, oldest first",
      response: memberListSchema,
      handler: async ({ auth }) => ({ body: { members: await deps.members.list(workspaceOf(auth)) } }),
    }),
    defineRoute({
      method: "put",
      path: "/members/:userId",
      tag: "members",
      action: "member.manage",
      summary: "Change a member's role (a lower role also revokes their tokens and pending invitations above it); 409 LAST_OWNER when it would leave the workspace without an owner",
      params: memberParamsSchema,
      body: updateMemberRequestSchema,
      response: memberSchema,
      errors: [404, 409],
      handler: async ({ params, body, auth }) => {
        const workspaceId = workspaceOf(auth);
        const changed = await deps.transaction(async (tx) => {
          const r = await deps.members.setRole(tx, workspaceId, params.userId, body.role);
          if (r && r.before.role !== r.after.role) {
            await recordAudit(tx, auth, { action: "member.role_changed", resourceType: "user", resourceId: r.after.userId, resourceLabel: r.after.email, details: { from: r.before.role, to: r.after.role } });
            if (roleRank(r.after.role) < roleRank(r.before.role)) await revokeGrantsOf(grants, tx, auth, workspaceId, r.after.userId, { demotedTo: r.after.role });
          }
          return r;
        });
        if (!changed) throw notFound("member", params.userId);
        return { body: changed.after };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/members/:userId",
      tag: "members",
      action: "member.manage",
      summary: "Remove a member from the workspace (the account stays; their tokens and pending invitations there are revoked); 409 LAST_OWNER for the last owner",
      params: memberParamsSchema,
      status: 204,
      errors: [404, 409],
      handler: async ({ params, res, auth }) => {
        const workspaceId = workspaceOf(auth);
        const removed = await deps.transaction(async (tx) => {
          const m = await deps.members.remove(tx, workspaceId, params.userId);
          if (m) {
            await recordAudit(tx, auth, { action: "member.removed", resourceType: "user", resourceId: m.userId, resourceLabel: m.email, details: { role: m.role } });
            await revokeGrantsOf(grants, tx, auth, workspaceId, m.userId, { removed: true });
          }
          return m;
        });
        if (!removed) throw notFound("member", params.userId);
        res.status(204).end();
        return undefined;
      },
    }),
  ];
};
