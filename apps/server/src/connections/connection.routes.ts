import {
  connectionIdParamsSchema,
  connectionListSchema,
  connectionSchema,
  connectionTestResultSchema,
  createConnectionRequestSchema,
  updateConnectionRequestSchema,
} from "@sluice/model";
import { refusedAddress, testPostgresConnection, type AddressPolicy } from "@sluice/engine";
import type { Deps } from "../http/deps.ts";
import { AppError, notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { DEFAULT_WORKSPACE_ID } from "../workspaces/workspace.repository.ts";
import { BUILT_IN_CONNECTION_ID } from "./connection.repository.ts";
import { changedConnectionFields } from "./connection-changes.ts";

/** The built-in warehouse is the Default workspace's; in any other its id is just not found. */
const refuseBuiltIn = (workspaceId: string, id: string, action: string) => {
  if (id === BUILT_IN_CONNECTION_ID && workspaceId === DEFAULT_WORKSPACE_ID) {
    throw new AppError(409, "CONNECTION_BUILT_IN", `The built-in warehouse connection cannot be ${action}; Sluice sets it up at start (see WAREHOUSE_URL).`);
  }
};

/** Refuses (422) a host the connection address policy refuses, before any attempt; `field` names it in a request body. */
const refuseAddress = async (target: { host: string; addressPolicy?: AddressPolicy | undefined }, field?: string) => {
  const issue = await refusedAddress(target);
  if (issue) throw new AppError(422, issue.code, issue.message, field ? { problems: [{ field, message: issue.message }] } : undefined);
};

/**
 * Each handler is a few lines, so the connection routes share one file. Every lookup is in the request's workspace,
 * so another workspace's connection answers 404; each change writes its audit entry in the same transaction.
 */
export const connectionRoutes = (deps: Pick<Deps, "transaction" | "connections" | "pipelines" | "limits">) => [
  defineRoute({
    method: "get",
    path: "/connections",
    tag: "connections",
    action: "workspace.read",
    summary: "List connections (passwords are never returned)",
    response: connectionListSchema,
    handler: async ({ auth }) => ({ body: { connections: await deps.connections.list(workspaceOf(auth)) } }),
  }),
  defineRoute({
    method: "post",
    path: "/connections",
    tag: "connections",
    action: "connection.edit",
    summary: "Create a Postgres connection or an HTTP credential; the password or secret header values are stored encrypted",
    body: createConnectionRequestSchema,
    response: connectionSchema,
    status: 201,
    errors: [400, 422],
    handler: async ({ body, auth }) => {
      if (body.kind === "postgres") await refuseAddress({ host: body.settings.host, addressPolicy: deps.connections.addressPolicy }, "body.settings.host");
      const created = await deps.transaction(async (tx) => {
        const c = await deps.connections.create(workspaceOf(auth), body, { tx });
        await recordAudit(tx, auth, { action: "connection.created", resourceType: "connection", resourceId: c.id, resourceLabel: c.name, details: { kind: c.kind } });
        return c;
      });
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "get",
    path: "/connections/:id",
    tag: "connections",
    action: "workspace.read",
    summary: "Get a connection",
    params: connectionIdParamsSchema,
    response: connectionSchema,
    errors: [404],
    handler: async ({ params, auth }) => {
      const c = await deps.connections.get(workspaceOf(auth), params.id);
      if (!c) throw notFound("connection", params.id);
      return { body: c };
    },
  }),
  defineRoute({
    method: "put",
    path: "/connections/:id",
    tag: "connections",
    action: "connection.edit",
    summary:
      "Edit a connection; omit the password to keep it, send null to clear it; a secret header or query parameter sent without a value keeps its stored one. An edit that changes where a stored secret goes (host, port, user or a weaker sslMode; a new credential host) must send it again (400 SECRET_REQUIRED)",
    params: connectionIdParamsSchema,
    body: updateConnectionRequestSchema,
    response: connectionSchema,
    errors: [400, 404, 409, 422],
    handler: async ({ params, body, auth }) => {
      const workspaceId = workspaceOf(auth);
      refuseBuiltIn(workspaceId, params.id, "edited");
      if (body.kind !== "http" && body.settings) await refuseAddress({ host: body.settings.host, addressPolicy: deps.connections.addressPolicy }, "body.settings.host");
      // A refusal throws inside the transaction, so a refused edit leaves neither a change nor an audit entry.
      const changed = await deps.transaction(async (tx) => {
        const before = await deps.connections.get(workspaceId, params.id, tx);
        const c = before && (await deps.connections.update(workspaceId, params.id, body, tx));
        if (!before || !c) throw notFound("connection", params.id);
        if ("refused" in c) {
          if (c.refused === "KIND_MISMATCH") throw new AppError(409, "CONNECTION_KIND_MISMATCH", c.message);
          if (c.refused === "SECRET_REQUIRED") throw new AppError(400, "SECRET_REQUIRED", c.message, { problems: c.problems.map((p) => ({ field: `body.${p.field}`, message: p.message })) });
          throw new AppError(400, "VALIDATION_FAILED", `The request is not valid. body.${c.field}: ${c.message}`, { problems: [{ field: `body.${c.field}`, message: c.message }] });
        }
        const fields = changedConnectionFields(before, c, body);
        await recordAudit(tx, auth, { action: "connection.changed", resourceType: "connection", resourceId: c.id, resourceLabel: c.name, details: { fields } });
        return c;
      });
      return { body: changed };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/connections/:id",
    tag: "connections",
    action: "connection.edit",
    summary: "Delete a connection; refused while a pipeline uses it",
    params: connectionIdParamsSchema,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      refuseBuiltIn(workspaceId, params.id, "deleted");
      const connection = await deps.connections.get(workspaceId, params.id);
      if (!connection) throw notFound("connection", params.id);
      // Postgres nodes name a connection by connectionId, HTTP sources a credential by credentialId.
      const users = [
        ...(await deps.pipelines.usingConfigValue(workspaceId, "connectionId", params.id)),
        ...(await deps.pipelines.usingConfigValue(workspaceId, "credentialId", params.id)),
      ];
      if (users.length) {
        throw new AppError(409, "CONNECTION_IN_USE", `Pipelines use this connection: ${users.map((p) => `"${p.name}"`).join(", ")}. Change them first.`, {
          pipelines: users,
        });
      }
      await deps.transaction(async (tx) => {
        if (!(await deps.connections.remove(workspaceId, params.id, tx))) throw notFound("connection", params.id);
        await recordAudit(tx, auth, { action: "connection.deleted", resourceType: "connection", resourceId: connection.id, resourceLabel: connection.name, details: { kind: connection.kind } });
      });
      res.status(204).end();
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/connections/:id/test",
    tag: "connections",
    action: "connection.edit",
    summary: "Try to connect; answers within 5 s with ok or the server's own error. Limited per client (429 with Retry-After)",
    params: connectionIdParamsSchema,
    response: connectionTestResultSchema,
    errors: [404, 409, 422, 429],
    handler: async ({ params, req, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      const turn = deps.limits.connectionTests.take(req.ip ?? req.socket.remoteAddress ?? "unknown");
      if (!turn.ok) {
        res.set("Retry-After", String(turn.retryAfterSeconds));
        throw new AppError(429, "TOO_MANY_CONNECTION_TESTS", `Connection tests are limited to ${deps.limits.connectionTests.perMinute} a minute per client; try again in ${turn.retryAfterSeconds} s.`);
      }
      const connection = await deps.connections.get(workspaceId, params.id);
      if (!connection) throw notFound("connection", params.id);
      if (connection.kind === "http") {
        throw new AppError(409, "CONNECTION_NOT_TESTABLE", "An HTTP credential is tried by the HTTP sources that use it: validate or preview one of them.");
      }
      const r = await deps.connections.resolve(workspaceId, params.id);
      if (!r.ok && r.code === "CONNECTION_NOT_FOUND") throw notFound("connection", params.id);
      const tested = (details: { ok: boolean; code?: string }) =>
        deps.transaction((tx) => recordAudit(tx, auth, { action: "connection.tested", resourceType: "connection", resourceId: connection.id, resourceLabel: connection.name, details }));
      // A connection that is off answers like a failed test, with the reason, instead of trying anything.
      if (!r.ok) {
        await tested({ ok: false, code: r.code });
        return { body: { ok: false, message: r.message, elapsedMs: 0 } };
      }
      // A refused address is refused before any attempt, so its answer says nothing about its ports.
      await refuseAddress(r.settings);
      // The log keeps the failure's code, not its message: a server's own words may quote what it was sent.
      const { code, ...result } = await testPostgresConnection(r.settings);
      await tested(result.ok ? { ok: true } : { ok: false, code: code ?? "CONNECTION_FAILED" });
      return { body: result };
    },
  }),
];
