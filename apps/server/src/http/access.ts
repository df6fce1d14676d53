import type { Request, Response } from "express";
import { isUuid, roleAllows, rolesAllowed, WORKSPACE_HEADER, workspaceActionSchema, type Role, type WorkspaceAction } from "@sluice/model";
import { AppError } from "./app-error.ts";
import type { Caller, RequestAuth } from "../auth/request-auth.ts";
import type { TokenRepository } from "../tokens/token.repository.ts";
import type { SessionRepository } from "../auth/session.repository.ts";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.ts";
import { clearSessionCookie, readSessionToken, setSessionCookie } from "../auth/session-cookie.ts";

/**
 * What a route does, which decides who may call it; every route declares one, and mountRoutes enforces it
 * before anything else runs (the body is not even read):
 * - "public": anyone who reaches the server (health, the API description, sign-in, owner setup, invitations).
 * - "signed-in": any signed-in person or API token, outside any workspace (who am I, sign out, new workspace).
 * - a workspace action: the caller's role in the request's workspace must allow it, by the one table in
 *   @sluice/model's role-actions.ts (docs/security.md shows it).
 */
export type RouteAction = "public" | "signed-in" | WorkspaceAction;

export const isRouteAction = (a: unknown): a is RouteAction =>
  a === "public" || a === "signed-in" || workspaceActionSchema.safeParse(a).success;

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface AccessDeps {
  tokens: Pick<TokenRepository, "verify">;
  sessions: Pick<SessionRepository, "resolve" | "alive">;
  workspaces: Pick<WorkspaceRepository, "of" | "membership" | "get">;
  /** Whether the browser reaches Sluice over HTTPS (the session cookie's Secure flag). */
  https: (req: Request) => boolean;
}

