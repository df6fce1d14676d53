import {
  isUuid,
  authConfigSchema,
  changePasswordRequestSchema,
  createWorkspaceRequestSchema,
  meSchema,
  setupRequestSchema,
  signInRequestSchema,
  workspaceSchema,
} from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { AppError } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { requestedWorkspace } from "../http/access.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { createOwner, describe, personCaller, personOf, signInAs } from "./accounts.ts";
import { clearSessionCookie } from "./session-cookie.ts";
import { hashPassword, passwordMatches } from "./passwords.ts";
import { tooManySignIns } from "./sign-in-limits.ts";

const SIGN_IN_FAILED = () => new AppError(401, "SIGN_IN_FAILED", "The email or password is not right. Check both and try again.");

export const authRoutes = (deps: Pick<Deps, "auth">) => {
  const a = deps.auth.accounts;
  return [
    defineRoute({
      method: "get",
      path: "/auth/config",
      tag: "auth",
      action: "public",
      summary: "What the sign-in page offers: owner setup on a fresh install, and the SSO provider if one is set up",
      response: authConfigSchema,
      handler: async () => {
        const setupRequired = (await a.users.count()) === 0;
        return { body: { setupRequired, setupCodeRequired: setupRequired && deps.auth.setupCode.current() !== null, sso: deps.auth.sso ? { name: deps.auth.sso.name } : null } };
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/setup",
      tag: "auth",
      action: "public",
      summary: "Create the owner account of a fresh install (refused once any account exists), and sign in as it",
      body: setupRequestSchema,
      response: meSchema,
      status: 201,
      errors: [409],
      handler: async ({ body, req, res, auth }) => {
        if (deps.auth.setupCode.current() !== null && (await a.users.count()) === 0) {
          // Guessing the code is limited like guessing a password, per address.
          const wait = await deps.auth.limits.attempt("owner setup", auth.address ?? "unknown");
          if (wait !== null) throw tooManySignIns(res, wait);
          if (!deps.auth.setupCode.matches(body.setupCode)) {
            throw new AppError(403, "SETUP_CODE_WRONG", "Enter the setup code the server printed in its log when it started (a line saying \"setup code\"); it keeps whoever reaches a new Sluice first over the network from claiming it.", {
              problems: [{ field: "body.setupCode", message: body.setupCode ? "not the setup code in the server's log" : "the setup code from the server's log is required" }],
            });
          }
        }
        const user = await createOwner(a, body, auth.address);
        deps.auth.setupCode.retire();
        const { sessionId } = await signInAs(a, req, res, user, "password");
        return { status: 201, body: await describe(a, personCaller(user, sessionId), null) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/sign-in",
      tag: "auth",
      action: "public",
      summary: "Sign in with email and password; sets the session cookie",
      body: signInRequestSchema,
      response: meSchema,
      errors: [401, 429],
      handler: async ({ body, req, res, auth }) => {
        const address = auth.address ?? "unknown";
        const wait = await deps.auth.limits.attempt(body.email, address);
        if (wait !== null) throw tooManySignIns(res, wait);
        const user = await a.users.byEmail(body.email);
        // Checked even when there is no such account (against a decoy hash), so the time taken does not tell.
        if (!(await passwordMatches(user?.passwordHash, body.password)) || !user) {
          await recordAudit(a.db, { kind: "anonymous", id: user?.id ?? null, label: body.email, address: auth.address, workspaceId: null }, { action: "sign_in.failed", resourceType: "user", ...(user ? { resourceId: user.id } : {}), resourceLabel: body.email });
          throw SIGN_IN_FAILED();
        }
        await deps.auth.limits.signedIn(body.email, address);
        // Signing in again from a browser that still had a session ends that one: one browser, one session.
        if (auth.caller?.kind === "person") await a.sessions.end(auth.caller.sessionId);
        const { sessionId } = await signInAs(a, req, res, user, "password");
        await recordAudit(a.db, { kind: "person", id: user.id, label: user.email, address: auth.address, workspaceId: null }, { action: "sign_in.succeeded", resourceType: "user", resourceId: user.id, resourceLabel: user.email });
        return { body: await describe(a, personCaller(user, sessionId), null) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/sign-out",
      tag: "auth",
      action: "signed-in",
      summary: "End this session (the cookie stops working at once)",
      status: 204,
      handler: async ({ req, res, auth }) => {
        const person = personOf(auth);
        await a.sessions.end(person.sessionId);
        clearSessionCookie(res, a.https(req));
        res.status(204).end();
        return undefined;
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/sign-out-everywhere",
      tag: "auth",
      action: "signed-in",
      summary: "End every session of this account, on every browser, this one included",
      status: 204,
      handler: async ({ req, res, auth }) => {
        const person = personOf(auth);
        await a.db.$transaction(async (tx) => {
          await a.sessions.endAllIn(tx, person.userId);
          await recordAudit(tx, { kind: "person", id: person.userId, label: person.email, address: auth.address, workspaceId: null }, { action: "sign_out.everywhere", resourceType: "user", resourceId: person.userId, resourceLabel: person.email });
        });
        clearSessionCookie(res, a.https(req));
        res.status(204).end();
        return undefined;
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/password",
      tag: "auth",
      action: "signed-in",
      summary: "Change your password; every session of the account ends, and this browser goes on in a new one",
      body: changePasswordRequestSchema,
      status: 204,
      errors: [400, 403],
      handler: async ({ body, req, res, auth }) => {
        const person = personOf(auth);
        const user = await a.users.byId(person.userId);
        if (!user || !(await passwordMatches(user.passwordHash, body.currentPassword))) {
          throw new AppError(400, "WRONG_PASSWORD", "The current password is not right.", { problems: [{ field: "body.currentPassword", message: "not your current password" }] });
        }
        const passwordHash = await hashPassword(body.newPassword);
        await a.db.$transaction(async (tx) => {
          await a.users.setPasswordHash(tx, user.id, passwordHash);
          // Every session ends, this one too: it continues under a new id, so a stolen cookie dies with the old password.
          await a.sessions.endAllIn(tx, user.id);
          await recordAudit(tx, { kind: "person", id: user.id, label: user.email, address: auth.address, workspaceId: null }, { action: "password.changed", resourceType: "user", resourceId: user.id, resourceLabel: user.email });
        });
        await signInAs(a, req, res, user, "password");
        res.status(204).end();
        return undefined;
      },
    }),
    defineRoute({
      method: "get",
      path: "/me",
      tag: "auth",
      action: "signed-in",
      summary: "Who is calling, their workspaces and roles, and what they may do in the current workspace",
      response: meSchema,
      handler: async ({ auth, req }) => {
        const caller = auth.caller!;
        // The workspace the web app asked for, when the caller is its member; else the default one.
        const wanted = requestedWorkspace(req);
        let current = null;
        if (caller.kind === "token") {
          const w = await a.workspaces.get(caller.workspaceId);
          current = w ? { ...w, role: caller.role } : null;
        } else if (wanted !== undefined && isUuid(wanted)) {
          current = await a.workspaces.membership(caller.userId, wanted);
        }
        return { body: await describe(a, caller, current) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/workspaces",
      tag: "auth",
      action: "signed-in",
      summary: "Create a workspace; you become its owner",
      body: createWorkspaceRequestSchema,
      response: workspaceSchema,
      status: 201,
      handler: async ({ body, auth }) => {
        const person = personOf(auth);
        const ws = await a.db.$transaction(async (tx) => {
          const created = await a.workspaces.create(tx, body.name, person.userId);
          await recordAudit(tx, { kind: "person", id: person.userId, label: person.email, address: auth.address, workspaceId: created.id }, { action: "workspace.created", resourceType: "workspace", resourceId: created.id, resourceLabel: created.name });
          return created;
        });
        return { status: 201, body: ws };
      },
    }),
  ];
};
