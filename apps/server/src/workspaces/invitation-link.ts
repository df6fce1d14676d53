import type { Request } from "express";
import { AppError } from "../http/app-error.ts";
import type { InvitationRepository, StoredInvitation } from "./invitation.repository.ts";

/**
 * The link people open: `<PUBLIC_URL or the origin the owner's browser used>/invite#<token>`. The token sits in the
 * fragment, which browsers never send to a server, so it stays out of access logs and Referer headers.
 */
export function invitationLink(req: Request, publicUrl: string | undefined, token: string): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, "") : `${req.protocol}://${req.get("host") ?? "localhost"}`;
  return `${base}/invite#${token}`;
}

/** Why a link cannot be used, as the person holding it should read it. */
export function unusable(i: Pick<StoredInvitation, "state">): AppError | null {
  switch (i.state) {
    case "pending":
      return null;
    case "used":
      return new AppError(410, "INVITATION_USED", "This invitation link has already been used; each link works once. Ask an owner of the workspace for a new one.");
    case "expired":
      return new AppError(410, "INVITATION_EXPIRED", "This invitation link has expired. Ask an owner of the workspace for a new one.");
    case "revoked":
      return new AppError(410, "INVITATION_REVOKED", "This invitation was withdrawn by an owner of the workspace. Ask them for a new link if you should still join.");
    default: {
      const never: never = i.state;
      throw new Error(`bug: invitation state ${String(never)}`);
    }
  }
}

/** The pending invitation of a token, or the 404/410 that explains why it cannot be used. */
export async function pendingInvitation(invitations: Pick<InvitationRepository, "byToken">, token: string): Promise<StoredInvitation> {
  const i = await invitations.byToken(token);
  if (!i) throw new AppError(404, "INVITATION_NOT_FOUND", "This invitation link is not valid. Check that you copied all of it, or ask an owner of the workspace for a new one.");
  const refusal = unusable(i);
  if (refusal) throw refusal;
  return i;
}
