import type { RequestAuth } from "../auth/request-auth.ts";
import type { TokenRepository } from "./token.repository.ts";

/**
 * The person who answers for what a request makes (tokens, invitations): the signed-in person, or the person who
 * made the API token it came with. Recorded as `created_by`, so removing or demoting that person revokes it too,
 * however many tokens deep it was made. Null when no person is behind it (a provisioned token).
 */
export async function madeBy(tokens: Pick<TokenRepository, "creatorOf">, auth: RequestAuth): Promise<string | null> {
  const c = auth.caller;
  if (c?.kind === "person") return c.userId;
  if (c?.kind === "token") return tokens.creatorOf(c.tokenId);
  return null;
}
