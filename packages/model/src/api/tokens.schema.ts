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
export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });
export const tokenIdParamsSchema = z.object({ id: z.uuid("not a token id") });
