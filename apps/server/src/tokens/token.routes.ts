import { apiTokenListSchema, createdTokenSchema, createTokenRequestSchema, tokenIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";
import { workspaceOf } from "../auth/request-auth.ts";
import { recordAudit } from "../audit/audit.repository.ts";
import { madeBy } from "./made-by.ts";

export const tokenRoutes = (deps: Pick<Deps, "transaction" | "tokens">) => [
  defineRoute({
    method: "get",
    path: "/tokens",
    tag: "tokens",
    action: "token.manage",
    summary: "The workspace's API tokens (never the tokens themselves): name, role, prefix, who made it, created, last used, revoked",
    response: apiTokenListSchema,
    handler: async ({ auth }) => ({ body: { tokens: await deps.tokens.list(workspaceOf(auth)) } }),
  }),
  defineRoute({
    method: "post",
    path: "/tokens",
    tag: "tokens",
    action: "token.manage",
    summary: "Create an API token of this workspace with a role (runner unless said); the answer is the only time the token is shown",
    body: createTokenRequestSchema,
    response: createdTokenSchema,
    status: 201,
    handler: async ({ body, auth }) => {
      const workspaceId = workspaceOf(auth);
      const createdBy = await madeBy(deps.tokens, auth);
      const created = await deps.transaction(async (tx) => {
        const t = await deps.tokens.create(tx, { workspaceId, name: body.name, role: body.role, createdBy });
        await recordAudit(tx, auth, { action: "token.created", resourceType: "token", resourceId: t.id, resourceLabel: t.name, details: { role: t.role, prefix: t.prefix } });
        return t;
      });
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/tokens/:id",
    tag: "tokens",
    action: "token.manage",
    summary: "Revoke an API token; requests using it get 401 from now on",
    params: tokenIdParamsSchema,
    status: 204,
    errors: [404],
    handler: async ({ params, res, auth }) => {
      const workspaceId = workspaceOf(auth);
      const token = await deps.tokens.find(workspaceId, params.id);
      if (!token) throw notFound("token", params.id);
      await deps.transaction(async (tx) => {
        if (await deps.tokens.revoke(tx, workspaceId, params.id)) {
          await recordAudit(tx, auth, { action: "token.revoked", resourceType: "token", resourceId: token.id, resourceLabel: token.name });
        }
      });
      res.status(204).end();
      return undefined;
    },
  }),
];
