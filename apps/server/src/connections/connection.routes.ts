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
import { BUILT_IN_CONNECTION_ID } from "./connection.repository.ts";

const refuseBuiltIn = (id: string, action: string) => {
  if (id === BUILT_IN_CONNECTION_ID) {
    throw new AppError(409, "CONNECTION_BUILT_IN", `The built-in warehouse connection cannot be ${action}; Sluice sets it up at start (see WAREHOUSE_URL).`);
  }
};

/** Refuses (422) a host the connection address policy refuses, before any attempt; `field` names it in a request body. */
const refuseAddress = async (target: { host: string; addressPolicy?: AddressPolicy | undefined }, field?: string) => {
  const issue = await refusedAddress(target);
  if (issue) throw new AppError(422, issue.code, issue.message, field ? { problems: [{ field, message: issue.message }] } : undefined);
};

/** Each handler is a few lines, so the connection routes share one file. */
export const connectionRoutes = (deps: Deps) => [
  defineRoute({
    method: "get",
    path: "/connections",
    tag: "connections",
    action: "workspace.read",
    summary: "List connections (passwords are never returned)",
    response: connectionListSchema,
    handler: async () => ({ body: { connections: await deps.connections.list() } }),
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
    handler: async ({ body }) => {
      if (body.kind === "postgres") await refuseAddress({ host: body.settings.host, addressPolicy: deps.connections.addressPolicy }, "body.settings.host");
      return { status: 201, body: await deps.connections.create(body) };
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
    handler: async ({ params }) => {
      const c = await deps.connections.get(params.id);
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
    handler: async ({ params, body }) => {
      refuseBuiltIn(params.id, "edited");
      if (body.kind !== "http" && body.settings) await refuseAddress({ host: body.settings.host, addressPolicy: deps.connections.addressPolicy }, "body.settings.host");
      const c = await deps.connections.update(params.id, body);
      if (!c) throw notFound("connection", params.id);
      if ("refused" in c) {
        if (c.refused === "KIND_MISMATCH") throw new AppError(409, "CONNECTION_KIND_MISMATCH", c.message);
        if (c.refused === "SECRET_REQUIRED") throw new AppError(400, "SECRET_REQUIRED", c.message, { problems: c.problems.map((p) => ({ field: `body.${p.field}`, message: p.message })) });
        throw new AppError(400, "VALIDATION_FAILED", `The request is not valid. body.${c.field}: ${c.message}`, { problems: [{ field: `body.${c.field}`, message: c.message }] });
      }
      return { body: c };
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
    handler: async ({ params, res }) => {
      refuseBuiltIn(params.id, "deleted");
      // Postgres nodes name a connection by connectionId, HTTP sources a credential by credentialId.
      const users = [...(await deps.pipelines.usingConfigValue("connectionId", params.id)), ...(await deps.pipelines.usingConfigValue("credentialId", params.id))];
      if (users.length) {
        throw new AppError(409, "CONNECTION_IN_USE", `Pipelines use this connection: ${users.map((p) => `"${p.name}"`).join(", ")}. Change them first.`, {
          pipelines: users,
        });
      }
      if (!(await deps.connections.remove(params.id))) throw notFound("connection", params.id);
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
    handler: async ({ params, req, res }) => {
      const turn = deps.limits.connectionTests.take(req.ip ?? req.socket.remoteAddress ?? "unknown");
      if (!turn.ok) {
        res.set("Retry-After", String(turn.retryAfterSeconds));
        throw new AppError(429, "TOO_MANY_CONNECTION_TESTS", `Connection tests are limited to ${deps.limits.connectionTests.perMinute} a minute per client; try again in ${turn.retryAfterSeconds} s.`);
      }
      if ((await deps.connections.get(params.id))?.kind === "http") {
        throw new AppError(409, "CONNECTION_NOT_TESTABLE", "An HTTP credential is tried by the HTTP sources that use it: validate or preview one of them.");
      }
      const r = await deps.connections.resolve(params.id);
      if (!r.ok && r.code === "CONNECTION_NOT_FOUND") throw notFound("connection", params.id);
      // A connection that is off answers like a failed test, with the reason, instead of trying anything.
      if (!r.ok) return { body: { ok: false, message: r.message, elapsedMs: 0 } };
      // A refused address is refused before any attempt, so its answer says nothing about its ports.
      await refuseAddress(r.settings);
      return { body: await testPostgresConnection(r.settings) };
    },
  }),
];
