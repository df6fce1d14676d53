import type { Request, Response } from "express";
import { acceptInvitationNewAccountSchema, type AcceptInvitationRequest, type Me } from "@sluice/model";
import { AppError } from "../http/app-error.ts";
import { validationError } from "../http/route.ts";
import type { Tx } from "../db/prisma.ts";
import type { RequestAuth } from "../auth/request-auth.ts";
import { describe, personCaller, signInAs, type AccountDeps } from "../auth/accounts.ts";
import { hashPassword } from "../auth/passwords.ts";
import { tooManySignIns, type SignInLimits } from "../auth/sign-in-limits.ts";
import type { UserRow } from "../auth/user.repository.ts";
import { recordAudit, type AuditActor } from "../audit/audit.repository.ts";
import type { InvitationRepository, StoredInvitation } from "./invitation.repository.ts";
import { pendingInvitation, unusable } from "./invitation-link.ts";

export interface AcceptDeps {
  accounts: AccountDeps;
  invitations: InvitationRepository;
  /** Sign-in limits: an EMAIL_TAKEN answer tells that an account exists, so it counts as a failed sign-in. */
  limits: SignInLimits;
}

const emailTaken = () =>
  new AppError(409, "EMAIL_TAKEN", "An account with this email already exists: sign in first, then open the invitation link again.", {
    problems: [{ field: "body.email", message: "already has an account" }],
  });

// Sign-in's own refusal: to whoever probes, this is the same limit.
const tooManyAttempts = tooManySignIns;

const notYourInvitation = () =>
  new AppError(403, "INVITATION_FOR_ANOTHER_EMAIL", "This invitation is for another email address. Sign in (or create the account) with the address it was sent to, or ask an owner for a link for yours.");

/**
 * Uses the invitation and adds the membership with its audit entry, all in `tx`. The claim is one conditional
 * UPDATE, so when two people open the same link at once exactly one joins; the other gets 410.
 */
async function join(d: AcceptDeps, tx: Tx, i: StoredInvitation, user: UserRow, address: string | null): Promise<void> {
  if (!(await d.invitations.claim(tx, i.id, user.id))) {
    throw unusable({ state: "used" })!;
  }
  await d.accounts.workspaces.addMember(tx, i.workspace.id, user.id, i.role);
  const actor: AuditActor = { kind: "person", id: user.id, label: user.email, address, workspaceId: i.workspace.id };
  await recordAudit(tx, actor, { action: "member.joined", resourceType: "user", resourceId: user.id, resourceLabel: user.email, details: { role: i.role, invitationId: i.id } });
}

/**
 * POST /api/invitations/accept. Signed in: the person joins the invitation's workspace. Signed out: the account
 * is made from email, name and password, joins, and is signed in. Either way the answer is Me, in that workspace.
 */
export async function acceptInvitation(d: AcceptDeps, ctx: { body: AcceptInvitationRequest; auth: RequestAuth; req: Request; res: Response }): Promise<Me> {
  const { auth } = ctx;
  if (auth.caller?.kind === "token") {
    throw new AppError(403, "PERSON_REQUIRED", "An API token cannot accept an invitation: open the link in a browser, signed in as the person who joins.");
  }
  const i = await pendingInvitation(d.invitations, ctx.body.token);
  const a = d.accounts;

  if (auth.caller?.kind === "person") {
    const person = auth.caller;
    // A public route skips the access guard's check that cookie writes come from Sluice's own pages; joining a
    // workspace on someone's behalf is a change made with their cookie, so it is checked here too.
    if (ctx.req.get("origin") === undefined && ctx.req.get("sec-fetch-site") !== "same-origin") {
      throw new AppError(403, "CROSS_ORIGIN_REFUSED", "Accept the invitation from Sluice's own invitation page (the request named no Origin).");
    }
    if (i.email !== null && i.email !== person.email.toLowerCase()) throw notYourInvitation();
    const existing = await a.workspaces.membership(person.userId, i.workspace.id);
    if (existing) {
      throw new AppError(409, "ALREADY_MEMBER", `You are already a member of "${existing.name}" as ${existing.role}; the link stays unused. Ask an owner if your role should change.`);
    }
    const user = await a.users.byId(person.userId);
    if (!user) throw new AppError(401, "SIGN_IN_REQUIRED", "Your account no longer exists. Sign in again.");
    await a.db.$transaction((tx) => join(d, tx, i, user, auth.address));
    return describe(a, person, await a.workspaces.membership(person.userId, i.workspace.id));
  }

  const parsed = acceptInvitationNewAccountSchema.safeParse(ctx.body);
  if (!parsed.success) throw validationError("body", parsed.error);
  const input = parsed.data;
  if (i.email !== null && i.email !== input.email) throw notYourInvitation();
  // EMAIL_TAKEN tells whether an account exists, so each try is an attempt to sign in as that email from this
  // address: its point is taken before the look-up (as sign-in does, so a parallel burst is counted as it
  // arrives) and given back only when the account is made. A link then tests addresses no faster than passwords
  // can be guessed.
  const address = auth.address ?? "unknown";
  const wait = await d.limits.attempt(input.email, address);
  if (wait !== null) throw tooManyAttempts(ctx.res, wait);
  if (await a.users.byEmail(input.email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  const user = await a.db
    .$transaction(async (tx) => {
      const created = await a.users.create(tx, { email: input.email, name: input.name, passwordHash });
      await recordAudit(tx, { kind: "person", id: created.id, label: created.email, address: auth.address, workspaceId: i.workspace.id }, {
        action: "account.created",
        resourceType: "user",
        resourceId: created.id,
        resourceLabel: created.email,
        details: { role: i.role, how: "invitation" },
      });
      await join(d, tx, i, created, auth.address);
      return created;
    })
    .catch((e: unknown) => {
      // Two sign-ups with one email at once: the unique index lets one in.
      if ((e as { code?: unknown }).code === "P2002") throw emailTaken();
      throw e;
    });
  await d.limits.signedIn(input.email, address);
  const { sessionId } = await signInAs(a, ctx.req, ctx.res, user, "password");
  return describe(a, personCaller(user, sessionId), await a.workspaces.membership(user.id, i.workspace.id));
}
