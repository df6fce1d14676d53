import { displayNameSchema } from "@sluice/model";
import { recordAudit, type AuditActor } from "../../audit/audit.repository.ts";
import type { AccountDeps } from "../accounts.ts";
import type { UserRow } from "../user.repository.ts";
import type { SsoSettings } from "./sso-settings.ts";

/** Who the provider says signed in: its issuer and subject (the identity), with a verified email. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string;
  /** The provider's `name` claim, if it sent one that can be shown. */
  name: string | undefined;
}

const actor = (u: UserRow, address: string | null, workspaceId: string | null): AuditActor => ({ kind: "person", id: u.id, label: u.email, address, workspaceId });

/**
 * The account this identity signs in to: the one it signed in to before; else the account with its (verified)
 * email, which the identity is linked to from now on; else a new account without a password that joins the
 * configured workspace with the configured role. The accounts change and the audit entries are one transaction.
 *
 * Linking to an account found by email that no identity proved before makes the provider's proof win: nothing
 * proved that whoever made that account owns the address (an invitation accepted signed out takes any email
 * typed), so its password is cleared and its sessions end; otherwise its maker would keep a way in to the
 * account the real owner of the address now uses.
 */
export async function ssoAccount(d: AccountDeps, s: SsoSettings, who: SsoIdentity, address: string | null): Promise<{ user: UserRow; created: boolean }> {
  try {
    return await resolve(d, s, who, address);
  } catch (e) {
    // Two first sign-ins of the same person at once: the other one created the account or the link; use it.
    if ((e as { code?: unknown }).code === "P2002") return resolve(d, s, who, address);
    throw e;
  }
}

async function resolve(d: AccountDeps, s: SsoSettings, who: SsoIdentity, address: string | null) {
  const known = await d.users.byIdentity(who.issuer, who.subject);
  const byEmail = known ? null : await d.users.byEmail(who.email);
  return d.db.$transaction(async (tx) => {
    let user = known ?? byEmail;
    let created = false;
    if (!user) {
      user = await d.users.create(tx, { email: who.email, name: who.name ?? who.email.split("@")[0] ?? who.email, passwordHash: null });
      await d.workspaces.addMember(tx, s.workspaceId, user.id, s.defaultRole);
      await recordAudit(tx, actor(user, address, s.workspaceId), { action: "account.created", resourceType: "user", resourceId: user.id, resourceLabel: user.email, details: { role: s.defaultRole, how: "sso" } });
      created = true;
    }
    if (!known) {
      if (!created) {
        const firstIdentity = !(await d.users.hasIdentity(tx, user.id));
        const { passwordCleared } = firstIdentity ? await d.users.dropPasswordAndSessions(tx, user.id) : { passwordCleared: false };
        if (passwordCleared) user = { ...user, passwordHash: null };
        await recordAudit(tx, actor(user, address, null), { action: "account.sso_linked", resourceType: "user", resourceId: user.id, resourceLabel: user.email, details: { passwordCleared, provider: who.issuer } });
      }
      await d.users.link(tx, user.id, who.issuer, who.subject);
    }
    await recordAudit(tx, actor(user, address, null), {
      action: "sign_in.sso",
      resourceType: "user",
      resourceId: user.id,
      resourceLabel: user.email,
      details: { provider: who.issuer, ...(known ? {} : created ? { accountCreated: true } : { identityLinked: true }) },
    });
    return { user, created };
  });
}

/** The `name` claim when it is a name Sluice can show (one line, 1-200 characters), else undefined. */
export function displayableName(claim: unknown): string | undefined {
  const parsed = displayNameSchema.safeParse(claim);
  return parsed.success ? parsed.data : undefined;
}