const roleList = (roles: readonly Role[]) => {
  const names = roles.map((r) => `${r}s`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
};

function refuseRole(action: WorkspaceAction, role: Role, who: "person" | "token", workspace: string): AppError {
  const allowed = rolesAllowed[action];
  const subject = who === "token" ? "This API token's role" : "Your role";
  return new AppError(
    403,
    "ROLE_FORBIDDEN",
    `${subject} in the workspace "${workspace}" is ${role}; only ${roleList(allowed)} may do this (${action}). Ask an owner of the workspace for another role.`,
    { action, role, allowedRoles: [...allowed] },
  );
}

/** A workspace named in the request by someone who is not its member looks like one that does not exist. */
const noSuchWorkspace = () =>
  new AppError(404, "WORKSPACE_NOT_FOUND", "There is no such workspace, or you are not a member of it. Pick one of your workspaces.");

/** The request's workspace choice: the header, else `?workspace=` (links and event streams cannot set headers). */
export function requestedWorkspace(req: Request): string | undefined {
  const header = req.get(WORKSPACE_HEADER);
  if (header !== undefined && header !== "") return header.trim();
  const q = (req.query as Record<string, unknown>).workspace;
  return typeof q === "string" && q !== "" ? q : undefined;
}

/** The caller, and for an API token the token itself (to ask again later whether it is still live). */
type Identified = { caller: Caller; token: string | null } | null;

async function identify(req: Request, res: Response, d: AccessDeps): Promise<Identified> {
  const header = req.get("authorization");
  if (header !== undefined) {
    const m = BEARER.exec(header.trim());
    res.set("WWW-Authenticate", 'Bearer realm="sluice", error="invalid_token"');
    if (!m) throw new AppError(401, "INVALID_TOKEN", "Send the API token as `Authorization: Bearer <token>`.");
    const t = await d.tokens.verify(m[1]!);
    if (!t) throw new AppError(401, "INVALID_TOKEN", "This API token is not valid or has been revoked; use another one, or ask a workspace owner for a new one.");
    res.removeHeader("WWW-Authenticate");
    return { caller: { kind: "token", tokenId: t.info.id, name: t.info.name, workspaceId: t.workspaceId, role: t.role }, token: m[1]! };
  }
  const secure = d.https(req);
  const token = readSessionToken(req, secure);
  if (token === undefined) return null;
  const s = await d.sessions.resolve(token);
  if (!s) {
    // Expired or signed out elsewhere: the browser forgets it, and the request goes on as anonymous.
    clearSessionCookie(res, secure);
    return null;
  }
  // The idle expiry moved on: the browser's copy of the cookie moves with it, or a busy person would still be
  // signed out when the first expiry passes.
  if (s.slid) setSessionCookie(res, token, s.expiresAt, secure);
  return { caller: { kind: "person", userId: s.userId, email: s.email, name: s.name, sessionId: s.sessionId }, token: null };
}

/**
 * Asks again whether the request's caller may still do `action` in `workspaceId` (null: outside any workspace): the
 * token is live and its workspace exists, or the session has neither ended nor expired (asking does not slide it) and
 * the person is still a member there with a role that allows it. Nothing is written to the response (it has begun).
 */
function stillAllowed(d: AccessDeps, who: NonNullable<Identified>, action: RouteAction, workspaceId: string | null) {
  return async (): Promise<boolean> => {
    if (who.caller.kind === "token") {
      const t = who.token === null ? null : await d.tokens.verify(who.token);
      if (!t || t.info.id !== who.caller.tokenId) return false;
      if (workspaceId === null) return true;
      return t.workspaceId === workspaceId && (await d.workspaces.get(workspaceId)) !== null && (action === "signed-in" || action === "public" || roleAllows(t.role, action));
    }
    const s = await d.sessions.alive(who.caller.sessionId);
    if (!s) return false;
    if (workspaceId === null) return true;
    const m = await d.workspaces.membership(s.userId, workspaceId);
    return m !== null && (action === "signed-in" || action === "public" || roleAllows(m.role, action));
  };
}

/**
 * The one authorization middleware: who is calling (API token, else session cookie), which workspace the request
 * acts in, and whether the caller's role there allows the route's action. Resources are then looked up within
 * that workspace only, so another workspace's ids answer 404.
 */
export function accessGuard(d: AccessDeps) {
  return async (req: Request, res: Response, action: RouteAction): Promise<RequestAuth> => {
    const address = req.ip ?? req.socket.remoteAddress ?? null;
    const who = await identify(req, res, d);
    const caller = who?.caller ?? null;
    if (action === "public") return { caller, workspace: null, address, stillAllowed: who ? stillAllowed(d, who, action, null) : async () => true };
    if (!who || !caller) {
      res.set("WWW-Authenticate", 'Bearer realm="sluice"');
      throw new AppError(
        401,
        "SIGN_IN_REQUIRED",
        "Sign in first: this request needs a signed-in session (the web app's sign-in page) or an API token sent as `Authorization: Bearer <token>`.",
      );
    }
    // Cookies go with every request the browser makes, whoever's page asked: a change made with one must come
    // from a page of this server. SameSite=Lax and the Origin check (security.ts) already refuse other sites;
    // this refuses the rest, requests that name no origin at all.
    if (caller.kind === "person" && !SAFE_METHODS.has(req.method) && req.get("origin") === undefined && req.get("sec-fetch-site") !== "same-origin") {
      throw new AppError(403, "CROSS_ORIGIN_REFUSED", "Changes made with a session cookie must come from Sluice's own pages (the request named no Origin). Scripts and other systems use an API token.");
    }
    if (action === "signed-in") return { caller, workspace: null, address, stillAllowed: stillAllowed(d, who, action, null) };

    let workspace: { id: string; name: string; role: Role };
    if (caller.kind === "token") {
      const wanted = requestedWorkspace(req);
      if (wanted !== undefined && wanted.toLowerCase() !== caller.workspaceId) throw noSuchWorkspace();
      const w = await d.workspaces.get(caller.workspaceId);
      if (!w) throw new AppError(401, "INVALID_TOKEN", "This API token's workspace no longer exists.");
      workspace = { ...w, role: caller.role };
    } else {
      const wanted = requestedWorkspace(req);
      if (wanted !== undefined) {
        const m = isUuid(wanted) ? await d.workspaces.membership(caller.userId, wanted) : null;
        if (!m) throw noSuchWorkspace();
        workspace = m;
      } else {
        const first = (await d.workspaces.of(caller.userId))[0];
        if (!first) throw new AppError(403, "NO_WORKSPACE", "You are not a member of any workspace yet. Ask an owner for an invite link, or create a workspace.");
        workspace = first;
      }
    }
    if (!roleAllows(workspace.role, action)) throw refuseRole(action, workspace.role, caller.kind, workspace.name);
    return { caller, workspace, address, stillAllowed: stillAllowed(d, who, action, workspace.id) };
  };
}
