import { z } from "zod";
import { displayNameSchema } from "../display-name.ts";
import { roleSchema } from "../role-actions.ts";

/** A token acts in the workspace it was created in, with its role (runner unless said: enough to start runs). */
export const createTokenRequestSchema = z.strictObject({ name: displayNameSchema, role: roleSchema.default("runner") });
export type CreateTokenRequest = z.input<typeof createTokenRequestSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The token's first characters, e.g. "slc_Ab3x". */
  prefix: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenInfo = z.infer<typeof apiTokenSchema>;

/** Only the answer to creating a token carries the token itself; it is never shown again. */
export const createdTokenSchema = apiTokenSchema.extend({ token: z.string() });
/**
 * A token as the list shows it, with the person who made it (directly, or with a token they made), or null for
 * tokens no person made (SLUICE_OWNER_TOKEN, `npm run token:create`). Removing that person from the workspace,
 * or demoting them below the token's role, revokes it.
 */
export const apiTokenListItemSchema = apiTokenSchema.extend({ createdBy: z.object({ id: z.string(), email: z.string() }).nullable() });
export type ApiTokenListItem = z.infer<typeof apiTokenListItemSchema>;
export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenListItemSchema) });
export const tokenIdParamsSchema = z.object({ id: z.uuid("not a token id") });
