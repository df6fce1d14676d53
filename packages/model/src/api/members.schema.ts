import { z } from "zod";
import { roleSchema } from "../role-actions.ts";
import { emailSchema, newPasswordSchema } from "./auth.schema.ts";
import { displayNameSchema } from "../display-name.ts";

export const memberSchema = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: roleSchema, joinedAt: z.string() });
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.object({ members: z.array(memberSchema) });

export const memberParamsSchema = z.object({ userId: z.uuid("not a member id") });
/** PUT /api/members/:userId; 409 LAST_OWNER when it would leave the workspace without an owner. */
export const updateMemberRequestSchema = z.strictObject({ role: roleSchema });
export type UpdateMemberRequest = z.input<typeof updateMemberRequestSchema>;

/** A pending invitation (GET /api/invitations lists only those not accepted, revoked or expired). */
export const invitationSchema = z.object({
  id: z.string(),
  role: roleSchema,
  /** Who it is for, when the owner said: then only that email may accept it. */
  email: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The name (or email) of the person who invited. */
  invitedBy: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) });
export const invitationParamsSchema = z.object({ id: z.uuid("not an invitation id") });

/** POST /api/invitations. With an email and an SMTP server configured, the link is also mailed. */
export const createInvitationRequestSchema = z.strictObject({ role: roleSchema, email: emailSchema.optional() });
export type CreateInvitationRequest = z.input<typeof createInvitationRequestSchema>;

/** The answer to creating an invitation: the only time its link (`<origin>/invite#<token>`) is shown. */
export const createdInvitationSchema = z.object({
  id: z.string(),
  role: roleSchema,
  email: z.string().nullable(),
  expiresAt: z.string(),
  link: z.string(),
  emailed: z.boolean(),
});
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

const invitationTokenSchema = z.string().min(1, "the invitation link has no token").max(200);

/** POST /api/invitations/inspect: what an invitation link offers, before accepting it. */
export const inspectInvitationRequestSchema = z.strictObject({ token: invitationTokenSchema });
export const invitationInfoSchema = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  role: roleSchema,
  invitedBy: z.string(),
  /** The only address that may accept it, when the owner named one (the sign-up form shows it fixed); else null. */
  email: z.string().nullable(),
  expiresAt: z.string(),
});
export type InvitationInfo = z.infer<typeof invitationInfoSchema>;

/**
 * POST /api/invitations/accept. Signed in: joins the workspace (the other fields are ignored). Signed out: creates
 * the account with email, name and password, then joins.
 */
export const acceptInvitationRequestSchema = z.strictObject({
  token: invitationTokenSchema,
  email: emailSchema.optional(),
  name: displayNameSchema.optional(),
  password: z.string().max(200).optional(),
});
export type AcceptInvitationRequest = z.input<typeof acceptInvitationRequestSchema>;

/** Accepting signed out creates the account: then email, name and a new password are all required. */
export const acceptInvitationNewAccountSchema = acceptInvitationRequestSchema.extend({ email: emailSchema, name: displayNameSchema, password: newPasswordSchema });
