import {
  acceptInvitationRequestSchema,
  createdInvitationSchema,
  createInvitationRequestSchema,
  inspectInvitationRequestSchema,
  invitationInfoSchema,
  invitationListSchema,
  invitationParamsSchema,
  meSchema,
} from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { acceptInvitation } from "./accept-invitation.ts";
import { madeBy } from "../tokens/made-by.ts";
import { invitationLink, pendingInvitation } from "./invitation-link.ts";

export const invitationRoutes = (deps: Pick<Deps, "transaction" | "auth" | "invitations" | "tokens" | "log">) => {
  const { repository: invitations, days, mailer, publicUrl } = deps.invitations;
  return [
    defineRoute({
      method: "get",
      path: "/invitations",
      tag: "members",
      action: "member.manage",
      summary: "The workspace's invitations that can still be accepted (never their links)",
      response: invitationListSchema,
      handler: async ({ auth }) => ({ body: { invitations: await invitations.listPending(workspaceOf(auth)) } }),
    }),
    defineRoute({
      method: "post",
      path: "/invitations",
      tag: "members",
      action: "member.manage",
      summary: "Invite someone with a role: a one-time link, shown only in this answer; mailed too when an email is given and SMTP is set up",
      body: createInvitationRequestSchema,
      response: createdInvitationSchema,
      status: 201,
      handler: async ({ body, auth, req }) => {
        const workspaceId = workspaceOf(auth);
        const createdBy = await madeBy(deps.tokens, auth);
        const created = await deps.transaction(async (tx) => {
          const i = await invitations.create(tx, { workspaceId, role: body.role, email: body.email ?? null, createdBy, days });
          await recordAudit(tx, auth, { action: "member.invited", resourceType: "invitation", resourceId: i.id, ...(i.email ? { resourceLabel: i.email } : {}), details: { role: i.role, email: i.email } });
          return i;
        });
        const { token, ...invitation } = created;
        const link = invitationLink(req, publicUrl, token);
        let emailed = false;
        if (mailer && invitation.email) {
          const caller = auth.caller;
          const invitedBy = caller?.kind === "person" ? caller.name || caller.email : "An owner";
          try {
            await mailer.send({ to: invitation.email, link, workspace: auth.workspace!.name, role: invitation.role, invitedBy, expiresAt: invitation.expiresAt });
            emailed = true;
          } catch (e) {
            // The invitation stands and its link is in the answer, for the owner to pass on by hand.
            const why = (e instanceof Error ? e.message : String(e)).replaceAll(token, "<token>");
            deps.log(`mailing invitation ${invitation.id} to ${invitation.email} failed: ${why}`);
          }
        }
        return { status: 201, body: { ...invitation, link, emailed } };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/invitations/:id",
      tag: "members",
      action: "member.manage",
      summary: "Withdraw an invitation: its link stops working (an invitation already used stays used)",
      params: invitationParamsSchema,
      status: 204,
      errors: [404],
      handler: async ({ params, res, auth }) => {
        const workspaceId = workspaceOf(auth);
        const i = await invitations.find(workspaceId, params.id);
        if (!i) throw notFound("invitation", params.id);
        await deps.transaction(async (tx) => {
          if (await invitations.revoke(tx, workspaceId, i.id)) {
            await recordAudit(tx, auth, { action: "invitation.revoked", resourceType: "invitation", resourceId: i.id, ...(i.email ? { resourceLabel: i.email } : {}), details: { role: i.role, email: i.email } });
          }
        });
        res.status(204).end();
        return undefined;
      },
    }),
    defineRoute({
      method: "post",
      path: "/invitations/inspect",
      tag: "members",
      action: "public",
      summary: "What an invitation link offers (workspace, role, who invited), before accepting it; 404 or 410 when it cannot be used",
      body: inspectInvitationRequestSchema,
      response: invitationInfoSchema,
      errors: [404, 410],
      handler: async ({ body }) => {
        const i = await pendingInvitation(invitations, body.token);
        return { body: { workspace: i.workspace, role: i.role, invitedBy: i.invitedBy, email: i.email, expiresAt: i.expiresAt.toISOString() } };
      },
    }),
    defineRoute({
      method: "post",
      path: "/invitations/accept",
      tag: "members",
      action: "public",
      summary: "Accept an invitation: signed in, join its workspace; signed out, create the account (email, name, password), join and sign in; 409 EMAIL_TAKEN counts as a failed sign-in (429 TOO_MANY_SIGN_INS)",
      body: acceptInvitationRequestSchema,
      response: meSchema,
      errors: [400, 403, 404, 409, 410, 429],
      handler: async ({ body, auth, req, res }) => ({ body: await acceptInvitation({ accounts: deps.auth.accounts, invitations, limits: deps.auth.limits }, { body, auth, req, res }) }),
    }),
  ];
};
