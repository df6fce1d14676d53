import type { Request, Response } from "express";
import { permissionsOf, type Me, type WorkspaceInfo } from "@sluice/model";
import type { Db } from "../db/prisma.ts";
import { AppError } from "../http/app-error.ts";
import { recordAudit, type AuditActor } from "../audit/audit.repository.ts";
import type { Caller, RequestAuth } from "./request-auth.ts";
import { hashPassword } from "./passwords.ts";
import type { UserRepository, UserRow } from "./user.repository.ts";
import type { SessionRepository } from "./session.repository.ts";
import { setSessionCookie } from "./session-cookie.ts";
import { DEFAULT_WORKSPACE_ID, type WorkspaceRepository } from "../workspaces/workspace.repository.ts";

/** What signing in and creating accounts need; built in runtime.ts. */
export interface AccountDeps {
  db: Db;
  users: UserRepository;
  sessions: SessionRepository;
  workspaces: WorkspaceRepository;
  /** Whether the browser reaches Sluice over HTTPS (the cookie's Secure flag). */
  https: (req: Request) => boolean;
}

const personActor = (u: UserRow, address: string | null, workspaceId: string | null): AuditActor => ({ kind: "person", id: u.id, label: u.email, address, workspaceId });

/**
 * Creates the first account, owner of the Default workspace (where everything made before accounts lives).
 * Refused once any account exists: later people join by invitation or SSO.
 */
const alreadySetUp = () => new AppError(409, "ALREADY_SET_UP", "This Sluice already has an owner. Sign in, or ask an owner for an invite link.");

export async function createOwner(d: AccountDeps, input: { email: string; name: string; password: string }, address: string | null): Promise<UserRow> {
  // Answered before the (deliberately slow) hash, so nobody can make an installed Sluice hash passwords for free.
  if ((await d.users.count()) > 0) throw alreadySetUp();
  const passwordHash = await hashPassword(input.password);
  return d.db.$transaction(async (tx) => {
    if ((await d.users.countForSetup(tx)) > 0) throw alreadySetUp();
    const user = await d.users.create(tx, { email: input.email, name: input.name, passwordHash });
    await d.workspaces.addMember(tx, DEFAULT_WORKSPACE_ID, user.id, "owner");
    await recordAudit(tx, personActor(user, address, DEFAULT_WORKSPACE_ID), { action: "account.created", resourceType: "user", resourceId: user.id, resourceLabel: user.email, details: { role: "owner", how: "owner setup" } });
    return user;
  });
}

/** A new session for the person, as a cookie: every sign-in gets a fresh one, so no id planted earlier survives it. */
export async function signInAs(d: AccountDeps, req: Request, res: Response, user: UserRow, method: "password" | "sso"): Promise<{ sessionId: string }> {
  const s = await d.sessions.start(user.id, { method, address: req.ip ?? null, userAgent: req.get("user-agent") ?? null });
  setSessionCookie(res, s.token, s.expiresAt, d.https(req));
  return { sessionId: s.sessionId };
}

/** GET /api/me's answer, also returned by sign-in, setup and joining. */
export async function describe(d: Pick<AccountDeps, "workspaces">, caller: Caller, current: WorkspaceInfo | null): Promise<Me> {
  if (caller.kind === "token") {
    const ws = current ?? null;
    return { actor: { kind: "token", id: caller.tokenId, name: caller.name }, workspace: ws, workspaces: ws ? [ws] : [], permissions: ws ? permissionsOf(ws.role) : [] };
  }
  const workspaces = await d.workspaces.of(caller.userId);
  const ws = current ?? workspaces[0] ?? null;
  return { actor: { kind: "person", id: caller.userId, email: caller.email, name: caller.name }, workspace: ws, workspaces, permissions: ws ? permissionsOf(ws.role) : [] };
}

export const personCaller = (u: UserRow, sessionId: string): Caller => ({ kind: "person", userId: u.id, email: u.email, name: u.name, sessionId });

/** The signed-in person of a route, refusing API tokens where only a person makes sense (passwords, sessions). */
export function personOf(auth: RequestAuth): Extract<Caller, { kind: "person" }> {
  const c = auth.caller;
  if (c?.kind !== "person") throw new AppError(403, "PERSON_REQUIRED", "Only a signed-in person can do this, not an API token.");
  return c;
}
