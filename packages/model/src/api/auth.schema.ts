import { z } from "zod";
import { displayNameSchema } from "../display-name.ts";
import { roleSchema, workspaceActionSchema } from "../role-actions.ts";

/** Emails are compared in lower case: one account per address however it is typed. */
export const emailSchema = z.string().trim().toLowerCase().max(320).pipe(z.email("not an email address"));

/** A new password. Long enough to resist guessing; bounded so hashing it cannot be made expensive. */
export const newPasswordSchema = z.string().min(10, "a password has at least 10 characters").max(200, "a password has at most 200 characters");

/** GET /api/auth/config: what the sign-in page offers, before anyone is signed in. */
export const authConfigSchema = z.object({
  /** No account exists yet: the first visit creates the owner. */
  setupRequired: z.boolean(),
  /**
   * Served beyond loopback, creating the owner also takes the one-time setup code the server printed in its log
   * at start, so that whoever reaches a new install first over the network cannot claim it.
   */
  setupCodeRequired: z.boolean(),
  /** The single sign-on provider, when one is configured. */
  sso: z.object({ name: z.string() }).nullable(),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** POST /api/auth/setup: the owner account of a fresh install. */
export const setupRequestSchema = z.strictObject({
  email: emailSchema,
  name: displayNameSchema,
  password: newPasswordSchema,
  /** The setup code from the server's log, when `setupCodeRequired`. */
  setupCode: z.string().trim().max(100).optional(),
});
export type SetupRequest = z.input<typeof setupRequestSchema>;

/** POST /api/auth/sign-in. The password is not checked for length here: a refusal must not say why. */
export const signInRequestSchema = z.strictObject({ email: emailSchema, password: z.string().min(1, "a password is required").max(1000) });
export type SignInRequest = z.input<typeof signInRequestSchema>;

/** POST /api/auth/password; the other sessions of the account end. */
export const changePasswordRequestSchema = z.strictObject({ currentPassword: z.string().min(1).max(1000), newPassword: newPasswordSchema });
export type ChangePasswordRequest = z.input<typeof changePasswordRequestSchema>;

/** A workspace as one person sees it: with their role in it. */
export const workspaceSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema });
export type WorkspaceInfo = z.infer<typeof workspaceSchema>;

/** POST /api/workspaces: the creator becomes its owner. */
export const createWorkspaceRequestSchema = z.strictObject({ name: displayNameSchema });
export type CreateWorkspaceRequest = z.input<typeof createWorkspaceRequestSchema>;

export const actorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("person"), id: z.string(), email: z.string(), name: z.string() }),
  z.object({ kind: z.literal("token"), id: z.string(), name: z.string() }),
]);
export type Actor = z.infer<typeof actorSchema>;

/** GET /api/me (and the answer to sign-in, setup and accepting an invitation): who, in which workspace, allowed what. */
export const meSchema = z.object({
  actor: actorSchema,
  /** The workspace of this request (header X-Sluice-Workspace, else the first membership); null with none. */
  workspace: workspaceSchema.nullable(),
  workspaces: z.array(workspaceSchema),
  /** The actions the role allows in `workspace`; empty without one. */
  permissions: z.array(workspaceActionSchema),
});
export type Me = z.infer<typeof meSchema>;

/** Header naming the workspace of a person's request; links and event streams use the query `?workspace=` instead. */
export const WORKSPACE_HEADER = "X-Sluice-Workspace";
